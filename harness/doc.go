// Package harness is the conformance suite that every localbench strategy
// must pass, and the shared benchmark workloads that measure them.
//
// # The conformance suite
//
// A strategy's own test calls TestStore with a factory; the suite runs one
// subtest per property of the contract in package strategies, each with a
// fresh store:
//
//	func TestConformance(t *testing.T) {
//		harness.TestStore(t, func(*testing.T) strategies.Store { return mapid.New() })
//	}
//
// The cases check the Store's methods and the helpers package strategies
// builds on any Store where they depend on it (strategies.Go, Pull,
// ScopeSeq, a Var's default), so that a strategy whose Wrap or Scope is
// subtly wrong fails there too.
//
// Every property is a Case: a name, the sentence of the contract it checks,
// the stores it applies to, and a body. A failure reads got before want and
// ends with that sentence, as in
//
//	Get(harness.a) = 3, true; want 2, true: a child started by Go must not see the parent's later Set
//
// Strategies differ in ways the contract allows, and the suite follows what
// each one says of itself rather than its name: explicit stores
// (Info().Implicit false) are only ever asked through the context a method
// returned; stores that need a scope (Info().NeedsScope) are only written
// inside one; optional capabilities (strategies.Releaser, strategies.Counter,
// io.Closer) are checked where a store has them. A store that implements
// io.Closer is closed when its case ends. Because a missing capability would
// silently skip the cases that need it, a strategy's test should also assert
// the capabilities it promises.
//
// Every wait in a case is bounded, and so is each whole case (DefaultTimeout),
// so that a broken store fails rather than hangs. Goroutines that a case
// starts report with Errorf and return; only the goroutine running the case
// ends it.
//
// # Checking outside a test
//
// Check runs the same cases without a *testing.T and returns a Report of
// which passed, failed or were skipped, with their messages. It is how the
// suite's own tests prove that deliberately broken stores fail the cases
// meant to catch them, and how peer libraries that are not strategies of
// ours are written down with what they get wrong. A Checker sets the cases,
// the per-case timeout and the short mode.
//
// # The reference model
//
// The "differential" case runs a seeded random sequence of operations
// against the store and against Reference, a stack of maps, and compares
// every answer. The seed is logged; set the environment variable
// LOCALBENCH_SEED to repeat a run. CheckOps runs any sequence of Ops, and
// DecodeOps turns bytes into one, for fuzz targets.
//
// # Benchmarks
//
// The Bench functions (BenchGet, BenchDepth, BenchParallel, …) each run one
// workload over a list of Contestants: stores (ours, or peers behind a
// Store adapter), which run every workload, and raw contestants (the floors
// from Floors, or a library called directly), which run the workloads their
// operations allow.
//
// Sub-benchmarks are named strategy=NAME/ROW (for example
// BenchmarkDepth/strategy=gls/depth=64), and each Bench function first prints
// a "workload: NAME" configuration line, so that
//
//	benchstat -col /strategy FILE
//
// prints one table per workload with one column per contestant. This
// package's tests benchmark localbench's strategies and the floors; the peers
// module benchmarks the same list plus the peer libraries, and its output is
// what results/ keeps.
//
// # How a figure is made the contestant's
//
// A workload's figure must be what the contestant costs, not what the
// harness costs around it: the floors are measured in a handful of
// instructions, and a call through a func value or a copy of a struct per
// operation would be most of that. So:
//
//   - Each workload body is written once, as a generic function over the
//     contestant type R, its carrier type C and key type K (benchGet and
//     the rest, in workload_*.go; the constraints are in bench_ops.go).
//   - cmd benchgen (package benchgen) writes one copy of every body per
//     contestant type, with R, C and K replaced by that type's own
//     (bench_gen.go here, for the floors and for stores; bench_gen.go in
//     the peers module, for rawroutine). In a copy every operation is a
//     static call, which the compiler inlines where the contestant's method
//     is small: the floors' Gets inline whole. A Go generic instantiated on
//     several types would not do: the compiler shares one body per shape
//     and calls methods through a dictionary.
//   - TestBodiesUpToDate, here and in the peers module, regenerates the
//     copies and fails if they differ from the files, so a copy cannot
//     drift from its body.
//   - A store runs through its copy for storeOps, whose methods inline to
//     one call of the strategies.Store method: the call a program holding a
//     Store makes. Each strategy package's BenchmarkDirect makes the same
//     operations with the same setup and checks on the concrete type; the
//     harness's Get, GetMiss and Set stay within 15 instructions of it,
//     except gls's: gls reads the whole stack on every operation, and what
//     that costs depends on the frames below it (how many, and where in
//     their functions the calls sit), which differ between any two call
//     paths; its harness figures differ from the direct ones by a few
//     percent either way.
//   - The loop checks each result with two word compares (the bound value
//     is a *int, see benchkit.Want) and allocates nothing.
//   - BenchmarkReference in this package's tests measures an empty b.Loop
//     and goid.Get alone; the param floor's Get stays within 10
//     instructions of the first, the goid floor's within 10 of the second.
//
// Every figure is measured, none computed: no overhead is estimated and
// subtracted.
package harness
