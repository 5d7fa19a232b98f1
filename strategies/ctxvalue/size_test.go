package ctxvalue

import (
	"context"
	"testing"
	"unsafe"
)

// TestLeafSize checks the promise of the package doc: a leaf, what a Set
// that leaves one binding allocates, is no bigger than the node
// context.WithValue allocates (a parent context, a key and a value), so
// that both land in the same allocation size class.
func TestLeafSize(t *testing.T) {
	// context's valueCtx, field for field.
	var valueCtx struct {
		context.Context
		key, val any
	}
	if got, want := unsafe.Sizeof(leaf{}), unsafe.Sizeof(valueCtx); got != want {
		t.Errorf("unsafe.Sizeof(leaf{}) = %d; want %d, the size of context.WithValue's node", got, want)
	}
}

// TestTableNodeSizes checks the sizes the Store doc gives for nodes of two
// to eight bindings, whose table is inside the node: the bytes requested
// (the allocator rounds them up to its size class, which the doc states).
func TestTableNodeSizes(t *testing.T) {
	word := unsafe.Sizeof(uintptr(0))
	if word != 8 {
		t.Skipf("sizes are stated for 64-bit platforms; words here are %d bytes", word)
	}
	for _, c := range []struct {
		slots int
		size  uintptr // bytes requested
		class uintptr // the size class the doc states
	}{
		{2, unsafe.Sizeof(struct {
			node
			a [2]entry
		}{}), 112},
		{4, unsafe.Sizeof(struct {
			node
			a [4]entry
		}{}), 160},
		{8, unsafe.Sizeof(struct {
			node
			a [8]entry
		}{}), 256},
	} {
		// The allocator's size classes step by 16 bytes from 48 to 256:
		// a node in a class is at most its size and more than the class
		// below.
		if c.size > c.class || c.size <= c.class-16 {
			t.Errorf("node with %d slots: %d bytes; want %d to %d, the %d-byte size class", c.slots, c.size, c.class-15, c.class, c.class)
		}
		if n := newNode(c.slots); len(n.ents) != c.slots {
			t.Errorf("newNode(%d) has %d slots; want %d", c.slots, len(n.ents), c.slots)
		}
	}
	if got := unsafe.Sizeof(node{}); got > 64 || got <= 48 {
		t.Errorf("unsafe.Sizeof(node{}) = %d; want 49 to 64, the 64-byte size class", got)
	}
}
