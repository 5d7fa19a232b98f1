package ctxvalue_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/ctxvalue"
)

// benchKeys are the keys the benchmarks bind, first-bound first.
var benchKeys = func() []*strategies.Key {
	ks := make([]*strategies.Key, 64)
	for i := range ks {
		ks[i] = strategies.NewKey(fmt.Sprint("bench", i))
	}
	return ks
}()

// BenchmarkCtxvalue measures Get of the first-bound key and Set of the
// last-bound key (which copies every binding) with 1 and 64 bindings, through the Store interface, against a raw
// context.WithValue chain of the same length (op=raw: Value of the
// first-bound key, at the bottom of the chain).
func BenchmarkCtxvalue(b *testing.B) {
	for _, n := range []int{1, 64} {
		var s strategies.Store = ctxvalue.New()
		ctx, raw := context.Background(), context.Background()
		for _, k := range benchKeys[:n] {
			ctx = s.Set(ctx, k, k.Index())
			raw = context.WithValue(raw, k, k.Index())
		}
		first := benchKeys[0]
		b.Run(fmt.Sprintf("op=raw/bindings=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				raw.Value(first)
			}
		})
		b.Run(fmt.Sprintf("op=get/bindings=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Get(ctx, first)
			}
		})
		cctx, cancel := context.WithCancel(ctx)
		b.Run(fmt.Sprintf("op=get-under-cancel/bindings=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Get(cctx, first)
			}
		})
		cancel()
		b.Run(fmt.Sprintf("op=set/bindings=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Set(ctx, benchKeys[n-1], 1)
			}
		})
	}
}
