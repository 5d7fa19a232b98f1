package harness

import (
	"testing"

	"github.com/localbench/localbench/strategies"
)

// T is the part of testing.TB that a Case uses. *testing.T and *testing.B
// satisfy it; TestStore and Check pass their own recorder, which forwards to
// the test or to a Report.
//
// Errorf and Logf may be called from any goroutine. Fatalf and Skipf end the
// calling goroutine with runtime.Goexit, so a case calls them only on the
// goroutine that runs it.
type T interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
	Skipf(format string, args ...any)
	Cleanup(f func())
	Failed() bool
}

// A Case is one property of the strategies.Store contract.
type Case struct {
	// Name names the subtest: short, lower case, words joined by '-'.
	Name string

	// Contract is the sentence of the contract the case checks. Its
	// failures end with the sentence (or a more precise one).
	Contract string

	// Applies reports whether the case applies to s, judged by s.Info() and
	// the optional interfaces s implements, never by name. Nil means every
	// store.
	Applies func(s strategies.Store) bool

	// Needs says in words what Applies requires, for the skip message.
	Needs string

	// Run checks the property on s, a fresh store. newStore returns another
	// fresh store, for cases about more than one; it is safe to call from
	// the goroutine that runs the case.
	Run func(t T, s strategies.Store, newStore func() strategies.Store)
}

// short reports whether t asks for the short form of the cases: smaller
// counts of goroutines and operations.
func short(t T) bool {
	if s, ok := t.(interface{ short() bool }); ok {
		return s.short()
	}
	return testing.Testing() && testing.Short()
}

// scaled returns full, or small in short mode.
func scaled(t T, full, small int) int {
	if short(t) {
		return small
	}
	return full
}

func isCounter(s strategies.Store) bool {
	_, ok := s.(strategies.Counter)
	return ok
}

