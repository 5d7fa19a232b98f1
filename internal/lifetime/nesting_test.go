package lifetime

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/localbench/localbench/strategies"
)

// nestKeys are the keys TestScopeNestings binds.
var nestKeys = [4]*strategies.Key{
	strategies.NewKey("lifetime.n0"),
	strategies.NewKey("lifetime.n1"),
	strategies.NewKey("lifetime.n2"),
	strategies.NewKey("lifetime.n3"),
}

// mark is the value goroutine g binds at nesting level level, in its op-th
// change there.
type mark struct{ g, level, op int }

// How a nesting ends at its deepest level.
type exitMode int

const (
	exitReturn exitMode = iota // every Scope returns normally
	exitPanic                  // a panic, recovered by a shallower level
	exitGoexit                 // runtime.Goexit, which ends the goroutine
	numExitModes
)

func (m exitMode) String() string {
	return [...]string{"return", "panic", "Goexit"}[m]
}

// nestPanic is what a nesting panics with.
type nestPanic struct{ g int }

// maxNesting is the deepest a nesting goes.
const maxNesting = 8

// TestScopeNestings runs many goroutines at once, each of which nests
// Scopes to a random depth, binding and unbinding keys at every level, and
// ends the deepest level by returning, by a panic recovered at a random
// shallower level, or by runtime.Goexit. Every level checks, as the scope
// inside it ends (in a deferred function when a panic or Goexit unwinds),
// that it sees exactly the bindings it had before. The nestings are drawn
// from a seed, which is logged.
func TestScopeNestings(t *testing.T) {
	n, mode := size{short: 200, normal: 1000, race: 1000, soak: 20_000}.pick()
	seed := seed(t)
	forEach(t, func(t *testing.T, st strategy, s strategies.Store) {
		e := &errs{t: t}
		var modes [numExitModes]atomic.Int64
		checkLive := liveAtStart(t, s)
		checkHeap := heapAtStart(t)
		start := time.Now()
		waves(t, n, goWave, func(from, to int, done func()) {
			begin := make(chan struct{})
			for g := from; g < to; g++ {
				nest := newNesting(e, st, s, seed, g)
				modes[nest.mode].Add(1)
				go func() {
					defer done()
					<-begin // start together, to interleave as much as possible
					nest.run()
				}()
			}
			close(begin)
		})
		d := time.Since(start)
		t.Logf("%s: %d concurrent nestings up to %d deep (%d ended by return, %d by panic, %d by Goexit): %v [%s size]",
			st.name, n, maxNesting, modes[exitReturn].Load(), modes[exitPanic].Load(), modes[exitGoexit].Load(), d.Round(time.Millisecond), mode)
		e.flush()
		checkLive()
		checkHeap()
	})
}

// nesting is one goroutine's plan and its checks.
type nesting struct {
	e  *errs
	st strategy
	s  strategies.Store
	g  int
	r  *rand.Rand

	depth     int      // the deepest level; level 0 is outside any Scope
	mode      exitMode // how level depth ends
	recoverAt int      // the level whose deferred function recovers, for exitPanic

	recovered bool // the panic reached recoverAt
}

func newNesting(e *errs, st strategy, s strategies.Store, seed uint64, g int) *nesting {
	r := rand.New(rand.NewPCG(seed, uint64(g)))
	n := &nesting{e: e, st: st, s: s, g: g, r: r}
	n.depth = 1 + r.IntN(maxNesting)
	n.mode = exitMode(r.IntN(int(numExitModes)))
	n.recoverAt = r.IntN(n.depth)
	return n
}

// run is the goroutine's body: level 0, outside any Scope, sees nothing.
func (n *nesting) run() {
	ctx := context.Background()
	outside := map[*strategies.Key]any{}
	n.check(ctx, 0, outside, "before the outermost Scope")
	n.enter(ctx, 0, outside)
	// Only a nesting that ended by return, or by a panic recovered at some
	// level, gets here.
	if n.mode == exitGoexit {
		n.e.Errorf("goroutine %d: the code after the outermost Scope ran after runtime.Goexit at level %d; want the goroutine to end: Scope must let Goexit through", n.g, n.depth)
	}
	if n.mode == exitPanic && !n.recovered {
		n.e.Errorf("goroutine %d: the outermost Scope returned normally after a panic at level %d that nothing recovered; want the panic to reach the caller: Scope must let a panic through", n.g, n.depth)
	}
	n.check(ctx, 0, outside, "after the outermost Scope returned")
}

// enter runs level d+1 in a Scope from level d, which sees want, and checks
// as it ends that level d sees want again.
func (n *nesting) enter(ctx context.Context, d int, want map[*strategies.Key]any) {
	defer func() {
		how := "returned"
		if n.mode != exitReturn {
			how = fmt.Sprintf("ended (%v at level %d)", n.mode, n.depth)
		}
		if n.mode == exitPanic && d == n.recoverAt {
			v := recover()
			if v != (nestPanic{n.g}) {
				n.e.Errorf("goroutine %d: recover() at level %d = %v; want %v: a panic inside Scope reaches the caller unchanged", n.g, d, v, nestPanic{n.g})
			}
			n.recovered = true
			// The stack is unwound to here only once this function returns:
			// run checks level 0 after that.
			if d == 0 {
				return
			}
		}
		n.check(ctx, d, want, fmt.Sprintf("after the Scope of level %d %s", d+1, how))
	}()
	n.s.Scope(ctx, func(ctx context.Context) {
		n.level(ctx, d+1, maps.Clone(want))
	})
}

// level runs inside the Scope of level d, which starts with the bindings in
// want: it changes some, checks, and goes deeper or ends.
func (n *nesting) level(ctx context.Context, d int, want map[*strategies.Key]any) {
	n.check(ctx, d, want, "on entering its Scope, which starts with every binding made before it")
	for op := range 1 + n.r.IntN(4) {
		k := nestKeys[n.r.IntN(len(nestKeys))]
		if n.r.IntN(4) == 0 {
			ctx = n.s.Delete(ctx, k)
			delete(want, k)
		} else {
			v := mark{n.g, d, op}
			ctx = n.s.Set(ctx, k, v)
			want[k] = v
		}
	}
	n.check(ctx, d, want, "after its own Sets and Deletes")
	if d < n.depth {
		n.enter(ctx, d, want)
		return
	}
	switch n.mode {
	case exitPanic:
		panic(nestPanic{n.g})
	case exitGoexit:
		runtime.Goexit()
	}
}

// check compares every key and the Snapshot at level d with want.
func (n *nesting) check(ctx context.Context, d int, want map[*strategies.Key]any, when string) {
	for _, k := range nestKeys {
		v, ok := n.s.Get(ctx, k)
		w, wok := want[k]
		if v == w && ok == wok {
			continue
		}
		if m, isMark := v.(mark); isMark && m.g != n.g {
			n.e.sawForeign()
		}
		n.e.Errorf("goroutine %d, level %d, %s: Get(%s) = %v, %t; want %v, %t: Scope restores everything, at every nesting level, also on panic and on runtime.Goexit",
			n.g, d, when, k.Name(), v, ok, w, wok)
		return
	}
	if snap := n.s.Snapshot(ctx); !maps.Equal(snap, want) {
		n.e.Errorf("goroutine %d, level %d, %s: Snapshot() = %v; want %v: Scope restores everything, at every nesting level, also on panic and on runtime.Goexit",
			n.g, d, when, snap, want)
	}
}
