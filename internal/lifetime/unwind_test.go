package lifetime

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/localbench/localbench/strategies"
)

var unwindKey = strategies.NewKey("lifetime.unwind")

// TestDeferAfterOutermostScope checks what a function deferred outside the
// outermost Scope sees while a panic or runtime.Goexit that ended the Scope
// unwinds through it, when another goroutine has entered a Scope of the
// same store in the meantime.
//
// The contract says a goroutine never sees another's bindings. This test
// found gls breaking it, and now keeps it fixed: jtolds/gls finds a
// goroutine's bindings through a tag encoded in marker frames on its stack,
// and gives the tag back to a pool (last in, first out) when the outermost
// scope ends. While a panic or Goexit unwinds, the dead frames, markers
// included, are still on the stack when the deferred functions of the
// callers run; the next goroutine to enter a scope takes the same tag, and
// the deferred function would then read, and with Set write, that
// goroutine's innermost scope. A normal return pops the markers, so only
// unwinding is affected. The gls strategy now records the goroutine that
// runs each frame and ignores frames of other goroutines.
func TestDeferAfterOutermostScope(t *testing.T) {
	for _, how := range []string{"Goexit", "panic"} {
		t.Run("by="+how, func(t *testing.T) {
			forEach(t, func(t *testing.T, st strategy, s strategies.Store) {
				deferAfterUnwind(t, st, s, how)
			})
		})
	}
}

func deferAfterUnwind(t *testing.T, st strategy, s strategies.Store, how string) {
	unwound := make(chan struct{}) // A's scope has ended; A is unwinding
	bound := make(chan struct{})   // B has bound its value in its scope
	aDone := make(chan struct{})   // A has read and written
	bDone := make(chan struct{})   // B has checked its value and ended
	var (
		seen     any
		seenOK   bool
		setPanic any
	)
	// A binds in a scope, which a panic or Goexit ends; a function deferred
	// outside the scope then reads and writes while unwinding.
	go func() {
		defer close(aDone)
		defer func() {
			if how == "panic" {
				if v := recover(); v != "A" {
					t.Errorf("recover() = %v; want \"A\": a panic inside Scope reaches the caller unchanged", v)
				}
			}
			close(unwound)
			select {
			case <-bound:
			case <-bDone:
				return // B failed; it has reported why
			}
			ctx := context.Background()
			seen, seenOK = s.Get(ctx, unwindKey)
			setPanic = catch(func() { s.Set(ctx, unwindKey, "set by A") })
			if r, ok := s.(strategies.Releaser); ok {
				r.Release(ctx) // A's own Set, where it made an entry
			}
		}()
		s.Scope(context.Background(), func(ctx context.Context) {
			s.Set(ctx, unwindKey, "A")
			if how == "panic" {
				panic("A")
			}
			runtime.Goexit()
		})
	}()
	// B enters a scope of the same store once A's has ended, and binds.
	var bSees any
	go func() {
		defer close(bDone)
		select {
		case <-unwound:
		case <-aDone:
			t.Errorf("A ended without unwinding through its deferred function")
			return
		}
		s.Scope(context.Background(), func(ctx context.Context) {
			ctx = s.Set(ctx, unwindKey, "B")
			close(bound)
			<-aDone
			bSees, _ = s.Get(ctx, unwindKey)
		})
	}()
	await(t, bDone, "goroutine B to end")
	await(t, aDone, "goroutine A to end")

	const why = "a goroutine never sees another goroutine's bindings, also while a panic or Goexit unwinds past its outermost Scope"
	if seen != nil || seenOK {
		t.Errorf("A's deferred Get(k) = %v, %t; want nil, false: %s", seen, seenOK, why)
	}
	if bSees != "B" {
		t.Errorf("B's Get(k) after A's deferred Set = %v; want \"B\": %s", bSees, why)
	}
	if s.Info().NeedsScope {
		if err, _ := setPanic.(error); !errors.Is(err, strategies.ErrNoScope) {
			t.Errorf("A's deferred Set outside any scope panicked with %v; want an error wrapping ErrNoScope", setPanic)
		}
	} else if setPanic != nil {
		t.Errorf("A's deferred Set panicked with %v; want no panic", setPanic)
	}
}

// catch calls fn and returns what it panicked with, or nil.
func catch(fn func()) (v any) {
	defer func() { v = recover() }()
	fn()
	return nil
}
