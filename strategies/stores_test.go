package strategies_test

import (
	"io"
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/ctxvalue"
	"github.com/localbench/localbench/strategies/gls"
	"github.com/localbench/localbench/strategies/mapid"
	"github.com/localbench/localbench/strategies/shardedmap"
)

// storeCase is one strategy for the tests of the helpers, which must work
// the same on all four.
type storeCase struct {
	name string
	new  func() strategies.Store
}

func stores() []storeCase {
	return []storeCase{
		{"mapid", func() strategies.Store { return mapid.New() }},
		{"shardedmap", func() strategies.Store { return shardedmap.New() }},
		{"ctxvalue", func() strategies.Store { return ctxvalue.New() }},
		{"gls", func() strategies.Store { return gls.New() }},
	}
}

// newStore makes tc's store and closes it when t ends.
func (tc storeCase) newStore(t *testing.T) strategies.Store {
	s := tc.new()
	if c, ok := s.(io.Closer); ok {
		t.Cleanup(func() { c.Close() })
	}
	return s
}

// live returns s's Live count, or 0 if s is no Counter.
func live(s strategies.Store) int {
	if c, ok := s.(strategies.Counter); ok {
		return c.Live()
	}
	return 0
}
