package harness_test

import (
	"maps"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/mapid"
)

func TestReference(t *testing.T) {
	a, b := strategies.NewKey("ref.a"), strategies.NewKey("ref.b")
	var r harness.Reference // the zero value is ready
	get := func(k *strategies.Key, want any, wantOK bool, why string) {
		t.Helper()
		if v, ok := r.Get(k); v != want || ok != wantOK {
			t.Errorf("Get(%s) = %v, %t; want %v, %t: %s", k.Name(), v, ok, want, wantOK, why)
		}
	}
	get(a, nil, false, "a zero Reference holds nothing")
	r.Set(a, 1)
	r.Set(b, nil)
	get(a, 1, true, "Get returns what Set bound")
	get(b, nil, true, "a key bound to nil is bound")
	r.Enter()
	r.Set(a, 2)
	r.Delete(b)
	get(a, 2, true, "a scope sees its own Set")
	get(b, nil, false, "a scope's Delete hides the outer binding")
	r.Enter()
	if d := r.Depth(); d != 2 {
		t.Errorf("Depth() = %d; want 2", d)
	}
	snap := r.Snapshot()
	snap[b] = 3
	get(b, nil, false, "changing a Snapshot changes nothing")
	r.Leave()
	r.Leave()
	get(a, 1, true, "Leave restores")
	get(b, nil, true, "Leave restores")
	if got, want := r.Snapshot(), map[*strategies.Key]any{a: 1, b: nil}; !maps.Equal(got, want) {
		t.Errorf("Snapshot() = %v; want %v", got, want)
	}
	if v := catch(r.Leave); v == nil {
		t.Errorf("Leave with no open scope did not panic; want a panic")
	}
}

func catch(fn func()) (v any) {
	defer func() { v = recover() }()
	fn()
	return nil
}

func TestDecodeOps(t *testing.T) {
	k := byte(harness.NumOpKinds)
	data := []byte{
		byte(harness.OpSet) + 2*k, 5,
		byte(harness.OpGet) + 2*k, 0,
		byte(harness.OpSet), 16, // value 16 % 16 binds nil
		byte(harness.OpEnter), 0,
		9, // trailing odd byte: ignored
	}
	got := harness.DecodeOps(data)
	want := []harness.Op{
		{Kind: harness.OpSet, Key: 2, Val: 5},
		{Kind: harness.OpGet, Key: 2},
		{Kind: harness.OpSet, Key: 0, Val: 0},
		{Kind: harness.OpEnter},
	}
	if len(got) != len(want) {
		t.Fatalf("DecodeOps(%v) = %v; want %v", data, got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("DecodeOps(%v)[%d] = %+v; want %+v", data, i, got[i], want[i])
		}
	}
	for _, c := range []struct {
		op   harness.Op
		want string
	}{
		{want[0], "Set(harness.op2, 5)"},
		{want[1], "Get(harness.op2)"},
		{want[2], "Set(harness.op0, nil)"},
		{harness.Op{Kind: harness.OpGo}, "Go"},
	} {
		if s := c.op.String(); s != c.want {
			t.Errorf("%+v.String() = %q; want %q", c.op, s, c.want)
		}
	}
}

func TestRandomOps(t *testing.T) {
	ops := harness.RandomOps(rand.New(rand.NewPCG(1, 2)), 5000)
	var kinds [harness.NumOpKinds]int
	for _, op := range ops {
		if op.Kind >= harness.NumOpKinds || op.Key < 0 || op.Key >= harness.NumOpKeys {
			t.Fatalf("RandomOps made %+v; want a kind and key in range", op)
		}
		kinds[op.Kind]++
	}
	for k, n := range kinds {
		if n == 0 {
			t.Errorf("RandomOps made no %v in 5000 ops; want every kind", harness.OpKind(k))
		}
	}
	again := harness.RandomOps(rand.New(rand.NewPCG(1, 2)), 5000)
	for i := range ops {
		if ops[i] != again[i] {
			t.Fatalf("RandomOps with the same seed differs at %d: %+v, %+v; want the same sequence", i, ops[i], again[i])
		}
	}
}

// everyOp uses every kind of op, nests scopes, leaves by a panic, and
// leaves tasks queued for after their scopes ended.
var everyOp = []harness.Op{
	{Kind: harness.OpSet, Key: 0, Val: 1},
	{Kind: harness.OpSet, Key: 1, Val: 0},
	{Kind: harness.OpEnter},
	{Kind: harness.OpSet, Key: 0, Val: 2},
	{Kind: harness.OpDelete, Key: 1},
	{Kind: harness.OpWrap, Key: 2},
	{Kind: harness.OpGo, Key: 3},
	{Kind: harness.OpEnter},
	{Kind: harness.OpSet, Key: 2, Val: 3},
	{Kind: harness.OpWrap, Key: 1},
	{Kind: harness.OpSnapshot},
	{Kind: harness.OpPanic},
	{Kind: harness.OpGet, Key: 2},
	{Kind: harness.OpRunWrap},
	{Kind: harness.OpWrap, Key: 0},
	{Kind: harness.OpCallWrap},
	{Kind: harness.OpLeave},
	{Kind: harness.OpGet, Key: 0},
	{Kind: harness.OpGet, Key: 1},
	{Kind: harness.OpEnter},
	{Kind: harness.OpSet, Key: 3, Val: 4},
	{Kind: harness.OpWrap, Key: 3},
}

