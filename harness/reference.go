package harness

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"time"

	"github.com/localbench/localbench/strategies"
)

// Reference is the model every Store must agree with on one goroutine: a
// stack of maps, one per open scope, each a full copy of the bindings
// visible in it. Enter pushes a copy of the top and Leave pops it, so leaving
// a scope restores everything by construction.
//
// The zero Reference holds nothing and has no open scope; it is ready to
// use. A Reference is not safe for concurrent use. Its cost is a map copy
// per Enter, which is the point: it is obviously right, not fast.
type Reference struct {
	stack []map[*strategies.Key]any
}

func (r *Reference) top() map[*strategies.Key]any {
	if len(r.stack) == 0 {
		r.stack = append(r.stack, make(map[*strategies.Key]any))
	}
	return r.stack[len(r.stack)-1]
}

// Get returns the value bound to k and whether k is bound.
func (r *Reference) Get(k *strategies.Key) (any, bool) {
	v, ok := r.top()[k]
	return v, ok
}

// Set binds k to v in the innermost scope.
func (r *Reference) Set(k *strategies.Key, v any) { r.top()[k] = v }

// Delete unbinds k in the innermost scope.
func (r *Reference) Delete(k *strategies.Key) { delete(r.top(), k) }

// Enter opens a nested scope that starts with every visible binding.
func (r *Reference) Enter() { r.stack = append(r.stack, maps.Clone(r.top())) }

// Leave closes the innermost scope, restoring the bindings it started with.
// It panics if no scope is open.
func (r *Reference) Leave() {
	if r.Depth() == 0 {
		panic("harness: Reference.Leave with no open scope")
	}
	r.stack[len(r.stack)-1] = nil
	r.stack = r.stack[:len(r.stack)-1]
}

// Depth returns the number of open scopes.
func (r *Reference) Depth() int { return max(len(r.stack)-1, 0) }

// Snapshot returns a copy of every visible binding.
func (r *Reference) Snapshot() map[*strategies.Key]any { return maps.Clone(r.top()) }

// OpKind is what an Op does.
type OpKind uint8

// The kinds of Op. CheckOps reads a kind out of range modulo NumOpKinds.
const (
	OpGet      OpKind = iota // Get(Key) and compare with the model
	OpSet                    // Set(Key, Val); Val 0 binds nil
	OpDelete                 // Delete(Key)
	OpEnter                  // enter a nested Scope
	OpLeave                  // leave the innermost Scope normally (no-op outside any)
	OpPanic                  // leave the innermost Scope by a panic its caller recovers (no-op outside any)
	OpSnapshot               // Snapshot and compare with the model
	OpWrap                   // Wrap now; the task waits in a queue
	OpRunWrap                // run the oldest queued task on a worker goroutine with bindings of its own
	OpCallWrap               // run the oldest queued task on this goroutine, inside the current scope
	OpGo                     // strategies.Go a child

	NumOpKinds // the number of kinds
)

var opNames = [NumOpKinds]string{"Get", "Set", "Delete", "Enter", "Leave", "Panic", "Snapshot", "Wrap", "RunWrap", "CallWrap", "Go"}

// String returns the kind's name, as in "Set".
func (k OpKind) String() string {
	if k < NumOpKinds {
		return opNames[k]
	}
	return fmt.Sprintf("OpKind(%d)", uint8(k))
}

// NumOpKeys is the number of keys Ops name.
const NumOpKeys = 4

// opKeys are the keys Ops name, by Op.Key modulo NumOpKeys.
var opKeys = [NumOpKeys]*strategies.Key{
	strategies.NewKey("harness.op0"),
	strategies.NewKey("harness.op1"),
	strategies.NewKey("harness.op2"),
	strategies.NewKey("harness.op3"),
}

// An Op is one step of a sequence that CheckOps runs against a store and
// the Reference.
//
// A task made by OpWrap or a child made by OpGo checks that it starts with
// exactly the bindings visible at the op, then binds its Key to a value of
// its own and deletes the next key, and checks that it sees that. Its
// changes must stay its own.
type Op struct {
	Kind OpKind
	Key  int // which key, modulo NumOpKeys
	Val  int // the value OpSet binds; 0 binds nil
}

func (o Op) norm() Op {
	o.Kind %= NumOpKinds
	o.Key = ((o.Key % NumOpKeys) + NumOpKeys) % NumOpKeys
	return o
}

func (o Op) value() any {
	if o.Val == 0 {
		return nil
	}
	return o.Val
}

// String formats the op as a call, as in "Set(harness.op1, 3)".
func (o Op) String() string {
	o = o.norm()
	k := keyName(opKeys[o.Key])
	switch o.Kind {
	case OpGet, OpDelete:
		return fmt.Sprintf("%v(%s)", o.Kind, k)
	case OpSet:
		return fmt.Sprintf("Set(%s, %s)", k, showValue(o.value()))
	}
	return o.Kind.String()
}

