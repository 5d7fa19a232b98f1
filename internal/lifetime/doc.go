// Package lifetime holds the stress, soak, leak and fuzz tests that run
// every localbench strategy (mapid, shardedmap, ctxvalue, gls) through
// lifetimes longer and rougher than the conformance suite's: many thousands
// of goroutines, deep scope nestings ended by panics and runtime.Goexit,
// pool workers running a million Wrap'd tasks, and stores dropped while
// goroutines that used them are parked.
//
// It has no API; everything is in its tests. They check three things after
// every run: that no goroutine ever saw another goroutine's value, that
// strategies.Counter stores are back to the number of live entries they
// started with, and that the heap is back within a stated bound of where it
// started. The leak tests prove with weak pointers that a value bound in a
// goroutine that ended (by strategies.Go, Wrap, the outermost Scope,
// Release, or, for ctxvalue, by dropping the context) becomes collectable,
// and that a value bound by a plain go statement without Release in a store
// whose Info().Leaks is true does not: that is the documented leak.
//
// Sizes: by default the tests are sized to finish in well under a minute
// under the race detector on two cores (100,000 goroutines; 1,000 nestings;
// a million pool tasks, or 100,000 under the race detector, and a twentieth
// of that for gls, whose every call walks the stack); -short shrinks them;
// the environment variable LOCALBENCH_SOAK=1 runs the long versions (a
// million goroutines and a million pool tasks for every strategy, race
// detector or not; give go test a -timeout of 30m). Counts, durations and
// heap figures are logged with t.Logf (run with -v to see them), never
// asserted.
//
// TestDeferAfterOutermostScope checks that a function deferred outside the
// outermost Scope, running while a panic or runtime.Goexit unwinds through
// it, sees nothing of another goroutine that has entered a Scope of the same
// store since (gls did, through jtolds/gls's reused stack tags, until it
// learned to check the goroutine that runs each frame).
//
// FuzzStoreOps runs harness.CheckOps, the differential check against the
// reference model, on fuzzed sequences of operations:
//
//	go test -run '^$' -fuzz FuzzStoreOps -fuzztime 5m ./internal/lifetime/
package lifetime
