package render

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// A Grid lays out a table of text cells in a fixed-width font. It sizes
// columns the way benchstat's table layout does, so that the text format
// prints byte for byte what benchstat prints for the same table. The zero
// value is an empty grid.
//
// Cells are added row by row, left to right; a cell may span several
// columns, carry a left margin (" │ ") and be aligned left, center or right.
// A "shrink" column is never widened to make room for a spanning cell.
type Grid struct {
	cells  []gridCell
	ncols  int
	shrink []bool
	row    int
	col    int
}

type gridCell struct {
	row, col, span int
	text           string
	margin         string
	align          alignment
}

type alignment int

const (
	alignLeft alignment = iota
	alignCenter
	alignRight
)

// A CellOpt adjusts one cell.
type CellOpt func(*gridCell)

// Margin sets the text before a cell, such as " │ ".
func Margin(m string) CellOpt { return func(c *gridCell) { c.margin = m } }

// Alignments of a cell in its column: Left is the default.
var (
	Left   CellOpt = func(c *gridCell) { c.align = alignLeft }
	Center CellOpt = func(c *gridCell) { c.align = alignCenter }
	Right  CellOpt = func(c *gridCell) { c.align = alignRight }
)

// NewRow starts a new row. The first call starts row 0.
func (g *Grid) NewRow() {
	if len(g.cells) > 0 {
		g.row++
	}
	g.col = 0
}

// At moves to column col of the current row; it never moves left.
func (g *Grid) At(col int) {
	if col < g.col {
		panic(fmt.Sprintf("render.Grid: cannot move from column %d back to %d", g.col, col))
	}
	g.col = col
}

// Cell adds a one-column cell at the current position.
func (g *Grid) Cell(text string, opts ...CellOpt) { g.Span(1, text, opts...) }

// Span adds a cell covering n columns at the current position. Its default
// left margin is one space, except in column 0 and for empty cells.
func (g *Grid) Span(n int, text string, opts ...CellOpt) {
	c := gridCell{row: g.row, col: g.col, span: n, text: text, margin: " "}
	if g.col == 0 || text == "" {
		c.margin = ""
	}
	for _, o := range opts {
		o(&c)
	}
	g.cells = append(g.cells, c)
	g.col += n
	g.ncols = max(g.ncols, g.col)
}

// SetShrink marks column col as a shrink column.
func (g *Grid) SetShrink(col int) {
	for len(g.shrink) <= col {
		g.shrink = append(g.shrink, false)
	}
	g.shrink[col] = true
}

// Col returns the current column.
func (g *Grid) Col() int { return g.col }

func (g *Grid) isShrink(col int) bool { return col < len(g.shrink) && g.shrink[col] }

func width(s string) int { return utf8.RuneCountInString(s) }

// Write lays the grid out and writes it to w.
func (g *Grid) Write(w io.Writer) error {
	// Every column's margin is the widest margin of any cell starting in it.
	margins := make([]int, g.ncols)
	for _, c := range g.cells {
		margins[c.col] = max(margins[c.col], width(c.margin))
	}

	// Size columns, narrow cells first, so that a spanning cell only
	// widens what its columns lack. The sorts are sort.Slice on purpose:
	// the order of equal elements decides where rounding lands, and
	// sort.Slice orders them exactly as benchstat's layout does.
	widths := make([]int, g.ncols)
	bySpan := slices.Clone(g.cells)
	sort.Slice(bySpan, func(i, j int) bool { return bySpan[i].span < bySpan[j].span })
	for _, c := range bySpan {
		need := width(c.text) + margins[c.col]
		if c.span == 1 {
			widths[c.col] = max(widths[c.col], need)
			continue
		}
		g.widen(widths, c.col, c.span, need)
	}

	// offsets[i] is where column i's margin starts; offsets[ncols] is the
	// table's width.
	offsets := make([]int, g.ncols+1)
	for i, w := range widths {
		offsets[i+1] = offsets[i] + w
	}

	byPos := bySpan
	sort.Slice(byPos, func(i, j int) bool {
		if byPos[i].row != byPos[j].row {
			return byPos[i].row < byPos[j].row
		}
		return byPos[i].col < byPos[j].col
	})
	var b strings.Builder
	row, pos := 0, 0
	for _, c := range byPos {
		if strings.TrimSpace(c.text) == "" && strings.TrimSpace(c.margin) == "" {
			continue // nothing visible: no trailing blanks
		}
		for ; row < c.row; row++ {
			b.WriteByte('\n')
			pos = 0
		}
		pad := offsets[c.col] - pos
		fmt.Fprintf(&b, "%*s%*s", pad, "", margins[c.col], c.margin)
		pos += pad + margins[c.col]
		inner := offsets[c.col+c.span] - offsets[c.col] - margins[c.col]
		s := c.align.pad(c.text, inner)
		b.WriteString(s)
		pos += width(s)
	}
	if len(g.cells) > 0 {
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// widen grows the non-shrink columns col..col+span-1 so that together
// they are at least need wide, spreading the growth evenly and never
// narrowing a column that is already wider than the even share.
func (g *Grid) widen(widths []int, col, span, need int) {
	have := 0
	for i := col; i < col+span; i++ {
		have += widths[i]
	}
	if have >= need {
		return
	}
	var grow []int
	for i := col; i < col+span; i++ {
		if g.isShrink(i) {
			need -= widths[i]
		} else {
			grow = append(grow, i)
		}
	}
	// Widest first: a column already over the share gives its excess
	// to the narrower ones.
	sort.Slice(grow, func(i, j int) bool { return widths[grow[i]] > widths[grow[j]] })
	left := len(grow)
	for _, i := range grow {
		share := (need + left - 1) / left
		widths[i] = max(widths[i], share)
		need -= widths[i]
		left--
	}
}

// pad places s in a field w runes wide. Left-aligned text is not padded on
// the right: the next cell's offset does that.
func (a alignment) pad(s string, w int) string {
	switch a {
	case alignCenter:
		return fmt.Sprintf("%*s%s", (w-width(s))/2, "", s)
	case alignRight:
		return fmt.Sprintf("%*s", w, s)
	}
	return s
}
