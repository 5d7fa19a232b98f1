package lifetime

import (
	"context"
	"testing"
	"time"

	"github.com/localbench/localbench/strategies"
)

// goKeys are the keys each goroutine of TestManyGoroutines binds.
var (
	goKeys = [4]*strategies.Key{
		strategies.NewKey("lifetime.g0"),
		strategies.NewKey("lifetime.g1"),
		strategies.NewKey("lifetime.g2"),
		strategies.NewKey("lifetime.g3"),
	}
	waveKey = strategies.NewKey("lifetime.wave")
)

// own is the value goroutine g binds to goKeys[key]; a goroutine that finds
// an own of another g saw another goroutine's value.
type own struct{ g, key int }

// goWave is how many goroutines run at once: under the race detector's
// limit of 8128 live goroutines, with room to spare.
const goWave = 4000

// chainDepth is how many frames below the goroutine's function the values
// are read.
const chainDepth = 5

// TestManyGoroutines starts many goroutines with strategies.Go, in waves,
// each of which binds four keys and reads them back through a call chain,
// and checks that each sees exactly its own values and the value its parent
// bound before starting it.
func TestManyGoroutines(t *testing.T) {
	n, mode := size{short: 2000, normal: 100_000, race: 100_000, soak: 1_000_000}.pick()
	forEach(t, func(t *testing.T, st strategy, s strategies.Store) {
		e := &errs{t: t}
		run := func(n int) {
			waves(t, n, goWave, func(from, to int, done func()) {
				// The parent binds the wave in a scope, so that the
				// children's copies have something to inherit.
				s.Scope(context.Background(), func(ctx context.Context) {
					ctx = s.Set(ctx, waveKey, from)
					for i := from; i < to; i++ {
						strategies.Go(ctx, s, func(ctx context.Context) {
							defer done()
							for j, k := range goKeys {
								ctx = s.Set(ctx, k, own{i, j})
							}
							readChain(e, s, ctx, i, from, chainDepth)
						})
					}
				})
			})
		}
		// Live is taken before the first wave: the children of a wave
		// signal their end from inside fn, before the store removes their
		// entries, so right after a wave Live can still count some.
		checkLive := liveAtStart(t, s)
		// A first wave, not measured, brings the runtime's pools of
		// goroutines and the stores' tables to their steady size.
		run(goWave)
		checkHeap := heapAtStart(t)
		start := time.Now()
		run(n)
		d := time.Since(start)
		t.Logf("%s: %d goroutines by strategies.Go in waves of %d, %d keys each read %d frames down: %v (%v per goroutine) [%s size]",
			st.name, n, goWave, len(goKeys), chainDepth, d.Round(time.Millisecond), d/time.Duration(n), mode)
		e.flush()
		checkLive()
		checkHeap()
	})
}

// readChain calls itself depth times and then checks, at the bottom of the
// chain, that goroutine g sees exactly its own four values and its wave.
func readChain(e *errs, s strategies.Store, ctx context.Context, g, wave, depth int) {
	if depth > 0 {
		readChain(e, s, ctx, g, wave, depth-1)
		return
	}
	for j, k := range goKeys {
		v, ok := s.Get(ctx, k)
		if want := (own{g, j}); v != want || !ok {
			if o, isOwn := v.(own); isOwn && o.g != g {
				e.sawForeign()
			}
			e.Errorf("goroutine %d: Get(%s) = %v, %t; want %v, true: a goroutine sees exactly its own bindings", g, k.Name(), v, ok, want)
		}
	}
	if v, ok := s.Get(ctx, waveKey); v != wave || !ok {
		e.Errorf("goroutine %d: Get(%s) = %v, %t; want %d, true: a goroutine started by Go starts with a copy of its parent's bindings", g, waveKey.Name(), v, ok, wave)
	}
	if snap := s.Snapshot(ctx); len(snap) != len(goKeys)+1 {
		e.Errorf("goroutine %d: Snapshot() has %d bindings: %v; want %d, its own and its wave: a goroutine sees exactly its own bindings", g, len(snap), snap, len(goKeys)+1)
	}
}