func TestCheckOpsOnMapid(t *testing.T) {
	harness.CheckOps(t, mapid.New(), everyOp)
}

// TestCheckOpsCatches checks that short op sequences catch broken stores:
// the differential case does not rely on luck for these flaws.
func TestCheckOpsCatches(t *testing.T) {
	set := func(k, v int) harness.Op { return harness.Op{Kind: harness.OpSet, Key: k, Val: v} }
	get := func(k int) harness.Op { return harness.Op{Kind: harness.OpGet, Key: k} }
	op := func(kind harness.OpKind) harness.Op { return harness.Op{Kind: kind} }
	tests := []struct {
		flaws flaw
		ops   []harness.Op
	}{
		{sharedMap, []harness.Op{op(harness.OpWrap), op(harness.OpRunWrap), get(0)}},
		{wrapShares, []harness.Op{set(0, 1), op(harness.OpWrap), set(0, 2), op(harness.OpRunWrap)}},
		{wrapLate, []harness.Op{set(0, 1), op(harness.OpWrap), set(0, 2), op(harness.OpRunWrap)}},
		{wrapNoRestore, []harness.Op{set(1, 1), op(harness.OpWrap), set(1, 2), op(harness.OpCallWrap)}},
		{noRestoreOnPanic, []harness.Op{set(0, 1), op(harness.OpEnter), set(0, 2), op(harness.OpPanic), get(0)}},
		{swallowPanic, []harness.Op{op(harness.OpEnter), op(harness.OpPanic)}},
		{nilUnbinds, []harness.Op{set(0, 0), get(0)}},
		{0, everyOp}, // the sound toy passes
	}
	for _, tt := range tests {
		t.Run(tt.flaws.String(), func(t *testing.T) {
			rep := harness.Checker{Cases: []harness.Case{{
				Name:     "ops",
				Contract: "the ops give the reference model's answers",
				Run: func(t harness.T, s strategies.Store, _ func() strategies.Store) {
					harness.CheckOps(t, s, tt.ops)
				},
			}}}.Check(func() strategies.Store { return newToy(tt.flaws) })
			if want := tt.flaws == 0; rep.OK() != want {
				t.Errorf("CheckOps(toy with flaws %v, %v) OK = %t; want %t:\n%s", tt.flaws, tt.ops, rep.OK(), want, rep)
			}
			if res, _ := rep.Result("ops"); tt.flaws != 0 && !strings.Contains(strings.Join(res.Errors, "\n"), "reference model") {
				t.Errorf("CheckOps errors %q; want them to name the reference model", res.Errors)
			}
		})
	}
}

func FuzzCheckOps(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{byte(harness.OpSet), 1, byte(harness.OpEnter), 0, byte(harness.OpSet), 2, byte(harness.OpPanic), 0, byte(harness.OpGet), 0})
	f.Add([]byte{byte(harness.OpWrap), 0, byte(harness.OpEnter), 0, byte(harness.OpGo), 3, byte(harness.OpLeave), 0, byte(harness.OpRunWrap), 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		harness.CheckOps(t, mapid.New(), harness.DecodeOps(data))
	})
}

// TestDifferentialSeed checks that the differential case logs its seed and
// takes it from LOCALBENCH_SEED.
func TestDifferentialSeed(t *testing.T) {
	var differential []harness.Case
	for _, c := range harness.Cases() {
		if c.Name == "differential" {
			differential = append(differential, c)
		}
	}
	if len(differential) != 1 {
		t.Fatalf("Cases() has %d cases named differential; want 1", len(differential))
	}
	check := harness.Checker{Cases: differential, Short: true}

	t.Setenv(harness.SeedEnv, "42")
	res := check.Check(newMapid).Results[0]
	if res.Outcome != harness.Pass || len(res.Logs) == 0 || !strings.HasPrefix(res.Logs[0], "seed 42 ") {
		t.Errorf("with %s=42: %v, logs %q; want PASS and a log line starting \"seed 42 \"", harness.SeedEnv, res.Outcome, res.Logs)
	}

	t.Setenv(harness.SeedEnv, "forty-two")
	res = check.Check(newMapid).Results[0]
	if res.Outcome != harness.Fail || len(res.Errors) != 1 || !strings.Contains(res.Errors[0], harness.SeedEnv) {
		t.Errorf("with %s=forty-two: %v, errors %q; want FAIL naming the variable", harness.SeedEnv, res.Outcome, res.Errors)
	}
}
