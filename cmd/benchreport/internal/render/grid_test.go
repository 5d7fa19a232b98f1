package render

import (
	"strings"
	"testing"
)

func TestTextGrid(t *testing.T) {
	for _, c := range []struct {
		name  string
		build func(g *Grid)
		want  string
	}{
		{"plain", func(g *Grid) {
			g.NewRow()
			g.Cell("a")
			g.Cell("b")
			g.NewRow()
			g.Cell("long")
			g.Cell("e")
		}, "a    b\nlong e\n"},
		{"aligned", func(g *Grid) {
			g.NewRow()
			g.Cell("a", Left)
			g.Cell("b", Center)
			g.Cell("c", Right)
			g.NewRow()
			g.Cell("xxx")
			g.Cell("xxx")
			g.Cell("xxx")
		}, "a    b    c\nxxx xxx xxx\n"},
		{"margins", func(g *Grid) {
			g.NewRow()
			g.Cell("a")
			g.Cell("b", Margin(" │ "))
			g.NewRow()
			g.Cell("c")
			g.Cell("d")
		}, "a │ b\nc   d\n"},
		{"skipped column, no trailing blanks", func(g *Grid) {
			g.NewRow()
			g.Cell("a")
			g.At(2)
			g.Cell("c")
			g.NewRow()
			g.Cell("d")
			g.Cell("e")
			g.Cell("")
		}, "a   c\nd e\n"},
		{"span widens its columns evenly", func(g *Grid) {
			g.NewRow()
			g.Cell("a")
			g.Cell("b")
			g.NewRow()
			g.Span(2, "abcdefg")
		}, "a   b\nabcdefg\n"},
		{"shrink column keeps its width", func(g *Grid) {
			g.NewRow()
			g.Cell("a")
			g.Cell("b")
			g.SetShrink(1)
			g.NewRow()
			g.Span(2, "abcdefg", Right)
		}, "a     b\nabcdefg\n"},
		{"wide runes", func(g *Grid) {
			g.NewRow()
			g.Cell("µs")
			g.Cell("x", Right)
			g.NewRow()
			g.Cell("abc")
			g.Cell("yy")
		}, "µs   x\nabc yy\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var g Grid
			c.build(&g)
			var b strings.Builder
			if err := g.Write(&b); err != nil {
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
