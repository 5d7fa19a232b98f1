//go:build race

package lifetime

// raceEnabled reports whether the tests run under the race detector, which
// makes every memory access several times slower; the default sizes shrink
// under it.
const raceEnabled = true
