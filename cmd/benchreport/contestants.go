package main

import (
	"io"
	"strings"

	"github.com/localbench/localbench/cmd/benchreport/internal/render"
	"github.com/localbench/localbench/results"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/ctxvalue"
	"github.com/localbench/localbench/strategies/gls"
	"github.com/localbench/localbench/strategies/mapid"
	"github.com/localbench/localbench/strategies/shardedmap"
)

// The candidates of choose are the stores of results/conformance.json:
// localbench's strategies and the peers behind Store adapters, with the
// traits their Info reports and the outcome of every conformance case, as
// a test in the peers module found them (benchreport cannot import the
// peers, which live in a module of their own; the test fails when the
// record drifts).

// ourStrategies returns the names of localbench's own strategies, from
// their Info; every other store in the record is a peer.
func ourStrategies() map[string]bool {
	names := make(map[string]bool)
	for _, newStore := range []func() strategies.Store{
		func() strategies.Store { return mapid.New() },
		func() strategies.Store { return shardedmap.New() },
		func() strategies.Store { return ctxvalue.New() },
		func() strategies.Store { return gls.New() },
	} {
		s := newStore()
		names[s.Info().Name] = true
		if c, ok := s.(io.Closer); ok {
			c.Close()
		}
	}
	return names
}

// caveats are what else a user must know of a store, beyond its traits.
var caveats = map[string]string{
	"mapid":      "one mutex guards every goroutine's entry, so goroutines contend under parallel load; goroutine ids come from github.com/petermattis/goid",
	"shardedmap": "goroutine ids come from github.com/petermattis/goid, which reads runtime internals",
	"gls":        "its cost grows with stack depth; it walks the stack to find its scope (github.com/jtolds/gls)",
	"routine":    "a third-party library (github.com/timandy/routine) that reaches into the runtime's goroutine struct; a Go release can break it",
	"syncmap":    "the sync.Map keyed by goroutine id (github.com/petermattis/goid) that many programs write for themselves; peers/syncmapstore is the comparison's copy",
}

// references are measured for context but are not candidates: floors (the
// least a program could pay) and a peer called without its adapter.
var references = map[string]string{
	"param":      "floor: a plain function parameter",
	"goid":       "floor: goid.Get alone",
	"minimal":    "floor: the least an id-keyed store can do (goid.Get, one atomic load, one probe)",
	"withvalue":  "floor: a raw context.WithValue chain",
	"mutexmap":   "floor: a raw mutex-guarded map",
	"rawgls":     "floor: raw github.com/jtolds/gls",
	"rawroutine": "floor: github.com/timandy/routine called directly, without the Store adapter",
}

// contestantKinds returns a func that sorts a column label into its
// family, for the summary and the HTML page: a floor, one of localbench's
// strategies, a peer (a store of the conformance record that is not
// ours), or other.
func contestantKinds() func(col string) render.Kind {
	ours := ourStrategies()
	peers := make(map[string]bool)
	if rec, err := results.LoadConformance(); err == nil {
		for _, c := range rec.Contestants {
			if !ours[c.Name] {
				peers[c.Name] = true
			}
		}
	}
	return func(col string) render.Kind {
		switch {
		case references[col] != "":
			return render.Floor
		case ours[col]:
			return render.Strategy
		case peers[col]:
			return render.Peer
		}
		return render.Other
	}
}

// needCase says which need, if any, a conformance case is about. A case not
// named here is part of what every candidate must do (isolation, scopes,
// missing vs nil, …).
func needCase(name string) (flag string, ok bool) {
	switch {
	case strings.HasPrefix(name, "go-"), strings.HasPrefix(name, "wrap-"):
		return "-inherit", true // Go and Wrap hand values to other goroutines
	case name == "leaks":
		return "-no-leak", true
	case name == "no-scope":
		return "-unscoped", true
	case name == "implicit":
		return "-implicit", true
	}
	return "", false
}
