package strategies

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Key names one value. Keys are created once, usually as package variables,
// and compare by identity: two keys with the same name are different keys.
//
// A Key carries a small index (0, 1, 2, … in creation order). mapid,
// shardedmap and ctxvalue use it only as a hash of the key, to choose a slot
// in a small table of a goroutine's or a context's own bindings (gls keys a
// map by the *Key): what a strategy stores and does grows with the number of
// keys bound, never with the number of keys that exist or with how far apart
// their indexes are. Keys created together hash to different slots.
//
// The zero Key is not valid; use NewKey. A *Key is safe for concurrent use.
type Key struct {
	name  string
	index int
	bit   uint32 // Bit
}

// keys holds every key ever made, by index, for KeyByIndex. It only grows;
// keys are meant to be package variables, so this is bounded by the
// program's own key count.
var keys struct {
	mu sync.Mutex // serialises NewKey
	// list is published after each append. Appends write only past the
	// end of every published slice, so readers need no lock, and a new
	// key costs amortised O(1).
	list atomic.Pointer[[]*Key]
	all  []*Key // the latest list, under mu
}

// NewKey returns a new key with the given name. The name is used only in
// messages and String; it need not be unique. It takes amortised constant
// time.
func NewKey(name string) *Key {
	keys.mu.Lock()
	defer keys.mu.Unlock()
	i := len(keys.all)
	k := &Key{name: name, index: i, bit: 1 << (uint32(i) * 0x9e3779b9 >> 27)}
	keys.all = append(keys.all, k)
	list := keys.all
	keys.list.Store(&list)
	return k
}

// Name returns the name the key was created with.
func (k *Key) Name() string { return k.name }

// Index returns the key's index: keys are numbered 0, 1, 2, … in the order
// they were created in this process.
func (k *Key) Index() int { return k.index }

// Bit returns the key's filter bit: one bit of 32, chosen by a
// multiplicative hash of its index, so that keys created one after another
// get different bits. A store can keep the bits of the keys it holds in a
// uint32 and answer most lookups of a key it does not hold with one test;
// the bit is computed once, by NewKey, so that test costs no arithmetic.
func (k *Key) Bit() uint32 { return k.bit }

// String returns the key's name and index, as in "request-id#3".
func (k *Key) String() string {
	if k == nil {
		return "<nil key>"
	}
	return fmt.Sprintf("%s#%d", k.name, k.index)
}

// KeyByIndex returns the key with index i, or nil if no such key has been
// created. It is for stores that keep values by index and must name their
// keys again, as Snapshot does. It takes no lock.
func KeyByIndex(i int) *Key {
	p := keys.list.Load()
	if p == nil || i < 0 || i >= len(*p) {
		return nil
	}
	return (*p)[i]
}