// Cases returns the conformance suite, a new slice on every call. TestStore
// and Check run it in this order.
func Cases() []Case {
	return []Case{
		{
			Name:     "info",
			Contract: "Info names the strategy with a short name usable in benchmark names, and a store that needs a scope does not leak",
			Run:      runInfo,
		},
		{
			Name:     "set-get-delete",
			Contract: "Get returns what Set bound, the latest Set wins, and Delete unbinds",
			Run:      runSetGetDelete,
		},
		{
			Name:     "missing-vs-nil",
			Contract: "Get of an unbound key returns nil, false; a key bound to nil returns nil, true",
			Run:      runMissingVsNil,
		},
		{
			Name:     "missing-creates-nothing",
			Contract: "Get and Delete of a missing key create no per-goroutine state",
			Applies:  isCounter,
			Needs:    "a strategies.Counter",
			Run:      runMissingCreatesNothing,
		},
		{
			Name:     "reads-leave-nothing",
			Contract: "reading never leaves state behind and needs no scope: Get, Snapshot and a Var's default outside any scope create no per-goroutine state and do not panic",
			Run:      runReadsLeaveNothing,
		},
		{
			Name:     "delete-hides-outer",
			Contract: "Delete inside a scope hides the outer value; the outer value is visible again after the scope",
			Run:      runDeleteHides,
		},
		{
			Name:     "nested-scopes",
			Contract: "Scope restores every Set and Delete made inside, at every nesting level",
			Run:      runNestedScopes,
		},
		{
			Name:     "callee-cannot-rebind",
			Contract: "a callee that works in its own Scope cannot rebind or unbind its caller's values",
			Run:      runCalleeCannotRebind,
		},
		{
			Name:     "scope-panic",
			Contract: "a Scope ended by a panic restores every Set and Delete made inside, and the panic reaches the caller",
			Run:      runScopePanic,
		},
		{
			Name:     "scope-goexit",
			Contract: "a Scope ended by runtime.Goexit restores every Set and Delete made inside",
			Run:      runScopeGoexit,
		},
		{
			Name:     "isolation",
			Contract: "a goroutine never sees another goroutine's bindings",
			Run:      runIsolation,
		},
		{
			Name:     "plain-go-inherits-nothing",
			Contract: "a goroutine started with a plain go statement inherits nothing",
			Run:      runPlainGo,
		},
		{
			Name:     "go-copies-at-call",
			Contract: "a child started by Go starts with the parent's bindings as they were at the call; later changes on either side, or a sibling's, stay where they were made",
			Run:      runGoCopies,
		},
		{
			Name:     "wrap-copies-at-call",
			Contract: "a Wrap'd func runs with the bindings captured when Wrap was called, on any goroutine, every time; its changes stay its own and the caller gets its own bindings back",
			Run:      runWrapCopies,
		},
		{
			Name:     "wrap-every-call",
			Contract: "a Wrap'd func runs fn on every call, and a panic in fn reaches the caller, who has its own bindings back",
			Run:      runWrapEveryCall,
		},
		{
			Name:     "wrap-pool-worker",
			Contract: "a Wrap'd task on a pool worker sees exactly the bindings captured for it, never the worker's own or an earlier task's, and the worker gets its own bindings back after each task",
			Run:      runWrapPool,
		},
		{
			Name:     "go-from-ending-scope",
			Contract: "a child started by Go inside a scope that ends at once still starts with the bindings of that scope",
			Run:      runGoFromEndingScope,
		},
		{
			Name:     "plain-pull-isolated",
			Contract: "an iterator pulled with a plain iter.Pull runs on a goroutine of its own: it sees the caller's bindings only through the ctx it closes over, and only in an explicit store",
			Run:      runPlainPullIsolated,
		},
		{
			Name:     "pull-keeps-bindings",
			Contract: "an iterator pulled with strategies.Pull runs with the caller's bindings as they were at the call, keeps its own bindings between steps, changes none of the caller's and leaves nothing behind",
			Run:      runPullKeepsBindings,
		},
		{
			Name:     "pull2",
			Contract: "a Seq2 pulled with strategies.Pull2 sees the caller's bindings and its own, and binds nothing of the caller's",
			Run:      runPull2,
		},
		{
			Name:     "scope-seq",
			Contract: "a range loop body sees the caller's bindings; across the yields of an iterator written with strategies.ScopeSeq, the loop body sees the caller's bindings and keeps what it binds after the loop (also after break), and the iterator sees its own",
			Run:      runScopeSeq,
		},
		{
			Name:     "scope-seq2",
			Contract: "an iterator written with strategies.ScopeSeq2 yields from inside its own scope, and the loop body sees the caller's bindings",
			Run:      runScopeSeq2,
		},
		{
			Name:     "snapshot",
			Contract: "Snapshot returns a copy of exactly the visible bindings: deleted keys absent, a key bound to nil present, and changing the copy changes nothing",
			Run:      runSnapshot,
		},
		{
			Name:     "two-stores",
			Contract: "two stores never share bindings, even for the same key",
			Run:      runTwoStores,
		},
		{
			Name:     "many-goroutines",
			Contract: "goroutines running at once each see only their own bindings",
			Run:      runManyGoroutines,
		},
		{
			Name:     "no-residue",
			Contract: "after Go'd goroutines end and the outermost Scope returns, the store holds nothing for them",
			Applies:  isCounter,
			Needs:    "a strategies.Counter",
			Run:      runNoResidue,
		},
		{
			Name:     "leaks",
			Contract: "Info().Leaks is true exactly when a plain go goroutine that Sets outside any scope and exits leaves its entry behind, and Release forgets it",
			Applies: func(s strategies.Store) bool {
				return isCounter(s) && !s.Info().NeedsScope
			},
			Needs: "a strategies.Counter whose Info().NeedsScope is false",
			Run:   runLeaks,
		},
		{
			Name:     "nil-key",
			Contract: "a nil *Key panics with an error wrapping strategies.ErrNilKey that names the strategy and the method",
			Run:      runNilKey,
		},
		{
			Name:     "nil-func",
			Contract: "a nil func given to Scope, Wrap or Go panics at the call with an error wrapping strategies.ErrNilFunc that names the strategy and the method",
			Run:      runNilFunc,
		},
		{
			Name:     "no-scope",
			Contract: "a store whose Info().NeedsScope is true panics with strategies.ErrNoScope on Set and Delete outside any scope; any other store accepts them",
			Run:      runNoScope,
		},
		{
			Name:     "implicit",
			Contract: "Info().Implicit is true exactly when Get finds a binding from context.Background() on the goroutine that made it",
			Run:      runImplicit,
		},
		{
			Name:     "differential",
			Contract: "a random sequence of Set, Delete, Get, Scope (left normally or by a panic), Snapshot, Wrap and Go gives the reference model's answers",
			Run:      runDifferential,
		},
	}
}
