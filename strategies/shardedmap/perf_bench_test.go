package shardedmap_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/petermattis/goid"

	"github.com/localbench/localbench/strategies/internal/perftest"
	"github.com/localbench/localbench/strategies/shardedmap"
)

// BenchmarkPerf measures the operations whose cost must not depend on how
// many keys the process has made or where the bound ones lie; see perftest.
func BenchmarkPerf(b *testing.B) {
	s := shardedmap.New()
	perftest.Run(b, s, true)
}

// minimal is the least an id-keyed store can do for Get: a goroutine-id
// read, one atomic load of a table and one open-addressing probe. It is
// written for BenchmarkPerfDirect only.
type minimal struct {
	tab atomic.Pointer[[64]minimalSlot]
}

type minimalSlot struct {
	id  int64
	val any
}

//go:noinline
func (m *minimal) get() (any, bool) {
	id := goid.Get()
	t := m.tab.Load()
	sl := &t[uint64(id)*0x9e3779b97f4a7c15>>58]
	if sl.id == id {
		return sl.val, true
	}
	return nil, false
}

// BenchmarkPerfDirect measures Get, GetMiss and Set called on the concrete
// type, beside the minimal floor, with two keys bound.
func BenchmarkPerfDirect(b *testing.B) {
	s := shardedmap.New()
	k1, k2, miss := strategies.NewKey("a"), strategies.NewKey("b"), strategies.NewKey("miss")
	ctx := context.Background()
	b.Run("op=get", func(b *testing.B) {
		s.Set(ctx, k1, 1)
		s.Set(ctx, k2, 2)
		defer s.Release(ctx)
		for b.Loop() {
			s.Get(ctx, k2)
		}
	})
	b.Run("op=get-miss", func(b *testing.B) {
		s.Set(ctx, k1, 1)
		s.Set(ctx, k2, 2)
		defer s.Release(ctx)
		for b.Loop() {
			s.Get(ctx, miss)
		}
	})
	b.Run("op=set", func(b *testing.B) {
		s.Set(ctx, k1, 1)
		s.Set(ctx, k2, 2)
		defer s.Release(ctx)
		for b.Loop() {
			s.Set(ctx, k2, 3)
		}
	})
	b.Run("op=minimal", func(b *testing.B) {
		var m minimal
		var t [64]minimalSlot
		id := goid.Get()
		t[uint64(id)*0x9e3779b97f4a7c15>>58] = minimalSlot{id, 2}
		m.tab.Store(&t)
		for b.Loop() {
			m.get()
		}
	})
}
