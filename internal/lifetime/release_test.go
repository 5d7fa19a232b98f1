package lifetime

import (
	"context"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"
	"weak"

	"github.com/localbench/localbench/strategies"
)

// The keys the release tests bind payloads to.
var (
	parentKey = strategies.NewKey("lifetime.parent")
	childKey  = strategies.NewKey("lifetime.child")
)

// payload is a value whose collection the tests watch through a weak
// pointer. It is big enough (and holds a pointer) to get an allocation of
// its own, never one shared by the tiny allocator, which would keep it
// reachable as long as its neighbours.
type payload struct {
	name string
	_    [64]byte
}

// newPayload returns a new payload and a func that reports whether it is
// still reachable. The func holds only a weak pointer.
func newPayload(name string) (*payload, func() bool) {
	p := &payload{name: name}
	w := weak.Make(p)
	return p, func() bool { return w.Value() != nil }
}

// gcTimeout bounds how long a test runs the collector waiting for an object
// to become unreachable.
const gcTimeout = 10 * time.Second

// collected runs the collector until alive reports false, for at most
// gcTimeout, and reports whether it did.
func collected(alive func() bool) bool {
	deadline := time.Now().Add(gcTimeout)
	for {
		runtime.GC()
		if !alive() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond) // let a goroutine that is ending finish
	}
}

// survives runs the collector a few times and reports whether alive stayed
// true throughout.
func survives(alive func() bool) bool {
	for range 5 {
		runtime.GC()
		if !alive() {
			return false
		}
	}
	return true
}

// mustCollect fails the test unless every alive func goes false.
func mustCollect(t *testing.T, why string, alive ...func() bool) {
	t.Helper()
	for i, a := range alive {
		if !collected(a) {
			t.Errorf("payload %d of %d still reachable after %v of collections; want collectable: %s", i+1, len(alive), gcTimeout, why)
		}
	}
}

// TestReleased proves, with weak pointers, that a value bound in a
// goroutine, a Wrap'd func or a Scope that has ended becomes collectable,
// also while the goroutine that ran it is still alive (parked), and that a
// value bound by a plain go statement without Release stays reachable
// exactly where the store says it leaks.
func TestReleased(t *testing.T) {
	t.Run("by=Go", func(t *testing.T) { forEach(t, releasedByGo) })
	t.Run("by=Wrap", func(t *testing.T) { forEach(t, releasedByWrap) })
	t.Run("by=Scope", func(t *testing.T) { forEach(t, releasedByScope) })
	t.Run("by=Release", func(t *testing.T) { forEach(t, releasedByRelease) })
	t.Run("by=exit", func(t *testing.T) { forEach(t, releasedByExit) })
}

// releasedByGo: a payload the parent bound in a scope, copied into a child
// started by strategies.Go, and a payload the child bound, are collectable
// once the scope and the child have ended.
func releasedByGo(t *testing.T, _ strategy, s strategies.Store) {
	childAlive := make(chan func() bool, 1)
	var parentAlive func() bool
	s.Scope(context.Background(), func(ctx context.Context) {
		var p *payload
		p, parentAlive = newPayload("parent")
		ctx = s.Set(ctx, parentKey, p)
		strategies.Go(ctx, s, func(ctx context.Context) {
			p, alive := newPayload("child")
			s.Set(ctx, childKey, p)
			childAlive <- alive
		})
	})
	mustCollect(t, "after a goroutine started by Go ends, the store holds nothing for it",
		parentAlive, await(t, childAlive, "the child started by Go"))
}

// releasedByWrap: payloads captured by Wrap and bound inside the Wrap'd
// func are collectable once it has returned, while the pool worker that ran
// it is parked.
func releasedByWrap(t *testing.T, _ strategy, s strategies.Store) {
	tasks := make(chan func())
	taskAlive := make(chan func() bool, 1)
	parked := make(chan struct{})
	release := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		(<-tasks)()
		close(parked)
		<-release
	}()
	var capturedAlive func() bool
	s.Scope(context.Background(), func(ctx context.Context) {
		var p *payload
		p, capturedAlive = newPayload("captured")
		ctx = s.Set(ctx, parentKey, p)
		task := s.Wrap(ctx, func(ctx context.Context) {
			p, alive := newPayload("task")
			s.Set(ctx, childKey, p)
			taskAlive <- alive
		})
		tasks <- task
	})
	await(t, parked, "the worker to run the task and park")
	mustCollect(t, "after a Wrap'd func returns, the worker that ran it holds nothing of it",
		capturedAlive, await(t, taskAlive, "the Wrap'd task"))
	close(release)
	await(t, ended, "the worker to end")
}

// releasedByScope: a payload bound in the outermost Scope is collectable
// once it has returned, while its goroutine is parked.
func releasedByScope(t *testing.T, _ strategy, s strategies.Store) {
	alive := make(chan func() bool, 1)
	release := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		s.Scope(context.Background(), func(ctx context.Context) {
			p, a := newPayload("scoped")
			s.Set(ctx, childKey, p)
			alive <- a
		})
		<-release
	}()
	mustCollect(t, "after the outermost Scope returns, the store holds nothing for it",
		await(t, alive, "the goroutine to bind in its scope"))
	close(release)
	await(t, ended, "the goroutine to end")
}

