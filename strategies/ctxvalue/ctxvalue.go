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
// Each node holds a full, immutable copy of the visible bindings, in a small
// open-addressing hash table of (key, value) entries hashed by the key's
// index (path copying). Get is therefore one ctx.Value plus, usually, one
// entry compared, whatever the number of bindings, where a chain of one
// context.WithValue per key would walk one layer per binding, and a
// persistent map would cost a few pointer hops per Get. The price is paid by
// Set and Delete, which copy the table: O(number of bindings) time and
// memory per change, independent of how many keys exist in the process.
// With up to eight bindings the table is inside the node: one allocation per
// change. Reads outnumber writes in request-scoped code, and a request binds
// a few keys, so the copies stay small.
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
// returned) and allocates nothing. Set and Delete allocate a node that
// holds a copy of the bindings: one allocation up to eight bindings, two
// beyond.
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

// node is one immutable set of bindings of one store. It is a context that
// wraps the context it was made from and answers Value(store) with itself.
type node struct {
	context.Context
	store *Store
	// ents is a hash table of the bindings, linear probing from a key's
	// index: empty, or a power-of-two length, with no empty slot when it
	// holds up to four and at least half its slots empty beyond. Every
	// entry with a key holds a binding (a Delete rebuilds the table).
	ents []entry
	// keys has bit(k) set for every key k bound, so that most Gets
	// of an unbound key end after one test, even when another key holds
	// its home slot.
	keys uint32
}

// entry is one binding: k bound to v, which may be nil (a key with an entry
// is bound; unbinding removes the entry). A nil k is an empty slot.
type entry struct {
	k *strategies.Key
	v any
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
	return fmt.Sprintf("%v.WithBindings(%d)", n.Context, count(n.ents))
}

// node1 is a node with a one-entry table, the commonest.
type node1 struct {
	node
	a [1]entry
}

// newNode returns a node with an empty table of size entries; up to eight,
// the table is inside the node's own allocation.
func newNode(size int) *node {
	switch size {
	case 0:
		return new(node)
	case 1:
		p := new(node1)
		p.ents = p.a[:]
		return &p.node
	case 2:
		p := new(struct {
			node
			a [2]entry
		})
		p.ents = p.a[:]
		return &p.node
	case 4:
		p := new(struct {
			node
			a [4]entry
		})
		p.ents = p.a[:]
		return &p.node
	case 8:
		p := new(struct {
			node
			a [8]entry
		})
		p.ents = p.a[:]
		return &p.node
	}
	return &node{ents: make([]entry, size)}
}

// tableSize returns the table length for n bindings.
func tableSize(n int) int {
	size := 1
	for size < n {
		size *= 2
	}
	if size > 4 && size < 2*n {
		size *= 2
	}
	if n == 0 {
		return 0
	}
	return size
}

// probe returns the slot of ents holding k and true, or the empty slot
// where k would go (-1 if there is none) and false.
func probe(ents []entry, k *strategies.Key) (int, bool) {
	mask := uint(len(ents) - 1)
	i := uint(k.Index())
	for range ents {
		j := int(i & mask)
		if ents[j].k == k {
			return j, true
		}
		if ents[j].k == nil {
			return j, false
		}
		i++
	}
	return -1, false
}

// bit returns k's bit in a node's keys.
//
// It is one of 32, chosen by the top bits of a multiplicative hash of the
// key's index, so that keys whose indexes are a power of two apart (which
// share a home slot) rarely share a bit.
func bit(k *strategies.Key) uint32 { return 1 << (uint32(k.Index()) * 0x9e3779b9 >> 27) }

// count returns the number of bindings in ents.
func count(ents []entry) int {
	n := 0
	for i := range ents {
		if ents[i].k != nil {
			n++
		}
	}
	return n
}

// rehash returns a node whose table of size entries holds every binding of
// ents except that of skip (which may be nil).
func rehash(ents []entry, size int, skip *strategies.Key) *node {
	n := newNode(size)
	for i := range ents {
		if e := ents[i]; e.k != nil && e.k != skip {
			j, _ := probe(n.ents, e.k)
			n.ents[j] = e
			n.keys |= bit(e.k)
		}
	}
	return n
}

// find returns s's newest node in ctx, or nil, and the context a new node
// made from ctx wraps: ctx itself, or, when ctx is s's node, that node's
// parent. The new node holds every binding the old one held, so skipping
// it loses nothing, and a loop of Sets on the returned context keeps the
// chain (and the garbage it retains) short.
func (s *Store) find(ctx context.Context) (n *node, parent context.Context) {
	if n, ok := ctx.(*node); ok && n.store == s {
		return n, n.Context
	}
	n, _ = ctx.Value(s).(*node)
	return n, ctx
}