// DecodeOps turns bytes into ops, two bytes an op, for fuzz targets: the
// first byte gives the kind and the key, the second the value (modulo 16, so
// that nil is bound often). A trailing odd byte is ignored.
func DecodeOps(data []byte) []Op {
	ops := make([]Op, 0, len(data)/2)
	for i := 0; i+1 < len(data); i += 2 {
		b, v := data[i], data[i+1]
		ops = append(ops, Op{
			Kind: OpKind(b % uint8(NumOpKinds)),
			Key:  int(b/uint8(NumOpKinds)) % NumOpKeys,
			Val:  int(v % 16),
		})
	}
	return ops
}

// opWeights shape RandomOps: mostly Set and Get, scopes entered a little
// more often than left so that nesting grows, few goroutines.
var opWeights = [NumOpKinds]int{
	OpGet: 24, OpSet: 28, OpDelete: 10, OpEnter: 10, OpLeave: 8, OpPanic: 3,
	OpSnapshot: 5, OpWrap: 5, OpRunWrap: 3, OpCallWrap: 2, OpGo: 2,
}

// RandomOps returns n ops drawn from r.
func RandomOps(r *rand.Rand, n int) []Op {
	total := 0
	for _, w := range opWeights {
		total += w
	}
	ops := make([]Op, n)
	for i := range ops {
		x := r.IntN(total)
		kind := OpKind(0)
		for x >= opWeights[kind] {
			x -= opWeights[kind]
			kind++
		}
		ops[i] = Op{Kind: kind, Key: r.IntN(NumOpKeys), Val: r.IntN(10)}
	}
	return ops
}

// errOpPanic is what OpPanic panics with.
var errOpPanic = errors.New("harness: OpPanic")

// CheckOps runs ops against s, starting from context.Background() inside a
// Scope on the calling goroutine, and against a Reference, and reports
// through t the first answer of s that differs from the model's, and any
// task or child that saw the wrong bindings. Every wait is bounded. It is
// the body of the "differential" case, exported for fuzz targets.
func CheckOps(t T, s strategies.Store, ops []Op) {
	t.Helper()
	r := &opRunner{
		t:     t,
		s:     s,
		ops:   make([]Op, len(ops)),
		lim:   limit(t, 5),
		tasks: make(chan opTask),
		acks:  make(chan struct{}, 1),
	}
	for i, op := range ops {
		r.ops[i] = op.norm()
	}
	worker := spawn(r.lim, r.worker)
	s.Scope(context.Background(), func(ctx context.Context) {
		ctx = r.run(ctx, 0)
		if !r.stopped {
			r.checkAll(ctx, len(r.ops), "at the end of the sequence")
		}
	})
	// Tasks never run so far run now, after the scopes they were captured
	// in have ended.
	for i, task := range r.pending {
		if r.stopped || !r.onWorker(r.pendingAt[i], task) {
			break
		}
	}
	close(r.tasks)
	await(t, worker, "the end of the worker goroutine")
	awaitAll(t, r.children, "the children started by Go")
	r.lim.flush()
}

type opTask struct {
	at  int // index of the op that ran it
	run func()
}

type opRunner struct {
	t       T
	s       strategies.Store
	ops     []Op
	lim     *limitT // for the worker and the children
	ref     Reference
	pos     int
	stopped bool // after the first wrong answer
	panics  bool // an OpPanic is unwinding

	pending   []func() // queued Wrap'd tasks, oldest first
	pendingAt []int    // the op that queued each
	children  []<-chan struct{}
	tasks     chan opTask
	acks      chan struct{}
}

// why says where in the sequence an answer was wrong.
func (r *opRunner) why(at int, what string) string {
	if at >= len(r.ops) {
		return fmt.Sprintf("%s after all %d ops: the store must give the reference model's answers", what, len(r.ops))
	}
	return fmt.Sprintf("%s after op %d of %d (%v): the store must give the reference model's answers", what, at, len(r.ops), r.ops[at])
}

// run runs ops from r.pos until OpLeave or OpPanic (at depth > 0) or the
// end, and returns the context it ended with.
func (r *opRunner) run(ctx context.Context, depth int) context.Context {
	for !r.stopped && r.pos < len(r.ops) {
		at := r.pos
		op := r.ops[at]
		r.pos++
		k := opKeys[op.Key]
		switch op.Kind {
		case OpGet:
			want, ok := r.ref.Get(k)
			if !expectGet(r.t, r.s, ctx, k, want, ok, r.why(at, "a Get")) {
				r.stopped = true
			}
		case OpSet:
			ctx = r.s.Set(ctx, k, op.value())
			r.ref.Set(k, op.value())
		case OpDelete:
			ctx = r.s.Delete(ctx, k)
			r.ref.Delete(k)
		case OpEnter:
			r.enter(ctx, depth, at)
		case OpLeave:
			if depth > 0 {
				return ctx
			}
		case OpPanic:
			if depth > 0 {
				r.panics = true
				panic(errOpPanic)
			}
		case OpSnapshot:
			want := r.ref.Snapshot()
			if got := r.s.Snapshot(ctx); !sameView(got, want) {
				r.t.Errorf("Snapshot() = %s; want %s: %s", showView(got), showView(want), r.why(at, "a Snapshot"))
				r.stopped = true
			}
		case OpWrap:
			r.pending = append(r.pending, r.s.Wrap(ctx, r.child(at, op, "a Wrap'd task")))
			r.pendingAt = append(r.pendingAt, at)
		case OpRunWrap, OpCallWrap:
			if len(r.pending) == 0 {
				break
			}
			task := r.pending[0]
			r.pending, r.pendingAt = r.pending[1:], r.pendingAt[1:]
			if op.Kind == OpRunWrap {
				r.onWorker(at, task)
				break
			}
			task()
			r.checkAll(ctx, at, "the calling goroutine's bindings, back after a Wrap'd task ran on it,")
		case OpGo:
			r.children = append(r.children, goChild(r.lim, r.s, ctx, r.child(at, op, "a child started by Go")))
		}
	}
	return ctx
}

