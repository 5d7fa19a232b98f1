package harness

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/localbench/localbench/strategies"
)

// waitTimeout bounds every wait in a case, so that a broken store fails
// instead of hanging.
const waitTimeout = 10 * time.Second

// The keys cases bind. They are package variables, as keys are meant to be:
// stores are fresh for every case, so the keys need not be.
var (
	keyA = strategies.NewKey("harness.a")
	keyB = strategies.NewKey("harness.b")
	keyC = strategies.NewKey("harness.c")
	keyD = strategies.NewKey("harness.d")
	keyW = strategies.NewKey("harness.w")
)

// caseKeys are every key a case binds; views are checked over all of them.
var caseKeys = []*strategies.Key{keyA, keyB, keyC, keyD, keyW}

// view is a set of bindings, as Snapshot returns them.
type view = map[*strategies.Key]any

// show formats the results of Get.
func show(v any, ok bool) string {
	return fmt.Sprintf("%s, %t", showValue(v), ok)
}

func showValue(v any) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprintf("%#v", v)
}

// showView formats bindings in key-name order, as {harness.a: 1, harness.b: nil}.
func showView(m view) string {
	keys := make([]*strategies.Key, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b *strategies.Key) int {
		return strings.Compare(a.String(), b.String())
	})
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %s", keyName(k), showValue(m[k]))
	}
	b.WriteByte('}')
	return b.String()
}

func keyName(k *strategies.Key) string {
	if k == nil {
		return "<nil key>"
	}
	return k.Name()
}

// sameValue reports whether two bound values are equal. It never panics,
// whatever a broken store returns.
func sameValue(a, b any) bool { return reflect.DeepEqual(a, b) }

// sameView reports whether two sets of bindings are equal.
func sameView(a, b view) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok || !sameValue(va, vb) {
			return false
		}
	}
	return true
}

// expectGet reports, got before want, unless s.Get(ctx, k) returns
// (want, wantOK). It returns whether it did.
func expectGet(t T, s strategies.Store, ctx context.Context, k *strategies.Key, want any, wantOK bool, why string) bool {
	t.Helper()
	v, ok := s.Get(ctx, k)
	if ok != wantOK || !sameValue(v, want) {
		t.Errorf("Get(%s) = %s; want %s: %s", keyName(k), show(v, ok), show(want, wantOK), why)
		return false
	}
	return true
}

// expectUnbound reports unless k is unbound in s at ctx.
func expectUnbound(t T, s strategies.Store, ctx context.Context, k *strategies.Key, why string) bool {
	t.Helper()
	return expectGet(t, s, ctx, k, nil, false, why)
}

// checkView reports unless the bindings of s at ctx are exactly want: Get of
// every key in keys agrees with want, and so does Snapshot.
func checkView(t T, s strategies.Store, ctx context.Context, keys []*strategies.Key, want view, why string) bool {
	t.Helper()
	ok := true
	for _, k := range keys {
		v, bound := want[k]
		ok = expectGet(t, s, ctx, k, v, bound, why) && ok
	}
	if got := s.Snapshot(ctx); !sameView(got, want) {
		t.Errorf("Snapshot() = %s; want %s: %s", showView(got), showView(want), why)
		ok = false
	}
	return ok
}

// expectView is checkView over the keys cases bind.
func expectView(t T, s strategies.Store, ctx context.Context, want view, why string) bool {
	t.Helper()
	return checkView(t, s, ctx, caseKeys, want, why)
}

// inScope runs fn in a Scope of s begun from context.Background(), so that a
// case body works with stores that need a scope and leaves nothing behind.
func inScope(s strategies.Store, fn func(ctx context.Context)) {
	s.Scope(context.Background(), fn)
}

// guard, deferred, reports a panic of the goroutine that deferred it
// instead of letting it crash the test binary.
func guard(t T) {
	if v := recover(); v != nil {
		t.Errorf("unexpected panic: %v\n%s", v, debug.Stack())
	}
}

// spawn runs fn on a new goroutine started with a plain go statement, and
// returns a channel closed when fn has returned. A panic in fn is reported.
func spawn(t T, fn func()) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer guard(t)
		fn()
	}()
	return done
}

