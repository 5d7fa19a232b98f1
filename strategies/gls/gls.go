// Package gls is a strategies.Store on github.com/jtolds/gls, which tags
// the goroutine's stack with marker functions and finds the tag again with
// runtime.Callers.
//
// Use it when values must be implicit (found by callees that take no
// context) but nothing may be left behind: values
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
// d²/32 frames. Microseconds per Get are normal (BenchmarkDepth in results/
// shows how it grows). It is also fragile, plainly: jtolds/gls encodes a
// goroutine tag as a chain of //go:noinline marker functions on the stack
// and decodes it from return addresses. Anything that changes how frames
// appear to runtime.Callers (a compiler that inlines or merges the markers,
// a runtime change) breaks it, and code that starts goroutines must go
// through Wrap or strategies.Go: a plain go statement (or gls.Go) starts a
// goroutine that inherits nothing.
//
// jtolds/gls gives a goroutine's tag back to a pool when its outermost scope
// ends, and during a panic or runtime.Goexit its dead marker frames are still
// visible to the deferred calls above the scope, so a tag alone can name
// another goroutine. This store keys its frames by tag and goroutine id
// (from github.com/petermattis/goid), and keeps them in its own map under
// its own lock, rather than in a jtolds/gls ContextManager, whose lookup
// would read the other goroutine's map unsynchronised.
//
// A scope is a frame: a small object owned by the goroutine running the
// scope, holding the visible bindings in a map keyed by *strategies.Key. A
// new frame shares its parent's map and copies it on its first Set or
// Delete (copy on write), so that Get is one map lookup after the stack
// walk, whatever the nesting, and entering a scope that changes nothing
// copies nothing. Sharing is safe because a frame is touched only by its own
// goroutine, and the parent frame cannot run while the child is open. Wrap
// shares the map with the Wrap'd calls in the same way and makes the frame
// that owns it copy it before its next change, so the captured bindings
// never change. Delete removes the key from the frame's own copy, which
// hides the parent's value until the frame ends.
package gls

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/jtolds/gls"
	"github.com/localbench/localbench/strategies"
	"github.com/petermattis/goid"
)

const name = "gls"

// Store is the gls strategy. Create it with New; the zero value is not
// usable. A *Store is safe for concurrent use and must not be copied. Close
// it when done: a closed Store panics with ErrClosed on Scope and on calls
// of funcs that Wrap made.
//
// Get, Set and Delete cost a runtime.Callers walk of the stack down to the
// outermost scope (one 128-byte allocation per 16 frames, quadratic time in
// the depth: see BenchmarkDepth in results/), plus a goroutine-id read, a
// lock and a map lookup. Scope and a Wrap'd call walk the stack once, and
// allocate a frame; the first Set or Delete in a scope copies the parent's
// map.
type Store struct {
	mu     sync.Mutex
	frames map[frameKey]*frame // the innermost frame of each goroutine in a scope
	closed bool
	live   atomic.Int64
}

// frameKey names a goroutine in a scope: its jtolds/gls stack tag, found by
// walking its stack, and its goroutine id. The tag alone is not enough:
// jtolds/gls gives a goroutine's tag back to a pool when its outermost
// scope ends, but while a panic or runtime.Goexit unwinds, the dead marker
// frames are still on the stack when the deferred calls of the frames above
// run. Such a call finds the tag, which another goroutine may hold by then;
// with the goroutine id in the key it finds nothing, as it should, instead
// of the other goroutine's scope. (jtolds/gls's own ContextManager reads the
// other goroutine's map then, a data race; this store keeps its frames in a
// map of its own, under its own lock.)
type frameKey struct {
	tag uint
	g   int64
}

var (
	_ strategies.Store   = (*Store)(nil)
	_ strategies.Counter = (*Store)(nil)
	_ io.Closer          = (*Store)(nil)
)

// ErrClosed is the error a closed Store panics with on Scope and on calls of
// funcs that Wrap made.
var ErrClosed = errors.New("store is closed")

