package harness_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/strategies"
	"github.com/petermattis/goid"
)

// toyStore is a small, correct store with switchable flaws, for testing the
// tester: each flaw breaks one promise, and the suite must notice. The
// flaws break semantics, never memory safety: every map is read and written
// under mu, so that the race detector has nothing to say and the suite's
// own checks must catch them.
type toyStore struct {
	flaws flaw

	mu sync.Mutex
	m  map[int64]map[*strategies.Key]any // bindings by goroutine id
}

// flaw is a set of ways to break a toyStore.
type flaw uint

const (
	sharedMap         flaw = 1 << iota // one map for every goroutine
	wrapShares                         // Wrap hands over the parent's live map instead of a copy
	wrapLate                           // Wrap copies the parent's bindings when the func runs, not when Wrap is called
	wrapNoRestore                      // a Wrap'd func leaves its bindings on the goroutine that ran it
	noRestoreOnPanic                   // Scope restores only when fn returns
	noRestoreOnGoexit                  // Scope restores when fn returns or panics, not on runtime.Goexit
	swallowPanic                       // Scope restores, and recovers fn's panic
	keepsEntry                         // an outermost Scope leaves an empty entry behind
	getCreates                         // Get makes an entry for a goroutine that has none
	nilUnbinds                         // Set(k, nil) unbinds k
	snapshotLive                       // Snapshot returns the live map, not a copy
	noNilCheck                         // a nil key is a key like any other
	noNilFuncCheck                     // a nil func fails only when it is called
	lieImplicit                        // Info says Implicit: false
	lieLeaks                           // Info says Leaks: false
	lieNeedsScope                      // Info says NeedsScope: true, but Set works anywhere
	flawEnd
)

var flawNames = []string{
	"shared-map", "wrap-shares", "wrap-late", "wrap-no-restore",
	"no-restore-on-panic", "no-restore-on-goexit", "swallow-panic", "keeps-entry",
	"get-creates", "nil-unbinds", "snapshot-live", "no-nil-check", "no-nil-func-check",
	"lie-implicit", "lie-leaks", "lie-needs-scope",
}

func (f flaw) String() string {
	if f == 0 {
		return "none"
	}
	var names []string
	for i, name := range flawNames {
		if f&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	return strings.Join(names, "+")
}

func newToy(flaws flaw) *toyStore {
	return &toyStore{flaws: flaws, m: make(map[int64]map[*strategies.Key]any)}
}

var (
	_ strategies.Store    = (*toyStore)(nil)
	_ strategies.Releaser = (*toyStore)(nil)
	_ strategies.Counter  = (*toyStore)(nil)
)

func (s *toyStore) has(f flaw) bool { return s.flaws&f != 0 }

func (s *toyStore) id() int64 {
	if s.has(sharedMap) {
		return 0
	}
	return goid.Get()
}

func (s *toyStore) Info() strategies.Info {
	return strategies.Info{
		Name:       "toy",
		Implicit:   !s.has(lieImplicit),
		NeedsScope: s.has(lieNeedsScope),
		Leaks:      !s.has(lieLeaks),
	}
}

func (s *toyStore) checkKey(method string, k *strategies.Key) {
	if !s.has(noNilCheck) {
		strategies.CheckKey("toy", method, k)
	}
}

func (s *toyStore) Get(ctx context.Context, k *strategies.Key) (any, bool) {
	s.checkKey("Get", k)
	s.mu.Lock()
	defer s.mu.Unlock()
	vals, ok := s.m[s.id()]
	if !ok && s.has(getCreates) {
		s.m[s.id()] = make(map[*strategies.Key]any)
	}
	v, ok := vals[k]
	return v, ok
}

func (s *toyStore) Set(ctx context.Context, k *strategies.Key, v any) context.Context {
	s.checkKey("Set", k)
	s.mu.Lock()
	defer s.mu.Unlock()
	vals := s.m[s.id()]
	if vals == nil {
		vals = make(map[*strategies.Key]any)
		s.m[s.id()] = vals
	}
	if v == nil && s.has(nilUnbinds) {
		delete(vals, k)
	} else {
		vals[k] = v
	}
	return ctx
}

func (s *toyStore) Delete(ctx context.Context, k *strategies.Key) context.Context {
	s.checkKey("Delete", k)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m[s.id()], k)
	return ctx
}

