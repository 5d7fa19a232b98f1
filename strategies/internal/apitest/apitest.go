// Package apitest holds the tests of the API built on any
// strategies.Store (the helpers of package strategies, httpscope and
// slogattr), run on all four strategies, and what they share.
//
// They live here, not beside the code, to keep their test-only
// dependencies (github.com/stretchr/testify, golang.org/x/sync) out of
// what a library user downloads: go mod tidy in a module that imports a
// package also fetches what that package's tests import, but not what the
// tests of an internal package import. The packages' own tests are
// Examples.
package apitest

import (
	"io"
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/ctxvalue"
	"github.com/localbench/localbench/strategies/gls"
	"github.com/localbench/localbench/strategies/mapid"
	"github.com/localbench/localbench/strategies/shardedmap"
)

// Strategy is one strategy: its name and a constructor.
type Strategy struct {
	Name string
	New  func() strategies.Store
}

// All returns the four strategies.
func All() []Strategy {
	return []Strategy{
		{"mapid", func() strategies.Store { return mapid.New() }},
		{"shardedmap", func() strategies.Store { return shardedmap.New() }},
		{"ctxvalue", func() strategies.Store { return ctxvalue.New() }},
		{"gls", func() strategies.Store { return gls.New() }},
	}
}

// Open makes a store of st, closed when t ends if it is an io.Closer.
func (st Strategy) Open(t testing.TB) strategies.Store {
	s := st.New()
	if c, ok := s.(io.Closer); ok {
		t.Cleanup(func() {
			if err := c.Close(); err != nil {
				t.Errorf("Close() = %v; want nil", err)
			}
		})
	}
	return s
}

// Live returns s's Live count, or 0 if s is no strategies.Counter.
func Live(s strategies.Store) int {
	if c, ok := s.(strategies.Counter); ok {
		return c.Live()
	}
	return 0
}

// Catch runs fn and returns what it panicked with, or nil.
func Catch(fn func()) (v any) {
	defer func() { v = recover() }()
	fn()
	return nil
}