// New returns an empty store. It registers nothing with jtolds/gls (no
// ContextManager), so gls.Go, called by other code inside one of this
// store's scopes, starts a goroutine that inherits nothing, as a plain go
// statement does.
func New() *Store {
	return &Store{frames: make(map[frameKey]*frame)}
}

// Close forgets every frame and makes later Scope calls, and calls of funcs
// that Wrap made, panic with ErrClosed; scopes open at the time run on and
// find nothing. It returns nil and may be called more than once.
func (s *Store) Close() error {
	s.mu.Lock()
	s.closed = true
	clear(s.frames)
	s.mu.Unlock()
	return nil
}

// Info reports gls's traits: implicit, needs a scope, never leaks.
func (s *Store) Info() strategies.Info {
	return strategies.Info{Name: name, Implicit: true, NeedsScope: true}
}

// frame is one scope's bindings. Only the goroutine running the scope
// touches it.
type frame struct {
	vals map[*strategies.Key]any // every binding visible in the frame
	// owned reports that vals is this frame's own copy and may be written.
	// A frame that does not own vals shares its parent's map (a scope's
	// frame) or a captured map that nothing writes (a Wrap'd call's).
	owned  bool
	parent *frame // the enclosing scope's frame; nil in a Wrap'd call
}

// writable makes f.vals f's own copy.
func (f *frame) writable() {
	if f.owned {
		return
	}
	vals := make(map[*strategies.Key]any, len(f.vals)+1)
	for k, v := range f.vals {
		vals[k] = v
	}
	f.vals = vals
	f.owned = true
}

// current returns the innermost frame on the calling goroutine, or nil.
func (s *Store) current() *frame {
	return s.frame(gls.GetGoroutineId())
}

// frame returns the innermost frame of the calling goroutine given its tag,
// or nil. Get, Set and Delete call gls.GetGoroutineId themselves and pass
// the tag here, rather than call current: the stack walk is then one frame
// shorter, and every frame costs an unwind (twice where the walk crosses a
// 16-frame batch).
func (s *Store) frame(tag uint, ok bool) *frame {
	if !ok {
		return nil
	}
	key := frameKey{tag, goid.Get()}
	s.mu.Lock()
	f := s.frames[key]
	s.mu.Unlock()
	return f
}

// inFrame returns the func to hand gls.EnsureGoroutineId so that it calls
// fn(ctx) with f as the current frame, counting it in Live. The enclosing
// frame, if any, is current again when fn returns, panics or calls
// runtime.Goexit: the restore is deferred, and runs before jtolds/gls gives
// the goroutine's tag back. With inherit, f starts as a child of the
// enclosing frame, sharing its bindings: Scope finds that frame here, with
// the one stack walk that finds the tag, rather than with a walk of its own.
//
// Callers call gls.EnsureGoroutineId(s.inFrame(…)) themselves, so that
// between fn and the marker frames there are as few frames as jtolds/gls's
// own SetValues leaves: every frame a Get below walks through costs an
// unwind.
func (s *Store) inFrame(method string, f *frame, inherit bool, ctx context.Context, fn func(context.Context)) func(uint) {
	strategies.CheckFunc(name, method, fn)
	g := goid.Get()
	return func(tag uint) {
		// enter and leave hold the work around fn, so that the call of
		// fn comes early in this func's code: this frame is on every
		// stack walk made inside fn, and unwinding a frame decodes its
		// tables up to the call's PC.
		key := frameKey{tag, g}
		prev := s.enter(method, key, f, inherit)
		defer s.leave(key, prev)
		fn(ctx)
	}
}

// enter makes f the frame of key, as inFrame describes, and returns the
// frame it replaces (nil if none).
func (s *Store) enter(method string, key frameKey, f *frame, inherit bool) *frame {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		panic(strategies.Errorf(name, method, ErrClosed))
	}
	prev := s.frames[key]
	s.frames[key] = f
	s.mu.Unlock()
	if inherit && prev != nil {
		f.parent, f.vals = prev, prev.vals
	}
	s.live.Add(1)
	return prev
}

