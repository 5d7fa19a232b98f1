package liveids

import (
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/petermattis/goid"
)

// Captured dumps: stack.txt is runtime.Stack(buf, true) of a program with
// goroutines blocked in several ways (one of them deep); cgo-callback.txt
// was taken while a thread created by C was inside a call into Go, whose
// goroutine is 17.
var captured = []struct {
	file string
	want []int64
}{
	{"testdata/stack.txt", []int64{1, 7, 8, 9, 10}},
	{"testdata/cgo-callback.txt", []int64{1, 17}},
}

func TestParseCaptured(t *testing.T) {
	for _, tc := range captured {
		dump, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		if got := Parse(dump).ids; !slices.Equal(got, tc.want) {
			t.Errorf("Parse(%s) = %v; want %v: every goroutine header, and nothing else (not the ids in \"created by … in goroutine N\")", tc.file, got, tc.want)
		}
	}
}

// TestParseTruncated cuts each captured dump at every length, as a buffer
// too small for runtime.Stack would, and checks that what Parse finds is
// always a subset of the whole: a header cut inside its id must not yield a
// shorter, wrong id ("goroutine 1" of "goroutine 17").
func TestParseTruncated(t *testing.T) {
	for _, tc := range captured {
		dump, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		prev := 0
		for n := range len(dump) + 1 {
			got := Parse(dump[:n])
			for _, id := range got.ids {
				if !slices.Contains(tc.want, id) {
					t.Fatalf("Parse(%s[:%d]) = %v; want a subset of %v: a truncated dump must never give an id that is not in the whole", tc.file, n, got.ids, tc.want)
				}
			}
			if got.Len() < prev {
				t.Fatalf("Parse(%s[:%d]) has %d ids, Parse of a shorter prefix %d; want no fewer from a longer prefix", tc.file, n, got.Len(), prev)
			}
			prev = got.Len()
		}
	}
}

func TestParseOddInput(t *testing.T) {
	for _, tc := range []struct {
		dump string
		want []int64
	}{
		{"", nil},
		{"goroutine ", nil},
		{"goroutine 12", nil}, // cut inside or just after the id: it may be 123
		{"goroutine 12 [", []int64{12}},
		{"goroutine x [running]:\n", nil},
		{"goroutine -3 [running]:\n", nil},
		{"goroutine 0 [idle]:\n", nil},
		{"goroutine 99999999999999999999 [running]:\n", nil},
		{"xgoroutine 5 [running]:\n", nil},
		{"goroutine 5 gp=0xc000002380 m=0 mp=0x5b2240 [running]:\n", []int64{5}},
		{"goroutine 3 [a]:\n\ngoroutine 2 [b]:\n\ngoroutine 3 [c]:\n", []int64{2, 3}},
		{"main.f()\n\tgoroutine 4 [x]\ncreated by main.main in goroutine 6\n", nil},
	} {
		got := Parse([]byte(tc.dump)).ids
		if len(got) == 0 {
			got = nil
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Parse(%q) = %v; want %v", tc.dump, got, tc.want)
		}
	}
}

// TestTake parks goroutines with deep stacks, so that the dump is far
// larger than Take's first guess and its buffer must grow, and checks that
// every one of them, and the caller, is in the set, and that a goroutine
// that has exited is not.
func TestTake(t *testing.T) {
	const n, depth = 20, 100
	ids := make(chan int64, n)
	release := make(chan struct{})
	var done sync.WaitGroup
	for range n {
		done.Go(func() {
			deep(depth, func() {
				ids <- goid.Get()
				<-release
			})
		})
	}
	defer func() {
		close(release)
		done.Wait()
	}()
	exited := make(chan int64)
	go func() { exited <- goid.Get() }()
	gone := <-exited
	parked := make([]int64, 0, n)
	for range n {
		parked = append(parked, <-ids)
	}
	// gone has sent its id but may not have finished exiting yet; wait
	// for that with a bounded poll of the dump itself.
	var live Set
	var size int
	for range 1000 {
		live, size = Take(0)
		if !live.Contains(gone) {
			break
		}
	}
	if live.Contains(gone) {
		t.Errorf("Take() contains goroutine %d, which has exited", gone)
	}
	if size < n*depth*20 {
		t.Errorf("Take() dump is %d bytes; want at least %d for %d goroutines %d frames deep: the test must make the buffer grow", size, n*depth*20, n, depth)
	}
	if me := goid.Get(); !live.Contains(me) {
		t.Errorf("Take() lacks the calling goroutine %d", me)
	}
	for _, id := range parked {
		if !live.Contains(id) {
			t.Errorf("Take() lacks parked goroutine %d: every goroutine alive before the dump must be in it", id)
		}
	}
	// With the size as a hint, the next dump fits at the first try; it
	// must find the same goroutines.
	again, _ := Take(size)
	for _, id := range parked {
		if !again.Contains(id) {
			t.Errorf("Take(%d) lacks parked goroutine %d", size, id)
		}
	}
}

//go:noinline
func deep(n int, fn func()) {
	if n > 0 {
		deep(n-1, fn)
		return
	}
	fn()
}
