// Package gls is a strategies.Store on github.com/jtolds/gls, which tags
// the goroutine's stack with marker functions and finds the tag again with
// runtime.Callers.
//
// Use it when values must be implicit (found by callees that take no
// context) but you want neither goroutine-id maps nor their leaks: values
// live only inside Scope, a Wrap'd function or a strategies.Go'd goroutine,
// and are gone when it returns, so nothing can be left behind by a goroutine
// that exits (Info().Leaks is false). Set and Delete outside any scope panic
// with strategies.ErrNoScope.
//
// Do not use it where Get is hot or stacks are deep: every Get, Set and Delete
// walks the stack with runtime.Callers from the caller down to the outermost
// scope, so its cost grows with the stack depth between them, and faster than
// linearly: jtolds/gls reads the stack 16 frames per runtime.Callers call, and
// each call unwinds again from the top, so a walk of d frames unwinds about
// d²/32 frames. Microseconds per Get are normal (see BenchmarkGls). It is also
// fragile, plainly: jtolds/gls encodes a goroutine tag as a chain of
// //go:noinline marker functions on the stack and decodes it from return
// addresses. Anything that changes how frames appear to runtime.Callers
// (a compiler that inlines or merges the markers, a runtime change) breaks
// it, and code that starts goroutines must go through Wrap or strategies.Go,
// never gls.Go (whose child reads the parent's live map, racing with it).
//
// A scope is a frame: a small object owned by the goroutine running the
// scope, holding the visible bindings in a slice indexed by
// strategies.Key.Index. A new frame shares its parent's slice and copies it
// on its first Set or Delete (copy on write), so that Get is one slice index
// after the stack walk, whatever the nesting, and entering a scope that
// changes nothing copies nothing. Sharing is safe because a frame is touched
// only by its own goroutine, and the parent frame cannot run while the
// child is open. Wrap shares the slice with the Wrap'd calls in the same way
// and makes the frame that owns it copy it before its next change, so the
// captured bindings never change. Delete stores "unbound" in the frame's own
// copy, which hides the parent's value until the frame ends.
package gls

import (
	"context"
	"sync/atomic"

	"github.com/jtolds/gls"
	"github.com/localbench/localbench/strategies"
)

const name = "gls"

// frameTag is the gls key under which a store's current frame is set. Each
// store has its own context manager, so one tag serves them all.
type frameTag struct{}

// Store is the gls strategy. Create it with New and Close it when done; the
// zero value is not usable, and a closed Store must not be used. A *Store is
// safe for concurrent use and must not be copied.
//
// Get, Set and Delete cost a runtime.Callers walk of the stack down to the
// outermost scope (one 128-byte allocation per 16 frames, quadratic time in
// the depth), plus a lock and a map lookup in the context manager. Measured
// on two shared cores: about 2 µs with a shallow stack, 15 µs with 64 frames
// more, 100 µs with 256 more. Scope and a Wrap'd call walk the stack twice
// and allocate a frame and the context manager's bookkeeping (about 1 KB in
// 11 allocations); the first Set or Delete in a scope copies the parent's
// slice.
type Store struct {
	cm   *gls.ContextManager
	live atomic.Int64
}

var (
	_ strategies.Store   = (*Store)(nil)
	_ strategies.Counter = (*Store)(nil)
)

// New returns a store with its own gls context manager.
//
// jtolds/gls keeps a global registry of context managers, used only by
// gls.Go, which copies every registered manager's values into a new
// goroutine by sharing the parent's live map. New takes its manager out of
// that registry at once, so that a gls.Go called by other code inside one of
// this store's scopes starts a goroutine that inherits nothing (as a plain go
// statement does) instead of one that shares the parent's frame.
func New() *Store {
	cm := gls.NewContextManager()
	cm.Unregister()
	return &Store{cm: cm}
}

// Close gives back the store's context manager (unregistering it from
// jtolds/gls's registry, which New already did). It always returns nil and
// may be called more than once. The store must not be used after Close.
func (s *Store) Close() error {
	s.cm.Unregister()
	return nil
}

// Info reports gls's traits: implicit, needs a scope, never leaks.
func (s *Store) Info() strategies.Info {
	return strategies.Info{Name: name, Implicit: true, NeedsScope: true}
}

// boundNil marks a key bound to nil, so that a nil slot means "unbound".
type boundNil struct{}

// frame is one scope's bindings. Only the goroutine running the scope
// touches it.
type frame struct {
	vals []any // by key index; nil is unbound, boundNil{} is bound to nil
	// owned reports that vals is this frame's own copy and may be written.
	// A frame that does not own vals shares its parent's slice (a scope's
	// frame) or a captured slice that nothing writes (a Wrap'd call's).
	owned  bool
	parent *frame // the enclosing scope's frame; nil in a Wrap'd call
}

