package harness

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/localbench/localbench/harness/benchkit"
	"github.com/localbench/localbench/strategies/mapid"
)

// allWorkloads are the workloads the Bench functions run through Bodies
// (sweep is a store method, not a body).
var allWorkloads = []string{
	WorkloadGet, WorkloadGetMiss, WorkloadSet, WorkloadDelete, WorkloadScope,
	WorkloadDepth, WorkloadBindings, WorkloadParallelGet, WorkloadParallelMixed,
	WorkloadLive, WorkloadSpawn, WorkloadWrap, WorkloadMemory, WorkloadLeak,
	WorkloadKeysGet, WorkloadKeysGetMiss, WorkloadKeysSet, WorkloadKeysScope,
	WorkloadSpreadGet, WorkloadSpreadGetMiss, WorkloadSpreadSet, WorkloadSpreadScope,
}

// TestStoreBodies checks that a store has a body of every workload: a body
// whose constraint storeOps stopped satisfying would silently drop the
// workload for every store.
func TestStoreBodies(t *testing.T) {
	bodies := newStoreOps(nil).Bodies()
	for _, w := range allWorkloads {
		if bodies[w].Run == nil {
			t.Errorf("storeOps has no body of workload %q", w)
		}
	}
	if len(bodies) != len(allWorkloads) {
		t.Errorf("storeOps has %d bodies; want %d", len(bodies), len(allWorkloads))
	}
}

// TestFloorWorkloads checks which workloads each floor runs, so that a
// floor that lost an operation (and with it, silently, its rows) fails.
func TestFloorWorkloads(t *testing.T) {
	want := map[string][]string{
		"param": {WorkloadGet, WorkloadGetMiss, WorkloadScope, WorkloadDepth, WorkloadBindings,
			WorkloadParallelGet, WorkloadSpawn, WorkloadWrap, WorkloadMemory},
		"goid": {WorkloadGet, WorkloadGetMiss, WorkloadDepth, WorkloadParallelGet},
		"minimal": {WorkloadGet, WorkloadGetMiss, WorkloadSet, WorkloadDelete, WorkloadDepth,
			WorkloadBindings, WorkloadParallelGet, WorkloadParallelMixed, WorkloadLive},
		"withvalue": {WorkloadGet, WorkloadGetMiss, WorkloadSet, WorkloadDelete, WorkloadScope,
			WorkloadDepth, WorkloadBindings, WorkloadParallelGet, WorkloadParallelMixed,
			WorkloadSpawn, WorkloadWrap, WorkloadMemory, WorkloadLeak,
			WorkloadKeysGet, WorkloadKeysGetMiss, WorkloadKeysSet, WorkloadKeysScope,
			WorkloadSpreadGet, WorkloadSpreadGetMiss, WorkloadSpreadSet, WorkloadSpreadScope},
		"mutexmap": {WorkloadGet, WorkloadGetMiss, WorkloadSet, WorkloadDelete, WorkloadScope,
			WorkloadDepth, WorkloadBindings, WorkloadParallelGet, WorkloadParallelMixed,
			WorkloadLive, WorkloadMemory, WorkloadLeak},
		"rawgls": {WorkloadGet, WorkloadGetMiss, WorkloadScope, WorkloadDepth, WorkloadBindings,
			WorkloadParallelGet, WorkloadLive, WorkloadMemory},
	}
	for _, c := range Floors() {
		var got []string
		for _, w := range allWorkloads {
			if (workload{name: w}).supports(c) {
				got = append(got, w)
			}
		}
		if !slices.Equal(got, want[c.Name]) {
			t.Errorf("floor %s runs %v; want %v", c.Name, got, want[c.Name])
		}
	}
}

// TestMinimalFloor checks that the minimal floor keeps every goroutine's
// values apart while its table grows under concurrent Enters, and that
// Set, Delete and leaving Enter do what the workloads rely on.
func TestMinimalFloor(t *testing.T) {
	f := newMinimalFloor()
	const goroutines = 200 // several growths from 64 slots
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			vals := benchkit.Values(2)
			f.Enter(context.Background(), vals, func(c struct{}) {
				for i, want := range vals {
					if got, ok := f.Get(c, i); !ok || got != want {
						t.Errorf("Get(%d) = %v, %t; want %v, true", i, got, ok, want)
					}
				}
				if got, ok := f.Get(c, benchkit.MissKey); ok {
					t.Errorf("Get(MissKey) = %v, true; want nil, false", got)
				}
				v := new(int)
				f.Set(c, benchkit.MissKey, v)
				if got, ok := f.Get(c, benchkit.MissKey); !ok || got != v {
					t.Errorf("Get(MissKey) after Set = %v, %t; want %v, true", got, ok, v)
				}
				f.Delete(c, 0)
				if got, ok := f.Get(c, 0); ok {
					t.Errorf("Get(0) after Delete = %v, true; want nil, false", got)
				}
			})
			if got, ok := f.Get(struct{}{}, 1); ok {
				t.Errorf("Get(1) after Enter returned = %v, true; want nil, false", got)
			}
		})
	}
	wg.Wait()
}

// TestStoreOpsBound checks that storeOps binds in Bound, inside the Scope
// that Enter opens, and that the binding ends with it.
func TestStoreOpsBound(t *testing.T) {
	o := newStoreOps(mapid.New())
	want := benchkit.Values(1)
	o.Enter(context.Background(), want, func(ctx context.Context) {
		ctx = o.Bound(ctx, want)
		if got, ok := o.Get(ctx, o.Key(0)); !ok || got != want[0] {
			t.Errorf("Get after Bound = %v, %t; want %v, true", got, ok, want[0])
		}
	})
	if got, ok := o.Get(context.Background(), o.Key(0)); ok {
		t.Errorf("Get after Enter returned = %v, true; want nil, false", got)
	}
}
