package mapid_test

import (
	"context"

	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/internal/gstate/spawntest"
	"github.com/localbench/localbench/strategies/mapid"
)

// TestSpawn checks the fast path strategies.Go takes for mapid (its Go
// method), which the conformance suite, starting children with Wrap, does
// not reach.
func TestSpawn(t *testing.T) {
	var s strategies.Store = mapid.New()
	if _, ok := s.(strategies.Spawner); !ok {
		t.Fatalf("%T does not implement strategies.Spawner; want it to: strategies.Go is cheaper through it", s)
	}
	spawntest.Run(t, func() *mapid.Store { return mapid.New() })
}

// TestSpawnAllocs checks that strategies.Go allocates nothing per child once
// warm: the child's copy of the bindings and what it runs come in a pooled
// record, and the go statement starts a func bound to that record once,
// not a closure of its own.
func TestSpawnAllocs(t *testing.T) {
	s := mapid.New()
	keys := []*strategies.Key{
		strategies.NewKey("a"), strategies.NewKey("b"), strategies.NewKey("c"), strategies.NewKey("d"),
	}
	done := make(chan struct{})
	child := func(ctx context.Context) {
		if v, ok := s.Get(ctx, keys[0]); !ok || v != 0 {
			t.Errorf("child: Get = %v, %t; want 0, true", v, ok)
		}
		done <- struct{}{}
	}
	s.Scope(context.Background(), func(ctx context.Context) {
		for i, k := range keys {
			ctx = s.Set(ctx, k, i)
		}
		allocs := testing.AllocsPerRun(100, func() {
			strategies.Go(ctx, s, child)
			<-done
		})
		if allocs != 0 {
			t.Errorf("strategies.Go with 4 bindings: %v allocations per child; want 0", allocs)
		}
	})
}
