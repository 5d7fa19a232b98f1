package main

import (
	"strings"
	"testing"
)

func TestTextGrid(t *testing.T) {
	for _, c := range []struct {
		name  string
		build func(g *textGrid)
		want  string
	}{
		{"plain", func(g *textGrid) {
			g.newRow()
			g.cell("a")
			g.cell("b")
			g.newRow()
			g.cell("long")
			g.cell("e")
		}, "a    b\nlong e\n"},
		{"aligned", func(g *textGrid) {
			g.newRow()
			g.cell("a", left)
			g.cell("b", center)
			g.cell("c", right)
			g.newRow()
			g.cell("xxx")
			g.cell("xxx")
			g.cell("xxx")
		}, "a    b    c\nxxx xxx xxx\n"},
		{"margins", func(g *textGrid) {
			g.newRow()
			g.cell("a")
			g.cell("b", margin(" │ "))
			g.newRow()
			g.cell("c")
			g.cell("d")
		}, "a │ b\nc   d\n"},
		{"skipped column, no trailing blanks", func(g *textGrid) {
			g.newRow()
			g.cell("a")
			g.at(2)
			g.cell("c")
			g.newRow()
			g.cell("d")
			g.cell("e")
			g.cell("")
		}, "a   c\nd e\n"},
		{"span widens its columns evenly", func(g *textGrid) {
			g.newRow()
			g.cell("a")
			g.cell("b")
			g.newRow()
			g.span(2, "abcdefg")
		}, "a   b\nabcdefg\n"},
		{"shrink column keeps its width", func(g *textGrid) {
			g.newRow()
			g.cell("a")
			g.cell("b")
			g.setShrink(1)
			g.newRow()
			g.span(2, "abcdefg", right)
		}, "a     b\nabcdefg\n"},
		{"wide runes", func(g *textGrid) {
			g.newRow()
			g.cell("µs")
			g.cell("x", right)
			g.newRow()
			g.cell("abc")
			g.cell("yy")
		}, "µs   x\nabc yy\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var g textGrid
			c.build(&g)
			var b strings.Builder
			if err := g.write(&b); err != nil {
				t.Fatal(err)
			}
			if b.String() != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), c.want)
			}
		})
	}
}

func TestSuperscript(t *testing.T) {
	for n, want := range map[int]string{1: "¹", 9: "⁹", 10: "¹⁰", 123: "¹²³"} {
		if got := superscript(n); got != want {
			t.Errorf("superscript(%d) = %q; want %q", n, got, want)
		}
	}
}
