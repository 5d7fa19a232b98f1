package main

import (
	"io"

	"github.com/localbench/localbench/cmd/benchreport/internal/render"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/ctxvalue"
	"github.com/localbench/localbench/strategies/gls"
	"github.com/localbench/localbench/strategies/mapid"
	"github.com/localbench/localbench/strategies/shardedmap"
)

// traits are what choose filters candidates by.
type traits struct {
	name       string
	implicit   bool   // Get finds a binding from any ctx on the goroutine that made it
	needsScope bool   // Set and Delete are valid only inside Scope, Wrap or Go
	leaks      bool   // a plain go statement that Sets and exits leaves its entry behind
	sweeps     bool   // the store can drop entries of exited goroutines (Sweep)
	inherit    bool   // Wrap/Go hand a copy of the bindings to another goroutine
	caveat     string // what else a user must know
}

// ourTraits returns the traits of localbench's strategies, from their own
// Info, which harness's conformance suite checks against what each store
// does. Every Store has Wrap, and strategies.Go on top of it, so each can
// hand its bindings to another goroutine.
func ourTraits() []traits {
	news := []func() strategies.Store{
		func() strategies.Store { return mapid.New() },
		func() strategies.Store { return shardedmap.New() },
		func() strategies.Store { return ctxvalue.New() },
		func() strategies.Store { return gls.New() },
	}
	caveats := map[string]string{
		"mapid":      "one mutex guards every goroutine's entry, so goroutines contend under parallel load; goroutine ids come from github.com/petermattis/goid",
		"shardedmap": "goroutine ids come from github.com/petermattis/goid, which reads runtime internals",
		"gls":        "its cost grows with stack depth; it walks the stack to find its scope (github.com/jtolds/gls)",
	}
	var out []traits
	for _, newStore := range news {
		s := newStore()
		info := s.Info()
		_, sweeps := s.(interface{ Sweep() int })
		if c, ok := s.(io.Closer); ok {
			c.Close()
		}
		out = append(out, traits{
			name:       info.Name,
			implicit:   info.Implicit,
			needsScope: info.NeedsScope,
			leaks:      info.Leaks,
			sweeps:     sweeps,
			inherit:    true,
			caveat:     caveats[info.Name],
		})
	}
	return out
}

// peerTraits are the peers' traits. Their Store adapters report them in
// Info too, but choose cannot ask: the peers live in a module of their own
// (peers/) so that localbench's users never download them. Keep this
// table in step with routinestore.Store.Info and syncmapstore.Store.Info
// in peers/.
//
//   - routine is github.com/timandy/routine behind a Store adapter: its
//     values live in the goroutine's own storage and go with it.
//   - syncmap is a sync.Map keyed by goroutine id, the store many programs
//     write for themselves: like mapid, an entry stays behind a goroutine
//     started with a plain go statement that Sets and exits without
//     Release.
//
// Both are Stores, so both hand copies of their values to goroutines
// started with Go or Wrap.
var peerTraits = []traits{
	{
		name: "routine", implicit: true, inherit: true,
		caveat: "a third-party library (github.com/timandy/routine) that reaches into the runtime's goroutine struct; a Go release can break it",
	},
	{
		name: "syncmap", implicit: true, leaks: true, inherit: true,
		caveat: "the sync.Map keyed by goroutine id (github.com/petermattis/goid) that many programs write for themselves; peers/syncmapstore is the comparison's copy",
	},
}

// references are measured for context but are not candidates: floors (the
// least a program could pay) and a peer called without its adapter.
var references = map[string]string{
	"param":      "floor: a plain function parameter",
	"goid":       "floor: goid.Get alone",
	"withvalue":  "floor: a raw context.WithValue chain",
	"mutexmap":   "floor: a raw mutex-guarded map",
	"rawgls":     "floor: raw github.com/jtolds/gls",
	"rawroutine": "reference: github.com/timandy/routine called directly",
}

// kindOf sorts a column label into its family, for the HTML page.
func kindOf(col string) render.Kind {
	if _, ok := references[col]; ok {
		return render.Floor
	}
	for _, t := range peerTraits {
		if t.name == col {
			return render.Peer
		}
	}
	for _, t := range ourTraits() {
		if t.name == col {
			return render.Strategy
		}
	}
	return render.Other
}
