package main

import (
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// ignoreMerges reports whether ignoring the configuration key would put
// results that differ in it, and in nothing else, into one cell, and
// returns one such benchmark as an example. The suite's files never do
// (each benchmark runs under one workload: line); other files with a
// workload: key of their own may.
func ignoreMerges(results []*benchfmt.Result, key string) (example string, merges bool) {
	seen := make(map[string]string)
	for _, res := range results {
		var id strings.Builder
		id.WriteString(string(res.Name))
		v := ""
		for _, c := range res.Config {
			if c.Key == key {
				v = string(c.Value)
				continue
			}
			id.WriteString("\x00" + c.Key + "\x00" + string(c.Value))
		}
		if prev, ok := seen[id.String()]; !ok {
			seen[id.String()] = v
		} else if prev != v {
			return string(res.Name) + " with " + key + ": " + prev + " and " + key + ": " + v, true
		}
	}
	return "", false
}

// fileKeys returns the file configuration keys that keep the files apart
// when the columns are by file: keys whose value is the same throughout
// each file but differs between files (commit:, a date, the Go version).
// With them in the table key, every table would have one column and
// nothing would be compared. It returns nil unless col projects .file and
// there are several files.
func fileKeys(d *dataset, col string) []string {
	if !strings.Contains(col, ".file") || len(d.inputs) < 2 {
		return nil
	}
	type file struct {
		vals map[string]map[string]bool
		n    int
	}
	var order []string
	files := make(map[string]*file)
	var labels []string
	for _, res := range d.results {
		label := fileLabel(res)
		f := files[label]
		if f == nil {
			f = &file{vals: make(map[string]map[string]bool)}
			files[label] = f
			labels = append(labels, label)
		}
		f.n++
		for _, c := range res.Config {
			if !c.File { // only file configuration, not .file and other internal keys
				continue
			}
			if f.vals[c.Key] == nil {
				f.vals[c.Key] = make(map[string]bool)
				if !slices.Contains(order, c.Key) {
					order = append(order, c.Key)
				}
			}
			f.vals[c.Key][string(c.Value)] = true
		}
	}
	if len(labels) < 2 {
		return nil
	}
	var keys []string
	for _, k := range order {
		if k == defaultIgnore {
			continue
		}
		var first string
		differs, constant := false, true
		for i, l := range labels {
			vals := files[l].vals[k]
			if len(vals) > 1 {
				constant = false
				break
			}
			v := ""
			for x := range vals {
				v = x
			}
			if i == 0 {
				first = v
			} else if v != first {
				differs = true
			}
		}
		if constant && differs {
			keys = append(keys, k)
		}
	}
	return keys
}

// fileLabel returns the .file label of a result.
func fileLabel(res *benchfmt.Result) string {
	if i, ok := res.ConfigIndex(".file"); ok {
		return string(res.Config[i].Value)
	}
	return ""
}
