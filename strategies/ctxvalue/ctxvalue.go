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
// Each node holds a full, immutable copy of the visible bindings (path
// copying). A node with one binding is a leaf: its parent, the store, the
// key and the value, 48 bytes, the size of context.WithValue's node, so
// that the commonest Set, a rebind of a request's one key, costs what one
// context.WithValue costs. A node with two or more holds them in a small
// open-addressing hash table of (key, value) entries hashed by the key's
// index. Get is therefore one ctx.Value plus, usually, one entry compared,
// whatever the number of bindings, where a chain of one context.WithValue
// per key would walk one layer per binding, and a persistent map would cost
// a few pointer hops per Get. The price is paid by Set and Delete, which
// copy the table: O(number of bindings) time and memory per change,
// independent of how many keys exist in the process. With up to eight
// bindings the table is inside the node: one allocation per change. Reads
// outnumber writes in request-scoped code, and a request binds a few keys,
// so the copies stay small.
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
// holds a copy of the bindings it leaves visible (on amd64 and other 64-bit
// platforms): 48 bytes for none or one, as context.WithValue allocates;
// 112 bytes for two; 160 for three or four; 256 for five to eight; beyond
// eight, two allocations: 64 bytes and a table of 24 bytes per slot (at
// least twice as many slots as bindings), rounded up to the allocator's
// size class.
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

// leaf is a node of one store that holds at most one binding: e[0], or
// none when e[0].k is unbound (what a Delete of the last binding leaves, to
// hide an older node further up). It is a context that wraps the context
// it was made from and answers Value(store) with itself. Its 48 bytes are
// those of context.WithValue's node: a parent, a key and a value.
type leaf struct {
	context.Context
	store *Store
	e     [1]entry
}

// node is a node of one store that holds two or more bindings, in a hash
// table. It is a context that wraps the context it was made from and
// answers Value(store) with itself.
type node struct {
	context.Context
	store *Store
	// ents is a hash table of the bindings, linear probing from a key's
	// index: a power-of-two length, at least two, with no empty slot when
	// it holds up to four and at least half its slots empty beyond. Every
	// entry with a key holds a binding (a Delete rebuilds the table).
	ents []entry
	// keys has k.Bit() set for every key k bound, so that most Gets
	// of an unbound key end after one test, even when another key holds
	// its home slot.
	keys uint32
}

// unbound is the key of an empty leaf's entry. It is no key of the process
// (NewKey never returns it), so no Get or Set finds it, and a leaf's key
// is never nil.
var unbound = new(strategies.Key)

// entry is one binding: k bound to v, which may be nil (a key with an entry
// is bound; unbinding removes the entry). A nil k is an empty slot.
type entry struct {
	k *strategies.Key
	v any
}

// Value returns l for its store's identity and asks the parent otherwise.
func (l *leaf) Value(key any) any {
	if key == l.store {
		return l
	}
	return l.Context.Value(key)
}

// Value returns n for its store's identity and asks the parent otherwise.
func (n *node) Value(key any) any {
	if key == n.store {
		return n
	}
	return n.Context.Value(key)
}

// String describes l for debugging, in the style of the context package.
func (l *leaf) String() string {
	return fmt.Sprintf("%v.WithBindings(%d)", l.Context, len(l.ents()))
}

// String describes n for debugging, in the style of the context package.
func (n *node) String() string {
	return fmt.Sprintf("%v.WithBindings(%d)", n.Context, count(n.ents))
}

// ents returns l's binding as a table of one slot, or nil if it holds none.
func (l *leaf) ents() []entry {
	if l.e[0].k == unbound {
		return nil
	}
	return l.e[:]
}

