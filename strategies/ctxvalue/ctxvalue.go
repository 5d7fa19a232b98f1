// Package ctxvalue is a strategies.Store that carries bindings in
// context.Context, as a chain of immutable nodes.
//
// Use it whenever the code that reads a value can be handed a context: it is
// the best default. It needs no goroutine ids, no stack inspection and no
// scope; it holds nothing outside the contexts it returns, so it cannot leak
// (a binding lives exactly as long as some context that carries it), and a
// value can never reach a goroutine that was not handed the context.
//
// Do not use it when the reader cannot be handed a context, for example a
// logger deep in third-party code that takes no ctx parameter: bindings are
// explicit, so a callee given context.Background() finds nothing. An implicit
// strategy (shardedmap, gls) serves there.
//
// Every Set and every Delete that changes something returns a new node that
// wraps the context it was given (as context.WithValue does; when that
// context is the store's own node, its parent instead) and answers
// Value(store) with itself, so Get finds the newest node with one ctx.Value
// call, through any foreign layers (WithCancel, WithTimeout, WithValue) in
// between, and with no call at all when the context is the node itself.
//
// Each node holds a full, immutable copy of the visible values, in a slice
// indexed by strategies.Key.Index (path copying). Get is therefore one
// ctx.Value plus a slice index, whatever the number of bindings, where a
// chain of one context.WithValue per key would walk one layer per binding,
// and a persistent map would cost a few pointer hops per Get. The price is
// paid by Set and Delete, which copy the slice: O(number of key indexes)
// time and memory per change. Reads outnumber writes in request-scoped code,
// and keys are created once at start-up, so the slices stay small.
package ctxvalue

import (
	"context"
	"fmt"

	"github.com/localbench/localbench/strategies"
)

const name = "ctxvalue"

// Store is the ctxvalue strategy. Create it with New; every Store is a
// distinct identity, so two stores never share bindings, even for the same
// *Key. A *Store is safe for concurrent use (it holds no mutable state) and
// must not be copied.
//
// Get costs one ctx.Value call (none when ctx is the context Set or Delete
// returned) and allocates nothing. Set and Delete allocate a node and a
// slice as long as the largest bound key index.
type Store struct {
	// _ gives Store a non-zero size: distinct zero-size allocations may
	// share an address, and a Store's address is its identity.
	_ byte
}

var _ strategies.Store = (*Store)(nil)

// New returns a new store with its own identity.
func New() *Store { return new(Store) }

// Info reports ctxvalue's traits: explicit, no scope needed, never leaks.
func (s *Store) Info() strategies.Info {
	return strategies.Info{Name: name}
}

// boundNil marks a key bound to nil, so that a nil slot means "unbound".
type boundNil struct{}

// node is one immutable set of bindings of one store. It is a context that
// wraps the context it was made from and answers Value(store) with itself.
type node struct {
	context.Context
	store *Store
	vals  []any // by key index; nil is unbound, boundNil{} is bound to nil
}

// Value returns n for its store's identity and asks the parent otherwise.
func (n *node) Value(key any) any {
	if key == n.store {
		return n
	}
	return n.Context.Value(key)
}

// String describes n for debugging, in the style of the context package.
func (n *node) String() string {
	bound := 0
	for _, v := range n.vals {
		if v != nil {
			bound++
		}
	}
	return fmt.Sprintf("%v.WithBindings(%d)", n.Context, bound)
}

// parent returns the context a new node made from ctx wraps: ctx itself, or,
// when ctx is s's node, that node's parent. The new node holds every binding
// the old one held, so skipping it loses nothing, and a loop of Sets on the
// returned context keeps the chain (and the garbage it retains) short.
func (s *Store) parent(ctx context.Context) context.Context {
	if n, ok := ctx.(*node); ok && n.store == s {
		return n.Context
	}
	return ctx
}

// vals returns the bindings visible in ctx: those of s's newest node in
// ctx, or nil if ctx carries none.
func (s *Store) vals(ctx context.Context) []any {
	if n, ok := ctx.(*node); ok && n.store == s {
		return n.vals
	}
	if n, ok := ctx.Value(s).(*node); ok {
		return n.vals
	}
	return nil
}

// Get returns the value bound to k in ctx.
func (s *Store) Get(ctx context.Context, k *strategies.Key) (any, bool) {
	strategies.CheckKey(name, "Get", k)
	// s.vals(ctx), written out: it is too big to be inlined, and Get should
	// pay for no call beyond ctx.Value (and none when ctx is s's node).
	var vals []any
	if n, ok := ctx.(*node); ok && n.store == s {
		vals = n.vals
	} else if n, ok := ctx.Value(s).(*node); ok {
		vals = n.vals
	}
	i := k.Index()
	if i >= len(vals) || vals[i] == nil {
		return nil, false
	}
	if _, ok := vals[i].(boundNil); ok {
		return nil, true
	}
	return vals[i], true
}

// Set returns a context, derived from ctx, in which k is bound to v.
func (s *Store) Set(ctx context.Context, k *strategies.Key, v any) context.Context {
	strategies.CheckKey(name, "Set", k)
	if v == nil {
		v = boundNil{}
	}
	old := s.vals(ctx)
	i := k.Index()
	vals := make([]any, max(len(old), i+1))
	copy(vals, old)
	vals[i] = v
	return &node{Context: s.parent(ctx), store: s, vals: vals}
}

// Delete returns a context, derived from ctx, in which k is unbound. If k is
// not bound in ctx it returns ctx itself and allocates nothing.
func (s *Store) Delete(ctx context.Context, k *strategies.Key) context.Context {
	strategies.CheckKey(name, "Delete", k)
	old := s.vals(ctx)
	i := k.Index()
	if i >= len(old) || old[i] == nil {
		return ctx
	}
	n := len(old)
	if i == n-1 {
		// Trim the unbound tail so that copies stay short.
		for n = i; n > 0 && old[n-1] == nil; n-- {
		}
	}
	vals := make([]any, n)
	copy(vals, old)
	if i < n {
		vals[i] = nil
	}
	return &node{Context: s.parent(ctx), store: s, vals: vals}
}

// Scope calls fn(ctx). Contexts are immutable, so nothing fn does can change
// the bindings its caller sees: every Set and Delete inside is undone by
// construction, also on panic and runtime.Goexit.
func (s *Store) Scope(ctx context.Context, fn func(context.Context)) {
	strategies.CheckFunc(name, "Scope", fn)
	fn(ctx)
}

// Wrap returns a func that calls fn(ctx): the captured context carries
// exactly the bindings visible now, on any goroutine.
func (s *Store) Wrap(ctx context.Context, fn func(context.Context)) func() {
	strategies.CheckFunc(name, "Wrap", fn)
	return func() { fn(ctx) }
}

// Snapshot returns a copy of every binding visible in ctx.
func (s *Store) Snapshot(ctx context.Context) map[*strategies.Key]any {
	m := make(map[*strategies.Key]any)
	for i, v := range s.vals(ctx) {
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
