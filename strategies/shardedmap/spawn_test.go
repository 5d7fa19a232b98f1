package shardedmap_test

import (
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/internal/gstate/spawntest"
	"github.com/localbench/localbench/strategies/shardedmap"
)

// TestSpawn checks the fast path strategies.Go takes for shardedmap (its Go
// method), which the conformance suite, starting children with Wrap, does
// not reach.
func TestSpawn(t *testing.T) {
	var s strategies.Store = shardedmap.New()
	if _, ok := s.(strategies.Spawner); !ok {
		t.Fatalf("%T does not implement strategies.Spawner; want it to: strategies.Go is cheaper through it", s)
	}
	spawntest.Run(t, func() *shardedmap.Store { return shardedmap.New() })
}
