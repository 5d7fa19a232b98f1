package strategies

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Key names one value. Keys are created once, usually as package variables,
// and compare by identity: two keys with the same name are different keys.
//
// A Key carries a small dense index (0, 1, 2, … in creation order) so that a
// strategy may keep a goroutine's values in a slice indexed by it. Because
// those slices grow to the largest index a goroutine binds, create keys once
// at start-up rather than per request.
//
// The zero Key is not valid; use NewKey. A *Key is safe for concurrent use.
type Key struct {
	name  string
	index int
}

// keys holds every key ever made, by index, so that a strategy storing values
// by index can name them again (Snapshot). It only grows; keys are meant to be
// package variables, so this is bounded by the program's own key count.
var keys struct {
	mu   sync.Mutex
	list atomic.Pointer[[]*Key]
}

// NewKey returns a new key with the given name. The name is used only in
// messages and String; it need not be unique.
func NewKey(name string) *Key {
	keys.mu.Lock()
	defer keys.mu.Unlock()
	var list []*Key
	if p := keys.list.Load(); p != nil {
		list = *p
	}
	k := &Key{name: name, index: len(list)}
	// Copy on write: readers of KeyByIndex take no lock.
	next := make([]*Key, len(list)+1)
	copy(next, list)
	next[len(list)] = k
	keys.list.Store(&next)
	return k
}

// Name returns the name the key was created with.
func (k *Key) Name() string { return k.name }

// Index returns the key's dense index: keys are numbered 0, 1, 2, … in the
// order they were created in this process.
func (k *Key) Index() int { return k.index }

// String returns the key's name and index, as in "request-id#3".
func (k *Key) String() string {
	if k == nil {
		return "<nil key>"
	}
	return fmt.Sprintf("%s#%d", k.name, k.index)
}

// KeyByIndex returns the key with index i, or nil if no such key has been
// created. It is for strategies that store values by index and must name
// their keys again, as Snapshot does. It takes no lock.
func KeyByIndex(i int) *Key {
	p := keys.list.Load()
	if p == nil || i < 0 || i >= len(*p) {
		return nil
	}
	return (*p)[i]
}
