package ctxvalue_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/localbench/localbench/strategies"

	"github.com/localbench/localbench/strategies/ctxvalue"
	"github.com/localbench/localbench/strategies/internal/perftest"
)

// BenchmarkPerf measures the operations whose cost must not depend on how
// many keys the process has made or where the bound ones lie; see perftest.
func BenchmarkPerf(b *testing.B) {
	s := ctxvalue.New()
	perftest.Run(b, s, true)
}

// BenchmarkPerfDirect measures Get and Set on the concrete type beside a
// raw context.WithValue chain: Get of the first-bound key with 1 and 64
// bindings (ctx.Value of the only layer, and of the bottom layer of 64),
// and Set that rebinds a bound key (one WithValue layer).
func BenchmarkPerfDirect(b *testing.B) {
	ks := make([]*strategies.Key, 64)
	for i := range ks {
		ks[i] = strategies.NewKey(fmt.Sprint("direct", i))
	}
	for _, n := range []int{1, 64} {
		s := ctxvalue.New()
		ctx, raw := context.Background(), context.Background()
		for i, k := range ks[:n] {
			ctx = s.Set(ctx, k, i)
			raw = context.WithValue(raw, k, i)
		}
		b.Run(fmt.Sprintf("op=get/bindings=%d", n), func(b *testing.B) {
			for b.Loop() {
				s.Get(ctx, ks[0])
			}
		})
		b.Run(fmt.Sprintf("op=raw-value/bindings=%d", n), func(b *testing.B) {
			for b.Loop() {
				raw.Value(ks[0])
			}
		})
		b.Run(fmt.Sprintf("op=set/bindings=%d", n), func(b *testing.B) {
			for b.Loop() {
				s.Set(ctx, ks[0], 1)
			}
		})
		b.Run(fmt.Sprintf("op=raw-withvalue/bindings=%d", n), func(b *testing.B) {
			for b.Loop() {
				_ = context.WithValue(raw, ks[0], 1)
			}
		})
	}
}