// ents returns the bindings visible in ctx: those of s's newest node in
// ctx, or nil if ctx carries none.
func (s *Store) ents(ctx context.Context) []entry {
	n, _ := s.find(ctx)
	if n == nil {
		return nil
	}
	return n.ents
}

// Get returns the value bound to k in ctx.
func (s *Store) Get(ctx context.Context, k *strategies.Key) (any, bool) {
	// The nil test is here so that CheckKey's inline mark (an instruction
	// of its own) is off the path.
	if k == nil {
		strategies.CheckKey(name, "Get", k)
	}
	// s.ents(ctx), written out: it is too big to be inlined, and Get should
	// pay for no call beyond ctx.Value (and none when ctx is s's node).
	n, ok := ctx.(*node)
	if !ok || n.store != s {
		if n, ok = ctx.Value(s).(*node); !ok {
			return nil, false
		}
	}
	ents := n.ents
	if len(ents) == 0 {
		return nil, false
	}
	i, mask := uint(k.Index()), uint(len(ents)-1)
	if e := &ents[i&mask]; e.k == k {
		return e.v, true
	}
	// Not in its home slot: usually in the next one (keys that share a
	// home slot), else absent if the keys mask says so, else further on.
	if e := &ents[(i+1)&mask]; e.k == k {
		return e.v, true
	}
	if n.keys&bit(k) == 0 {
		return nil, false
	}
	if j, ok := probe(ents, k); ok {
		return ents[j].v, true
	}
	return nil, false
}

// Set returns a context, derived from ctx, in which k is bound to v.
func (s *Store) Set(ctx context.Context, k *strategies.Key, v any) context.Context {
	// The nil test is here so that CheckKey's inline mark (an instruction
	// of its own) is off the path.
	if k == nil {
		strategies.CheckKey(name, "Set", k)
	}
	if n, ok := ctx.(*node); ok && n.store == s && len(n.ents) == 1 && n.ents[0].k == k {
		// A rebind of the only binding, the commonest Set after the
		// first: the new node is made whole in one composite literal,
		// which needs no write barriers.
		p := &node1{node: node{Context: n.Context, store: s, keys: n.keys}, a: [1]entry{{k, v}}}
		p.ents = p.a[:]
		return &p.node
	}
	return s.set(ctx, k, v)
}

// set is Set for every other case.
func (s *Store) set(ctx context.Context, k *strategies.Key, v any) context.Context {
	old, parent := s.find(ctx)
	var ents []entry
	if old != nil {
		ents = old.ents
	}
	if len(ents) == 0 {
		p := &node1{node: node{Context: parent, store: s, keys: bit(k)}, a: [1]entry{{k, v}}}
		p.ents = p.a[:]
		return &p.node
	}
	j, found := probe(ents, k)
	var n *node
	if found || j >= 0 && (len(ents) <= 4 || 2*(count(ents)+1) <= len(ents)) {
		// Room in a table of the same size: copy it. Up to eight
		// entries an element loop, cheaper than the call copy makes.
		n = newNode(len(ents))
		if dst := n.ents[:len(ents)]; len(dst) <= 8 {
			for i := range dst {
				dst[i] = ents[i]
			}
		} else {
			copy(dst, ents)
		}
		n.keys = old.keys
	} else {
		n = rehash(ents, tableSize(count(ents)+1), nil)
		j, _ = probe(n.ents, k)
	}
	n.ents[j] = entry{k, v}
	n.Context, n.store = parent, s
	n.keys |= bit(k)
	return n
}

// Delete returns a context, derived from ctx, in which k is unbound. If k is
// not bound in ctx it returns ctx itself and allocates nothing.
func (s *Store) Delete(ctx context.Context, k *strategies.Key) context.Context {
	strategies.CheckKey(name, "Delete", k)
	old, parent := s.find(ctx)
	if old == nil {
		return ctx
	}
	if _, found := probe(old.ents, k); !found {
		return ctx
	}
	n := rehash(old.ents, tableSize(count(old.ents)-1), k)
	n.Context, n.store = parent, s
	return n
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
	ents := s.ents(ctx)
	m := make(map[*strategies.Key]any, count(ents))
	for _, e := range ents {
		if e.k == nil {
			continue
		}
		m[e.k] = e.v
	}
	return m
}
