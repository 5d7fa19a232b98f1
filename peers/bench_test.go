package peers_test

import (
	"testing"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/harness/benchgen"
	"github.com/localbench/localbench/peers"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/ctxvalue"
	"github.com/localbench/localbench/strategies/gls"
	"github.com/localbench/localbench/strategies/mapid"
	"github.com/localbench/localbench/strategies/shardedmap"
)

// contestants are localbench's strategies, the floors and the peers, in
// that order (the first, mapid, is benchstat's baseline column). These are
// the benchmarks results/run.sh records.
var contestants = concat(
	harness.StoreContestants(
		func() strategies.Store { return mapid.New() },
		func() strategies.Store { return shardedmap.New() },
		func() strategies.Store { return ctxvalue.New() },
		func() strategies.Store { return gls.New() },
	),
	harness.Floors(),
	peers.Contestants(),
)

func concat(lists ...[]harness.Contestant) []harness.Contestant {
	var all []harness.Contestant
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}

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

func TestContestants(t *testing.T) {
	if err := harness.CheckContestants(contestants); err != nil {
		t.Error(err)
	}
}

// TestBodiesUpToDate checks that bench_gen.go is what go generate makes
// from package harness's workload bodies now.
func TestBodiesUpToDate(t *testing.T) {
	if err := benchgen.Check("."); err != nil {
		t.Error(err)
	}
}