// swap puts vals (a copy unless share) in place of goroutine id's bindings
// and returns a func that puts the old ones back.
func (s *toyStore) swap(id int64, vals map[*strategies.Key]any, share bool) (restore func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, had := s.m[id]
	old = maps.Clone(old)
	if !share {
		vals = maps.Clone(vals)
	}
	if vals == nil {
		delete(s.m, id)
	} else {
		s.m[id] = vals
	}
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch {
		case had:
			s.m[id] = old
		case s.has(keepsEntry):
			s.m[id] = make(map[*strategies.Key]any)
		default:
			delete(s.m, id)
		}
	}
}

func (s *toyStore) current(id int64) map[*strategies.Key]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id]
}

func (s *toyStore) checkFunc(method string, fn func(context.Context)) {
	if !s.has(noNilFuncCheck) {
		strategies.CheckFunc("toy", method, fn)
	}
}

func (s *toyStore) Scope(ctx context.Context, fn func(context.Context)) {
	s.checkFunc("Scope", fn)
	id := s.id()
	restore := s.swap(id, s.current(id), false)
	switch {
	case s.has(noRestoreOnPanic):
		fn(ctx)
		restore()
	case s.has(noRestoreOnGoexit):
		defer func() {
			if v := recover(); v != nil {
				restore()
				panic(v)
			}
		}()
		fn(ctx)
		restore()
	case s.has(swallowPanic):
		defer restore()
		defer func() { _ = recover() }()
		fn(ctx)
	default:
		defer restore()
		fn(ctx)
	}
}

func (s *toyStore) Wrap(ctx context.Context, fn func(context.Context)) func() {
	s.checkFunc("Wrap", fn)
	parent := s.id()
	s.mu.Lock()
	captured := s.m[parent]
	if !s.has(wrapShares) {
		captured = maps.Clone(captured)
	}
	s.mu.Unlock()
	return func() {
		vals := captured
		if s.has(wrapLate) {
			vals = s.current(parent)
		}
		restore := s.swap(s.id(), vals, s.has(wrapShares))
		if !s.has(wrapNoRestore) {
			defer restore()
		}
		fn(ctx)
	}
}

func (s *toyStore) Snapshot(ctx context.Context) map[*strategies.Key]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	vals := s.m[s.id()]
	if s.has(snapshotLive) && vals != nil {
		return vals
	}
	if vals == nil {
		return make(map[*strategies.Key]any)
	}
	return maps.Clone(vals)
}

func (s *toyStore) Release(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, s.id())
}

func (s *toyStore) Live() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

// TestToyStoresPass proves the toys sound, so that each flaw, not the toy,
// is what fails the cases in TestBrokenStoresFail.
func TestToyStoresPass(t *testing.T) {
	rep := harness.Checker{Short: true}.Check(func() strategies.Store { return newToy(0) })
	if !rep.OK() || len(rep.Skipped()) != 0 {
		t.Errorf("Check(toy without flaws) failed %v, skipped %v; want every case passed:\n%s", rep.Failed(), rep.Skipped(), rep)
	}
	rep = harness.Checker{Short: true}.Check(func() strategies.Store { return new(ctxToy) })
	if want := []string{"missing-creates-nothing", "no-residue", "leaks"}; !rep.OK() || !slices.Equal(rep.Skipped(), want) {
		t.Errorf("Check(ctxtoy) failed %v, skipped %v; want only %v skipped (it is no Counter), every other case passed:\n%s", rep.Failed(), rep.Skipped(), want, rep)
	}
}

