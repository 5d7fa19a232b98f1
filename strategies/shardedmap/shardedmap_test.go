package shardedmap_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/shardedmap"
)

func TestStore(t *testing.T) {
	harness.TestStore(t, func(*testing.T) strategies.Store { return shardedmap.New() })
}

func TestInfo(t *testing.T) {
	got := shardedmap.New().Info()
	want := strategies.Info{Name: "shardedmap", Implicit: true, NeedsScope: false, Leaks: true}
	if got != want {
		t.Errorf("Info() = %+v; want %+v", got, want)
	}
}

func TestCapabilities(t *testing.T) {
	// The conformance suite gates these by interface; asserting them here
	// makes a lost capability a failure rather than a skipped check.
	var s strategies.Store = shardedmap.New()
	if _, ok := s.(strategies.Releaser); !ok {
		t.Errorf("%T does not implement strategies.Releaser", s)
	}
	if _, ok := s.(strategies.Counter); !ok {
		t.Errorf("%T does not implement strategies.Counter", s)
	}
}

func TestNilKey(t *testing.T) {
	s := shardedmap.New()
	ctx := context.Background()
	for _, tc := range []struct {
		method string
		call   func()
	}{
		{"Get", func() { s.Get(ctx, nil) }},
		{"Set", func() { s.Set(ctx, nil, 1) }},
		{"Delete", func() { s.Delete(ctx, nil) }},
	} {
		err, _ := catch(tc.call).(error)
		if !errors.Is(err, strategies.ErrNilKey) {
			t.Errorf("%s(nil key) panicked with %v; want an error wrapping ErrNilKey", tc.method, err)
			continue
		}
		if want := "shardedmap." + tc.method; !strings.Contains(err.Error(), want) {
			t.Errorf("%s(nil key) panicked with %q; want it to name %q", tc.method, err, want)
		}
	}
	if n := s.Live(); n != 0 {
		t.Errorf("Live() = %d after calls that panicked; want 0", n)
	}
}

func catch(fn func()) (v any) {
	defer func() { v = recover() }()
	fn()
	return nil
}

func TestBindings(t *testing.T) {
	s := shardedmap.New()
	ctx := context.Background()
	k, knil := strategies.NewKey("k"), strategies.NewKey("nil")
	if v, ok := s.Get(ctx, k); v != nil || ok {
		t.Errorf("Get(k) = %v, %v before Set; want nil, false", v, ok)
	}
	if got := s.Delete(ctx, k); got != ctx {
		t.Errorf("Delete returned another context; want the one it was given")
	}
	if n := s.Live(); n != 0 {
		t.Errorf("Live() = %d after Get and Delete of a missing key; want 0: they create no state", n)
	}
	if got := s.Set(ctx, k, 1); got != ctx {
		t.Errorf("Set returned another context; want the one it was given")
	}
	s.Set(ctx, knil, nil)
	if v, ok := s.Get(context.TODO(), k); v != 1 || !ok {
		t.Errorf("Get(k) = %v, %v from another context; want 1, true: bindings are implicit", v, ok)
	}
	if v, ok := s.Get(ctx, knil); v != nil || !ok {
		t.Errorf("Get(nil key) = %v, %v; want nil, true: a key bound to nil is bound", v, ok)
	}
	if got := s.Snapshot(ctx); len(got) != 2 || got[k] != 1 {
		t.Errorf("Snapshot() = %v; want k:1 and nil:<nil>", got)
	}
	if n := s.Live(); n != 1 {
		t.Errorf("Live() = %d with one goroutine bound; want 1", n)
	}
	s.Delete(ctx, k)
	if v, ok := s.Get(ctx, k); ok {
		t.Errorf("Get(k) = %v, %v after Delete; want nil, false", v, ok)
	}
	s.Release(ctx)
	if n := s.Live(); n != 0 {
		t.Errorf("Live() = %d after Release; want 0", n)
	}
	if v, ok := s.Get(ctx, knil); ok {
		t.Errorf("Get(nil key) = %v, %v after Release; want nil, false", v, ok)
	}
}

func TestStoresAreSeparate(t *testing.T) {
	a, b := shardedmap.New(), shardedmap.New()
	ctx := context.Background()
	k := strategies.NewKey("k")
	a.Set(ctx, k, "a")
	defer a.Release(ctx)
	if v, ok := b.Get(ctx, k); ok {
		t.Errorf("Get(k) = %v, %v on a second store; want nil, false: two stores never share bindings", v, ok)
	}
}