// releasedByRelease: a goroutine started with a plain go statement binds a
// payload outside any scope and parks, having dropped the context Set
// returned. Where bindings are implicit, the payload is its binding and
// stays reachable until it calls Release; where they are explicit
// (ctxvalue), dropping the context drops the binding.
func releasedByRelease(t *testing.T, _ strategy, s strategies.Store) {
	if s.Info().NeedsScope {
		t.Skipf("%s: Set outside any scope panics with ErrNoScope (Info().NeedsScope); Scope, Wrap and Go are checked above", s.Info().Name)
	}
	r, isReleaser := s.(strategies.Releaser)
	alive := make(chan func() bool, 1)
	releaseNow := make(chan struct{})
	released := make(chan struct{})
	end := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		p, a := newPayload("plain")
		s.Set(context.Background(), childKey, p) // the returned context is dropped
		alive <- a
		<-releaseNow
		if isReleaser {
			r.Release(context.Background())
		}
		close(released)
		<-end
	}()
	defer func() {
		close(end)
		await(t, ended, "the goroutine to end")
	}()
	a := await(t, alive, "the goroutine to bind")
	switch {
	case !s.Info().Implicit:
		mustCollect(t, "an explicit store holds nothing outside the contexts it returns", a)
		close(releaseNow)
	case !isReleaser:
		close(releaseNow)
		t.Errorf("%s is implicit and keeps bindings outside any scope but is no strategies.Releaser; want a way to forget them", s.Info().Name)
	default:
		if !survives(a) {
			t.Errorf("a payload bound outside any scope by a goroutine that is still running was collected; want it kept: it is that goroutine's binding until it calls Release")
		}
		close(releaseNow)
		await(t, released, "the goroutine to call Release")
		mustCollect(t, "Release forgets every binding of the calling goroutine", a)
	}
}

// releasedByExit: a goroutine started with a plain go statement binds a
// payload outside any scope and exits without Release. Where the store says
// it leaks (Info().Leaks), the payload stays reachable, the documented
// leak, until the store itself is dropped; elsewhere it is collectable.
func releasedByExit(t *testing.T, st strategy, _ strategies.Store) {
	// A store of its own, not closed at the end of the test, which would keep
	// it reachable: this test drops it.
	s, storeAlive := st.open()
	if s.Info().NeedsScope {
		t.Skipf("%s: Set outside any scope panics with ErrNoScope (Info().NeedsScope)", st.name)
	}
	alive := make(chan func() bool, 1)
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		p, a := newPayload("leaked")
		s.Set(context.Background(), childKey, p)
		alive <- a
	}()
	a := await(t, alive, "the goroutine to bind")
	await(t, ended, "the goroutine to end")
	if !s.Info().Leaks {
		mustCollect(t, "a store whose Info().Leaks is false keeps nothing for a goroutine that exited", a)
		return
	}
	if !survives(a) {
		t.Errorf("%s: a payload bound by a plain go statement that exited without Release was collected; want it kept: Info().Leaks says the entry stays behind (if that is fixed, update Info)", st.name)
	}
	if c, ok := s.(strategies.Counter); ok {
		if n := c.Live(); n != 1 {
			t.Errorf("%s: Live() = %d after one plain goroutine Set and exited without Release; want 1: the leaked entry is counted", st.name, n)
		}
	}
	t.Logf("%s: documented leak observed: the payload of a plain goroutine that exited without Release stays reachable while the store is", st.name)
	runtime.KeepAlive(s)
	if c, ok := s.(io.Closer); ok {
		c.Close()
	}
	mustCollect(t, "dropping a store drops what it leaked", a)
	if !collected(storeAlive) {
		t.Errorf("%s: the store is still reachable after the test dropped it; want collectable", st.name)
	}
}

// TestDroppedStore checks that a store that is dropped (and closed, where it
// is an io.Closer) becomes collectable, with everything bound in it, while
// goroutines that bound values in it are still parked.
func TestDroppedStore(t *testing.T) {
	const goroutines = 8
	for _, st := range allStrategies() {
		t.Run("strategy="+st.name, func(t *testing.T) {
			release := make(chan struct{})
			var ended sync.WaitGroup
			storeAlive, payloadsAlive := useAndDrop(t, st, goroutines, release, &ended)
			if !collected(storeAlive) {
				t.Errorf("%s: the store is still reachable after it was dropped, while %d goroutines that bound values in it are parked; want collectable: a store's life does not depend on the goroutines that used it", st.name, goroutines)
			}
			mustCollect(t, "the values bound in a dropped store go with it", payloadsAlive...)
			close(release)
			waitGroup(t, &ended, "the parked goroutines to end")
		})
	}
}

// useAndDrop opens a store of strategy st, has n goroutines bind a payload
// each in it (outside any scope where the store allows that, so that
// id-keyed stores hold an entry for each; inside a scope otherwise) and
// park until release is closed, closes the store if it is an io.Closer, and
// drops it. It returns funcs that report whether the store and each payload
// are still reachable.
func useAndDrop(t *testing.T, st strategy, n int, release <-chan struct{}, ended *sync.WaitGroup) (func() bool, []func() bool) {
	s, storeAlive := st.open()
	out := make(chan func() bool, n)
	ended.Add(n)
	for range n {
		go useThenPark(s, out, release, ended)
	}
	var payloads []func() bool
	for range n {
		payloads = append(payloads, await(t, out, "a goroutine to bind"))
	}
	if c, ok := s.(io.Closer); ok {
		if err := c.Close(); err != nil {
			t.Errorf("Close() = %v; want nil", err)
		}
	}
	return storeAlive, payloads
}

// useThenPark binds a payload in s, sends its alive func to out, and parks
// until release is closed. It holds no reference to s while parked.
func useThenPark(s strategies.Store, out chan<- func() bool, release <-chan struct{}, ended *sync.WaitGroup) {
	defer ended.Done()
	out <- bindPayload(s)
	<-release
}

func bindPayload(s strategies.Store) func() bool {
	p, alive := newPayload("used")
	if s.Info().NeedsScope {
		s.Scope(context.Background(), func(ctx context.Context) { s.Set(ctx, childKey, p) })
	} else {
		s.Set(context.Background(), childKey, p)
	}
	return alive
}