// enter runs the ops that follow in a nested Scope, until OpLeave, OpPanic
// or the end, and then checks that the scope restored everything.
func (r *opRunner) enter(ctx context.Context, depth, at int) {
	r.ref.Enter()
	panicked := false
	func() {
		defer func() {
			if v := recover(); v != nil {
				if v != errOpPanic {
					panic(v)
				}
				panicked = true
			}
		}()
		r.s.Scope(ctx, func(ctx context.Context) { r.run(ctx, depth+1) })
	}()
	r.ref.Leave()
	if r.panics && !panicked && !r.stopped {
		r.t.Errorf("Scope returned normally after a panic inside it; want the panic to reach its caller: %s", r.why(r.pos-1, "a Scope"))
		r.stopped = true
	}
	r.panics = false
	if !r.stopped {
		r.checkAll(ctx, r.pos-1, fmt.Sprintf("the bindings after the Scope entered by op %d ended,", at))
	}
}

// checkAll compares every key and the Snapshot with the model.
func (r *opRunner) checkAll(ctx context.Context, at int, what string) {
	if !checkView(r.t, r.s, ctx, opKeys[:], r.ref.Snapshot(), r.why(at, what)) {
		r.stopped = true
	}
}

// child returns the body of a task or child for the op at: see Op.
func (r *opRunner) child(at int, op Op, who string) func(context.Context) {
	want := r.ref.Snapshot()
	k, other := opKeys[op.Key], opKeys[(op.Key+1)%NumOpKeys]
	return func(ctx context.Context) {
		if !checkView(r.lim, r.s, ctx, opKeys[:], want, r.why(at, who+" started with the bindings of its op:")) {
			return
		}
		ctx = r.s.Set(ctx, k, -at-1)
		ctx = r.s.Delete(ctx, other)
		mine := maps.Clone(want)
		mine[k] = -at - 1
		delete(mine, other)
		checkView(r.lim, r.s, ctx, opKeys[:], mine, r.why(at, who+" sees its own Set and Delete:"))
	}
}

// worker runs queued tasks on a goroutine with bindings of its own, and
// checks after each that it has them back.
func (r *opRunner) worker() {
	r.s.Scope(context.Background(), func(ctx context.Context) {
		ctx = r.s.Set(ctx, opKeys[0], "worker")
		own := view{opKeys[0]: "worker"}
		for task := range r.tasks {
			task.run()
			checkView(r.lim, r.s, ctx, opKeys[:], own, r.why(task.at, "a worker gets its own bindings back after each Wrap'd task:"))
			r.acks <- struct{}{}
		}
	})
}

// onWorker runs task on the worker and waits for it.
func (r *opRunner) onWorker(at int, task func()) bool {
	if send(r.t, r.tasks, opTask{at: at, run: task}, fmt.Sprintf("the worker taking the task of op %d", at)) &&
		await(r.t, r.acks, fmt.Sprintf("the end of the task run by op %d", at)) {
		return true
	}
	r.stopped = true
	return false
}

// SeedEnv is the environment variable that fixes the seed of the
// "differential" case, as in LOCALBENCH_SEED=42.
const SeedEnv = "LOCALBENCH_SEED"

// seed returns the seed from SeedEnv, or a new one.
func seed() (uint64, error) {
	if v, ok := os.LookupEnv(SeedEnv); ok {
		var n uint64
		if _, err := fmt.Sscan(v, &n); err != nil {
			return 0, fmt.Errorf("%s=%q: %w", SeedEnv, v, err)
		}
		return n, nil
	}
	return uint64(time.Now().UnixNano()), nil
}

func runDifferential(t T, s strategies.Store, _ func() strategies.Store) {
	n, err := seed()
	if err != nil {
		t.Fatalf("%v", err)
	}
	t.Logf("seed %d (set %s=%d to repeat)", n, SeedEnv, n)
	// Several sequences, each from a store with nothing bound.
	rounds, length := scaled(t, 5, 2), 2000
	for round := range rounds {
		CheckOps(t, s, RandomOps(rand.New(rand.NewPCG(n, uint64(round))), length))
		if t.Failed() {
			t.Logf("seed %d, sequence %d of %d (set %s=%d to repeat)", n, round+1, rounds, SeedEnv, n)
			return
		}
	}
}
