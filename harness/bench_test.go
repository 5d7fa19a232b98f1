package harness_test

import (
	"testing"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/harness/benchgen"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/ctxvalue"
	"github.com/localbench/localbench/strategies/gls"
	"github.com/localbench/localbench/strategies/mapid"
	"github.com/localbench/localbench/strategies/shardedmap"
	"github.com/petermattis/goid"
)

// contestants are localbench's strategies and the floors. The peers module
// (peers/bench_test.go) runs the same benchmarks with the peer libraries
// added; its results are the ones saved in results/.
var contestants = append(harness.StoreContestants(
	func() strategies.Store { return mapid.New() },
	func() strategies.Store { return shardedmap.New() },
	func() strategies.Store { return ctxvalue.New() },
	func() strategies.Store { return gls.New() },
), harness.Floors()...)

func BenchmarkGet(b *testing.B)      { harness.BenchGet(b, contestants) }
func BenchmarkGetMiss(b *testing.B)  { harness.BenchGetMiss(b, contestants) }
func BenchmarkSet(b *testing.B)      { harness.BenchSet(b, contestants) }
func BenchmarkDelete(b *testing.B)   { harness.BenchDelete(b, contestants) }
func BenchmarkScope(b *testing.B)    { harness.BenchScope(b, contestants) }
func BenchmarkDepth(b *testing.B)    { harness.BenchDepth(b, contestants) }
func BenchmarkBindings(b *testing.B) { harness.BenchBindings(b, contestants) }
func BenchmarkParallel(b *testing.B) { harness.BenchParallel(b, contestants) }
func BenchmarkLive(b *testing.B)     { harness.BenchLive(b, contestants) }
func BenchmarkSpawn(b *testing.B)    { harness.BenchSpawn(b, contestants) }
func BenchmarkWrap(b *testing.B)     { harness.BenchWrap(b, contestants) }
func BenchmarkMemory(b *testing.B)   { harness.BenchMemory(b, contestants) }
func BenchmarkLeak(b *testing.B)     { harness.BenchLeak(b, contestants) }
func BenchmarkSweep(b *testing.B)    { harness.BenchSweep(b, contestants) }

// The key sweeps and NewKey make keys that stay in the process; they run
// last.

func BenchmarkKeys(b *testing.B)      { harness.BenchKeys(b, contestants) }
func BenchmarkKeySpread(b *testing.B) { harness.BenchKeySpread(b, contestants) }
func BenchmarkNewKey(b *testing.B)    { harness.BenchNewKey(b) }

// BenchmarkReference measures what the floors are bounded by: an empty
// b.Loop body (op=empty; the param floor's Get should cost little more)
// and goid.Get alone in a b.Loop (op=goid; the goid floor's Get should
// cost little more). They are plain loops, outside the harness.
func BenchmarkReference(b *testing.B) {
	b.Run("op=empty", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
		}
	})
	b.Run("op=goid", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			// The id is used, as every store uses it; goid.Get() is
			// never 0.
			if goid.Get() == 0 {
				b.Fatal("goid.Get() = 0")
			}
		}
	})
}

func TestContestants(t *testing.T) {
	if err := harness.CheckContestants(contestants); err != nil {
		t.Error(err)
	}
}

// TestBodiesUpToDate checks that bench_gen.go is what go generate makes
// from the workload bodies now, so that no contestant's copy of a body
// drifts from the one body.
func TestBodiesUpToDate(t *testing.T) {
	if err := benchgen.Check("."); err != nil {
		t.Error(err)
	}
}
