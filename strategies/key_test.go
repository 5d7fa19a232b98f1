package strategies

import (
	"math/bits"
	"testing"
)

// TestKeyBit checks that a key's filter bit is one bit, and that keys made
// one after another spread over the 32: a run of 8 uses 8 different bits,
// so that a store holding a few keys made together can tell most of them
// apart by the bit alone.
func TestKeyBit(t *testing.T) {
	var run [8]*Key
	for i := range run {
		run[i] = NewKey("bit")
	}
	var seen uint32
	for _, k := range run {
		b := k.Bit()
		if bits.OnesCount32(b) != 1 {
			t.Fatalf("%v.Bit() = %#x, want exactly one bit set", k, b)
		}
		if seen&b != 0 {
			t.Errorf("%v.Bit() = %#x, already used by a key made in the same run of 8", k, b)
		}
		seen |= b
	}
}