// TestBrokenStoresFail checks that the suite fails each broken store, and
// fails it in the cases meant to catch that flaw.
func TestBrokenStoresFail(t *testing.T) {
	tests := []struct {
		flaws  flaw
		caught []string // cases that must fail; others may fail too
	}{
		{sharedMap, []string{"isolation", "plain-go-inherits-nothing", "many-goroutines", "plain-pull-isolated", "pull-keeps-bindings", "pull2"}},
		{wrapShares, []string{"go-copies-at-call", "wrap-copies-at-call", "pull-keeps-bindings", "pull2"}},
		{wrapLate, []string{"wrap-copies-at-call", "pull-keeps-bindings"}},
		{wrapNoRestore, []string{"wrap-copies-at-call", "wrap-pool-worker"}},
		{noRestoreOnPanic, []string{"scope-panic", "scope-goexit"}},
		{noRestoreOnGoexit, []string{"scope-goexit"}},
		{swallowPanic, []string{"scope-panic", "scope-seq"}},
		{keepsEntry, []string{"no-residue", "pull-keeps-bindings"}},
		{getCreates, []string{"missing-creates-nothing", "reads-leave-nothing"}},
		{nilUnbinds, []string{"missing-vs-nil", "snapshot"}},
		{snapshotLive, []string{"snapshot"}},
		{noNilCheck, []string{"nil-key"}},
		{noNilFuncCheck, []string{"nil-func"}},
		{lieImplicit, []string{"implicit", "plain-pull-isolated", "scope-seq", "scope-seq2"}},
		{lieLeaks, []string{"leaks"}},
		{lieNeedsScope, []string{"no-scope", "info"}},
	}
	t.Run("ctxtoy+lie-implicit", func(t *testing.T) {
		t.Parallel()
		rep := harness.Checker{Short: true}.Check(func() strategies.Store { return &ctxToy{flaws: lieImplicit} })
		for _, want := range []string{"implicit", "plain-pull-isolated"} {
			if got := rep.Failed(); !slices.Contains(got, want) {
				t.Errorf("Check(explicit store claiming Implicit) failed %v; want %q among them:\n%s", got, want, rep)
			}
		}
	})
	var all flaw
	for _, tt := range tests {
		all |= tt.flaws
	}
	if all != flawEnd-1 {
		t.Fatalf("flaws tested = %v; want every flaw: %v", all, flawEnd-1)
	}
	for _, tt := range tests {
		t.Run(tt.flaws.String(), func(t *testing.T) {
			t.Parallel()
			rep := harness.Checker{Short: true}.Check(func() strategies.Store { return newToy(tt.flaws) })
			for _, name := range tt.caught {
				res, ok := rep.Result(name)
				if !ok {
					t.Errorf("no result for case %q; want FAIL", name)
					continue
				}
				if res.Outcome != harness.Fail {
					t.Errorf("case %q: %v; want FAIL: it is the case meant to catch %v", name, res.Outcome, tt.flaws)
				}
			}
			if t.Failed() {
				t.Logf("report:\n%s", rep)
			}
		})
	}
}

// ctxToy is a small, correct explicit store: its bindings are an immutable
// map carried by the context, as ctxvalue's are. It proves that the cases
// thread contexts through (an implicit store would forgive a case that
// drops one). lieImplicit is its only flaw.
type ctxToy struct {
	flaws flaw
}

type ctxToyKey struct{ s *ctxToy }

var _ strategies.Store = (*ctxToy)(nil)

func (s *ctxToy) Info() strategies.Info {
	return strategies.Info{Name: "ctxtoy", Implicit: s.flaws&lieImplicit != 0}
}

func (s *ctxToy) vals(ctx context.Context) map[*strategies.Key]any {
	m, _ := ctx.Value(ctxToyKey{s}).(map[*strategies.Key]any)
	return m
}

func (s *ctxToy) Get(ctx context.Context, k *strategies.Key) (any, bool) {
	strategies.CheckKey("ctxtoy", "Get", k)
	v, ok := s.vals(ctx)[k]
	return v, ok
}

func (s *ctxToy) Set(ctx context.Context, k *strategies.Key, v any) context.Context {
	strategies.CheckKey("ctxtoy", "Set", k)
	m := maps.Clone(s.vals(ctx))
	if m == nil {
		m = make(map[*strategies.Key]any)
	}
	m[k] = v
	return context.WithValue(ctx, ctxToyKey{s}, m)
}

func (s *ctxToy) Delete(ctx context.Context, k *strategies.Key) context.Context {
	strategies.CheckKey("ctxtoy", "Delete", k)
	if _, ok := s.vals(ctx)[k]; !ok {
		return ctx
	}
	m := maps.Clone(s.vals(ctx))
	delete(m, k)
	return context.WithValue(ctx, ctxToyKey{s}, m)
}

func (s *ctxToy) Scope(ctx context.Context, fn func(context.Context)) {
	strategies.CheckFunc("ctxtoy", "Scope", fn)
	fn(ctx)
}

func (s *ctxToy) Wrap(ctx context.Context, fn func(context.Context)) func() {
	strategies.CheckFunc("ctxtoy", "Wrap", fn)
	return func() { fn(ctx) }
}

func (s *ctxToy) Snapshot(ctx context.Context) map[*strategies.Key]any {
	m := maps.Clone(s.vals(ctx))
	if m == nil {
		m = make(map[*strategies.Key]any)
	}
	return m
}