// TestManyGoroutines has thousands of goroutines bind at once, so that
// every shard's table grows several times, then checks that each still
// sees only its own values, and that Release empties the store.
func TestManyGoroutines(t *testing.T) {
	const n = 3000 // below the race detector's limit on live goroutines
	s := shardedmap.New()
	ctx := context.Background()
	k1, k2 := strategies.NewKey("k1"), strategies.NewKey("k2")
	var bound, released sync.WaitGroup
	check, release := make(chan struct{}), make(chan struct{})
	bound.Add(n)
	released.Add(n)
	for i := range n {
		go func() {
			defer released.Done()
			s.Set(ctx, k1, i)
			s.Set(ctx, k2, -i)
			bound.Done()
			<-check
			if v, _ := s.Get(ctx, k1); v != i {
				t.Errorf("goroutine %d: Get(k1) = %v; want %d: a goroutine sees only its own bindings", i, v, i)
			}
			if v, _ := s.Get(ctx, k2); v != -i {
				t.Errorf("goroutine %d: Get(k2) = %v; want %d", i, v, -i)
			}
			<-release
			s.Release(ctx)
		}()
	}
	bound.Wait()
	if got := s.Live(); got != n {
		t.Errorf("Live() = %d with %d goroutines bound; want %d", got, n, n)
	}
	close(check)
	close(release)
	released.Wait()
	if got := s.Live(); got != 0 {
		t.Errorf("Live() = %d after every goroutine released; want 0", got)
	}
}

// TestChurn has goroutines come and go (bind, check, release, in a loop)
// while long-lived ones keep reading their own bindings, so that tables are
// grown, cleaned and shrunk under readers. Run it with -race.
func TestChurn(t *testing.T) {
	s := shardedmap.New()
	ctx := context.Background()
	k := strategies.NewKey("k")
	const readers, churners, rounds = 4, 8, 300
	stop := make(chan struct{})
	var readersDone, churnDone sync.WaitGroup
	for r := range readers {
		readersDone.Go(func() {
			s.Set(ctx, k, r)
			defer s.Release(ctx)
			for {
				select {
				case <-stop:
					return
				default:
				}
				if v, ok := s.Get(ctx, k); v != r || !ok {
					t.Errorf("reader %d: Get(k) = %v, %v while others came and went; want %d, true", r, v, ok, r)
					return
				}
			}
		})
	}
	for c := range churners {
		churnDone.Go(func() {
			for i := range rounds {
				// A fresh goroutine each time: a new id, as in a server.
				done := make(chan struct{})
				go func() {
					defer close(done)
					want := c*rounds + i
					s.Scope(ctx, func(ctx context.Context) {
						s.Set(ctx, k, want)
						if v, _ := s.Get(ctx, k); v != want {
							t.Errorf("Get(k) = %v in a scope; want %d", v, want)
						}
					})
					if v, ok := s.Get(ctx, k); ok {
						t.Errorf("Get(k) = %v, %v after the scope; want nil, false", v, ok)
					}
					if i%2 == 0 {
						s.Set(ctx, k, want)
						s.Release(ctx)
					}
				}()
				<-done
			}
		})
	}
	churnDone.Wait()
	close(stop)
	readersDone.Wait()
	if got := s.Live(); got != 0 {
		t.Errorf("Live() = %d after every goroutine released or left its scope; want 0", got)
	}
}

// TestLeak documents the leak that Info().Leaks reports: a goroutine that
// Sets outside any scope and exits without Release leaves its entry.
func TestLeak(t *testing.T) {
	s := shardedmap.New()
	ctx := context.Background()
	k := strategies.NewKey("k")
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Set(ctx, k, 1)
	}()
	<-done
	if got := s.Live(); got != 1 {
		t.Errorf("Live() = %d after a goroutine exited without Release; want 1: the entry stays (Leaks is true)", got)
	}
	done = make(chan struct{})
	go func() {
		defer close(done)
		defer s.Release(ctx)
		s.Set(ctx, k, 1)
	}()
	<-done
	if got := s.Live(); got != 1 {
		t.Errorf("Live() = %d after a goroutine that released exited; want still 1", got)
	}
}

func TestWrapAndGo(t *testing.T) {
	s := shardedmap.New()
	ctx := context.Background()
	k := strategies.NewKey("k")
	s.Set(ctx, k, "parent")
	defer s.Release(ctx)
	got := make(chan any, 1)
	strategies.Go(ctx, s, func(ctx context.Context) {
		v, _ := s.Get(ctx, k)
		s.Set(ctx, k, "child")
		got <- v
	})
	s.Set(ctx, k, "parent later")
	if v := <-got; v != "parent" {
		t.Errorf("child Get(k) = %v; want parent: Go copies the bindings at the call", v)
	}
	if v, _ := s.Get(ctx, k); v != "parent later" {
		t.Errorf("parent Get(k) = %v; want parent later: the child's Set must not reach the parent", v)
	}
}

// TestRetained checks the memory a goroutine holding four pointer bindings
// keeps in the store, beyond the values themselves; see BenchmarkRetained.
func TestRetained(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("measures the heap with thousands of goroutines; the race detector changes allocation sizes")
	}
	const budget = 160 // a 112-byte State (four key-value entries) and its share of a table
	per := retained(shardedmap.New(), 3000)
	t.Logf("%.1f B/goroutine", per)
	if per > budget {
		t.Errorf("%.1f bytes retained per goroutine holding 4 bindings; want at most %d", per, budget)
	}
}