// writable makes f.vals f's own copy, at least n long.
func (f *frame) writable(n int) {
	if f.owned && n <= len(f.vals) {
		return
	}
	vals := make([]any, max(n, len(f.vals)))
	copy(vals, f.vals)
	f.vals = vals
	f.owned = true
}

// current returns the innermost frame on the calling goroutine, or nil.
func (s *Store) current() *frame {
	v, _ := s.cm.GetValue(frameTag{})
	f, _ := v.(*frame)
	return f
}

// run calls fn(ctx) with f as the current frame, counting it in Live.
func (s *Store) run(f *frame, ctx context.Context, fn func(context.Context)) {
	s.live.Add(1)
	// Deferred, so that a frame ended by a panic or runtime.Goexit is
	// uncounted too; jtolds/gls's SetValues restores its own state with
	// defers as well.
	defer s.live.Add(-1)
	s.cm.SetValues(gls.Values{frameTag{}: f}, func() { fn(ctx) })
}

// Get returns the value bound to k in the innermost scope of the calling
// goroutine.
func (s *Store) Get(ctx context.Context, k *strategies.Key) (any, bool) {
	strategies.CheckKey(name, "Get", k)
	f := s.current()
	if f == nil {
		return nil, false
	}
	i := k.Index()
	if i >= len(f.vals) || f.vals[i] == nil {
		return nil, false
	}
	if _, ok := f.vals[i].(boundNil); ok {
		return nil, true
	}
	return f.vals[i], true
}

// Set binds k to v until the innermost scope ends and returns ctx. Outside
// any scope it panics with an error wrapping strategies.ErrNoScope.
func (s *Store) Set(ctx context.Context, k *strategies.Key, v any) context.Context {
	strategies.CheckKey(name, "Set", k)
	f := s.current()
	if f == nil {
		panic(strategies.Errorf(name, "Set", strategies.ErrNoScope))
	}
	if v == nil {
		v = boundNil{}
	}
	i := k.Index()
	f.writable(i + 1)
	f.vals[i] = v
	return ctx
}

// Delete unbinds k until the innermost scope ends, hiding a binding of an
// enclosing scope, and returns ctx. Outside any scope it panics with an
// error wrapping strategies.ErrNoScope.
func (s *Store) Delete(ctx context.Context, k *strategies.Key) context.Context {
	strategies.CheckKey(name, "Delete", k)
	f := s.current()
	if f == nil {
		panic(strategies.Errorf(name, "Delete", strategies.ErrNoScope))
	}
	i := k.Index()
	if i >= len(f.vals) || f.vals[i] == nil {
		return ctx
	}
	f.writable(i + 1)
	f.vals[i] = nil
	return ctx
}

// Scope runs fn(ctx) in a new frame that starts with the bindings visible
// now. jtolds/gls restores the enclosing frame with deferred calls, so it is
// current again when fn returns, panics or calls runtime.Goexit.
func (s *Store) Scope(ctx context.Context, fn func(context.Context)) {
	f := &frame{parent: s.current()}
	if f.parent != nil {
		f.vals = f.parent.vals
	}
	s.run(f, ctx, fn)
}

// Wrap captures the bindings visible now, on the calling goroutine, and
// returns a func that runs fn(ctx) in a new frame starting from them, on
// whatever goroutine calls it; that goroutine's own frame, if any, is current
// again afterwards. Each call starts from the captured bindings: the frames
// share the captured slice, which nothing writes, and each copies it on its
// first Set or Delete.
func (s *Store) Wrap(ctx context.Context, fn func(context.Context)) func() {
	var snap []any
	if f := s.current(); f != nil {
		snap = f.vals
		// Share the slice with the wrapped calls instead of copying it now,
		// and make the frame that owns it (f or the ancestor f shares it
		// with) copy it before its next change. Only this goroutine touches
		// these frames.
		for ; f != nil; f = f.parent {
			owned := f.owned
			f.owned = false
			if owned {
				break
			}
		}
	}
	return func() { s.run(&frame{vals: snap}, ctx, fn) }
}

// Snapshot returns a copy of the bindings visible in the innermost scope of
// the calling goroutine.
func (s *Store) Snapshot(ctx context.Context) map[*strategies.Key]any {
	m := make(map[*strategies.Key]any)
	f := s.current()
	if f == nil {
		return m
	}
	for i, v := range f.vals {
		if v == nil {
			continue
		}
		if _, ok := v.(boundNil); ok {
			v = nil
		}
		m[strategies.KeyByIndex(i)] = v
	}
	return m
}

// Live returns the number of frames open now, on all goroutines: scopes and
// running Wrap'd or Go'd functions. Nested scopes count once each.
func (s *Store) Live() int {
	return int(s.live.Load())
}