// newNode returns a node with an empty table of size entries (at least
// two); up to eight, the table is inside the node's own allocation.
func newNode(size int) *node {
	switch size {
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

// tableSize returns the table length for n bindings, n >= 2.
func tableSize(n int) int {
	size := 2
	for size < n {
		size *= 2
	}
	if size > 4 && size < 2*n {
		size *= 2
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
			n.keys |= e.k.Bit()
		}
	}
	return n
}

// find returns the bindings of s's newest node in ctx as a table (nil if
// ctx carries none; a leaf's binding is a table of one slot), their keys
// mask, and the context a new node made from ctx wraps: ctx itself, or,
// when ctx is s's node, that node's parent. The new node holds every
// binding the old one held, so skipping it loses nothing, and a loop of
// Sets on the returned context keeps the chain (and the garbage it retains)
// short.
func (s *Store) find(ctx context.Context) (ents []entry, keys uint32, parent context.Context) {
	// Assertions, not a type switch: a switch compares type hashes
	// first, instructions that two candidate types do not repay.
	if n, ok := ctx.(*node); ok && n.store == s {
		return n.ents, n.keys, n.Context
	}
	if l, ok := ctx.(*leaf); ok && l.store == s {
		return l.ents(), leafKeys(l), l.Context
	}
	x := ctx.Value(s)
	if n, ok := x.(*node); ok {
		return n.ents, n.keys, ctx
	}
	if l, ok := x.(*leaf); ok {
		return l.ents(), leafKeys(l), ctx
	}
	return nil, 0, ctx
}

// leafKeys returns the keys mask of l's binding.
func leafKeys(l *leaf) uint32 {
	return l.e[0].k.Bit() // 0 for unbound, which is no key NewKey made
}

// Get returns the value bound to k in ctx.
func (s *Store) Get(ctx context.Context, k *strategies.Key) (any, bool) {
	// The nil test is here so that CheckKey's inline mark (an instruction
	// of its own) is off the path.
	if k == nil {
		strategies.CheckKey(name, "Get", k)
	}
	// s.find(ctx), written out: it is too big to be inlined, and Get
	// should pay for no call beyond ctx.Value (and none when ctx is s's
	// node). A table node is tested for first: a leaf's lookup is the
	// cheaper, and the test it waits for keeps a Get among many bindings
	// within a few instructions of a Get of the only one.
	n, ok := ctx.(*node)
	if !ok || n.store != s {
		l, ok := ctx.(*leaf)
		if !ok || l.store != s {
			x := ctx.Value(s)
			if n, ok = x.(*node); ok {
				goto table
			}
			if l, ok = x.(*leaf); !ok {
				return nil, false
			}
		}
		if e := &l.e[0]; e.k == k {
			return e.v, true
		}
		return nil, false
	}
table:
	ents := n.ents
	i, mask := uint(k.Index()), uint(len(ents)-1)
	if e := &ents[i&mask]; e.k == k {
		return e.v, true
	}
	// Not in its home slot: usually in the next one (keys that share a
	// home slot), else absent if the keys mask says so, else further on.
	if e := &ents[(i+1)&mask]; e.k == k {
		return e.v, true
	}
	if n.keys&k.Bit() == 0 {
		return nil, false
	}
	if j, ok := probe(ents, k); ok {
		return ents[j].v, true
	}
	return nil, false
}

// Set returns a context, derived from ctx, in which k is bound to v.
func (s *Store) Set(ctx context.Context, k *strategies.Key, v any) context.Context {
	// A rebind of the only binding, the commonest Set after the first: a
	// new leaf in place of l, made as context.WithValue makes its node.
	// A leaf's key is never nil, so k is not nil here; set checks it.
	if l, ok := ctx.(*leaf); ok && l.store == s && l.e[0].k == k {
		return &leaf{l.Context, s, [1]entry{{k, v}}}
	}
	return s.set(ctx, k, v)
}

// set is Set for every other case.
func (s *Store) set(ctx context.Context, k *strategies.Key, v any) context.Context {
	// The nil test is here so that CheckKey's inline mark (an instruction
	// of its own) is off the path.
	if k == nil {
		strategies.CheckKey(name, "Set", k)
	}
	ents, keys, parent := s.find(ctx)
	j, found := probe(ents, k)
	if len(ents) == 0 || found && len(ents) == 1 {
		return &leaf{parent, s, [1]entry{{k, v}}}
	}
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
		n.keys = keys
	} else {
		n = rehash(ents, tableSize(count(ents)+1), nil)
		j, _ = probe(n.ents, k)
	}
	n.ents[j] = entry{k, v}
	n.Context, n.store = parent, s
	n.keys |= k.Bit()
	return n
}

// Delete returns a context, derived from ctx, in which k is unbound. If k is
// not bound in ctx it returns ctx itself and allocates nothing.
func (s *Store) Delete(ctx context.Context, k *strategies.Key) context.Context {
	strategies.CheckKey(name, "Delete", k)
	if l, ok := ctx.(*leaf); ok && l.store == s {
		if l.e[0].k != k {
			return ctx
		}
		// The only binding: an empty leaf in place of l hides any
		// older node of s further up.
		return &leaf{l.Context, s, [1]entry{{k: unbound}}}
	}
	ents, _, parent := s.find(ctx)
	if _, found := probe(ents, k); !found {
		return ctx
	}
	switch c := count(ents) - 1; c {
	case 0:
		return &leaf{parent, s, [1]entry{{k: unbound}}}
	case 1:
		var rest entry
		for _, e := range ents {
			if e.k != nil && e.k != k {
				rest = e
			}
		}
		return &leaf{parent, s, [1]entry{rest}}
	default:
		n := rehash(ents, tableSize(c), k)
		n.Context, n.store = parent, s
		return n
	}
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
	ents, _, _ := s.find(ctx)
	m := make(map[*strategies.Key]any, count(ents))
	for _, e := range ents {
		if e.k == nil {
			continue
		}
		m[e.k] = e.v
	}
	return m
}