// leave makes prev the frame of key again (none if prev is nil).
func (s *Store) leave(key frameKey, prev *frame) {
	s.live.Add(-1)
	s.mu.Lock()
	if prev != nil {
		s.frames[key] = prev
	} else {
		delete(s.frames, key)
	}
	s.mu.Unlock()
}

// Get returns the value bound to k in the innermost scope of the calling
// goroutine.
func (s *Store) Get(ctx context.Context, k *strategies.Key) (any, bool) {
	strategies.CheckKey(name, "Get", k)
	f := s.frame(gls.GetGoroutineId())
	if f == nil {
		return nil, false
	}
	v, ok := f.vals[k]
	return v, ok
}

// Set binds k to v until the innermost scope ends and returns ctx. Outside
// any scope it panics with an error wrapping strategies.ErrNoScope.
func (s *Store) Set(ctx context.Context, k *strategies.Key, v any) context.Context {
	strategies.CheckKey(name, "Set", k)
	f := s.frame(gls.GetGoroutineId())
	if f == nil {
		panic(strategies.Errorf(name, "Set", strategies.ErrNoScope))
	}
	f.writable()
	f.vals[k] = v
	return ctx
}

// Delete unbinds k until the innermost scope ends, hiding a binding of an
// enclosing scope, and returns ctx. Outside any scope it panics with an
// error wrapping strategies.ErrNoScope.
func (s *Store) Delete(ctx context.Context, k *strategies.Key) context.Context {
	strategies.CheckKey(name, "Delete", k)
	f := s.frame(gls.GetGoroutineId())
	if f == nil {
		panic(strategies.Errorf(name, "Delete", strategies.ErrNoScope))
	}
	if _, ok := f.vals[k]; !ok {
		return ctx
	}
	f.writable()
	delete(f.vals, k)
	return ctx
}

// Scope runs fn(ctx) in a new frame that starts with the bindings visible
// now. The enclosing frame is current again when fn returns, panics or calls
// runtime.Goexit.
func (s *Store) Scope(ctx context.Context, fn func(context.Context)) {
	// inFrame checks fn (CheckFunc) before anything runs. Scope's own
	// code stays this one call: its frame is on every stack walk made
	// inside fn, and a frame's unwind costs more the further its call is
	// from the function's start.
	gls.EnsureGoroutineId(s.inFrame("Scope", new(frame), true, ctx, fn))
}

// Wrap captures the bindings visible now, on the calling goroutine, and
// returns a func that runs fn(ctx) in a new frame starting from them, on
// whatever goroutine calls it; that goroutine's own frame, if any, is current
// again afterwards. Each call starts from the captured bindings: the frames
// share the captured map, which nothing writes, and each copies it on its
// first Set or Delete.
func (s *Store) Wrap(ctx context.Context, fn func(context.Context)) func() {
	strategies.CheckFunc(name, "Wrap", fn)
	var snap map[*strategies.Key]any
	if f := s.current(); f != nil {
		snap = f.vals
		// Share the map with the wrapped calls instead of copying it now,
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
	return func() { gls.EnsureGoroutineId(s.inFrame("Wrap", &frame{vals: snap}, false, ctx, fn)) }
}

// Snapshot returns a copy of the bindings visible in the innermost scope of
// the calling goroutine.
func (s *Store) Snapshot(ctx context.Context) map[*strategies.Key]any {
	f := s.current()
	if f == nil {
		return make(map[*strategies.Key]any)
	}
	m := make(map[*strategies.Key]any, len(f.vals))
	for k, v := range f.vals {
		m[k] = v
	}
	return m
}

// Live returns the number of frames open now, on all goroutines: scopes and
// running Wrap'd or Go'd functions. Nested scopes count once each.
func (s *Store) Live() int {
	return int(s.live.Load())
}