// goChild starts fn with strategies.Go (so a store's own Spawner, if it has
// one, is what is checked), and returns a channel closed when fn has
// returned. A panic in fn is reported.
func goChild(t T, s strategies.Store, ctx context.Context, fn func(context.Context)) <-chan struct{} {
	done := make(chan struct{})
	strategies.Go(ctx, s, func(ctx context.Context) {
		defer close(done)
		defer guard(t)
		fn(ctx)
	})
	return done
}

// await waits at most waitTimeout for ch to be closed or to deliver, and
// reports if it does not. It returns whether ch was ready.
func await(t T, ch <-chan struct{}, what string) bool {
	t.Helper()
	timer := time.NewTimer(waitTimeout)
	defer timer.Stop()
	select {
	case <-ch:
		return true
	case <-timer.C:
		t.Errorf("%s did not happen within %v (a store method blocked or a goroutine never ran)", what, waitTimeout)
		return false
	}
}

// awaitAll waits for every channel in chs with one deadline.
func awaitAll(t T, chs []<-chan struct{}, what string) bool {
	t.Helper()
	timer := time.NewTimer(waitTimeout)
	defer timer.Stop()
	for i, ch := range chs {
		select {
		case <-ch:
		case <-timer.C:
			t.Errorf("%s: %d of %d did not end within %v (a store method blocked or a goroutine never ran)", what, len(chs)-i, len(chs), waitTimeout)
			return false
		}
	}
	return true
}

// awaitN receives n values from ch with one deadline.
func awaitN(t T, ch <-chan struct{}, n int, what string) bool {
	t.Helper()
	timer := time.NewTimer(waitTimeout)
	defer timer.Stop()
	for i := range n {
		select {
		case <-ch:
		case <-timer.C:
			t.Errorf("%s: %d of %d did not happen within %v (a store method blocked or a goroutine never ran)", what, n-i, n, waitTimeout)
			return false
		}
	}
	return true
}

// give hands the turn over ch, waiting at most waitTimeout for the taker.
func give(t T, ch chan<- struct{}, what string) bool {
	t.Helper()
	return send(t, ch, struct{}{}, what)
}

// send sends v on ch, waiting at most waitTimeout for the receiver.
func send[V any](t T, ch chan<- V, v V, what string) bool {
	t.Helper()
	timer := time.NewTimer(waitTimeout)
	defer timer.Stop()
	select {
	case ch <- v:
		return true
	case <-timer.C:
		t.Errorf("%s did not happen within %v", what, waitTimeout)
		return false
	}
}

// catch runs fn and returns what it panicked with, or nil.
func catch(fn func()) (v any) {
	defer func() { v = recover() }()
	fn()
	return nil
}

// settle polls c.Live() until it is want or a deadline has passed (5s, 1s
// in short mode), and returns the last count. It is a wait for a condition
// with a deadline (goroutines that signalled their end may still be
// returning from the store), not a sleep for ordering: it first polls
// yielding the processor with runtime.Gosched, then, so as not to burn a
// core while a leaky store keeps it waiting, on a millisecond ticker.
func settle(t T, c strategies.Counter, want int) (int, bool) {
	deadline := time.Now().Add(time.Duration(scaled(t, 5, 1)) * time.Second)
	for range 1000 {
		if got := c.Live(); got == want {
			return got, true
		}
		runtime.Gosched()
	}
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		got := c.Live()
		if got == want {
			return got, true
		}
		if time.Now().After(deadline) {
			return got, false
		}
		<-tick.C
	}
}

// limitT passes the first max errors on to T and counts the rest, so that a
// broken store checked by thousands of goroutines gives a readable report.
type limitT struct {
	T
	max int

	mu sync.Mutex
	n  int
}

func limit(t T, max int) *limitT { return &limitT{T: t, max: max} }

func (l *limitT) Errorf(format string, args ...any) {
	l.mu.Lock()
	l.n++
	pass := l.n <= l.max
	l.mu.Unlock()
	if pass {
		l.T.Errorf(format, args...)
	}
}

// flush reports how many errors were left out.
func (l *limitT) flush() {
	l.mu.Lock()
	n := l.n
	l.mu.Unlock()
	if n > l.max {
		l.T.Errorf("... and %d more errors like these", n-l.max)
	}
}
