package render

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"golang.org/x/perf/benchunit"

	"github.com/localbench/localbench/cmd/benchreport/internal/benchtab"
)

// HTML writes one self-contained page: inline CSS, inline SVG charts,
// no script, no reference to anything outside it. For each workload it has
// a bar chart per charted unit, a line chart per sweep (ns/op against
// depth, bindings, parallelism, live goroutines: whatever numeric key the
// rows vary by; log scales where the range needs them), and a table per
// unit with the same figures as the text format.
func HTML(w, _ io.Writer, r *benchtab.Report, o Options) error {
	page := htmlPage{Font: template.CSS(fontFamily), Title: "benchreport", Legend: legend(r, o)}
	if len(o.Inputs) > 0 {
		page.Title = "benchreport: " + strings.Join(o.Inputs, ", ")
	}
	pal := newPalette(r.ColLabels(), o.kind)
	colKeys := colKeyNames(r)
	var sec *htmlSection
	var err error
	for _, s := range sections(r) {
		t := s.t
		title := s.title()
		var config []string
		for _, p := range s.config() {
			config = append(config, p.String())
		}
		if sec == nil || len(title) > 0 || len(config) > 0 {
			page.Sections = append(page.Sections, htmlSection{
				ID:     fmt.Sprintf("t%d", len(page.Sections)+1),
				Title:  strings.Join(title, " "),
				Config: strings.Join(config, " · "),
			})
			sec = &page.Sections[len(page.Sections)-1]
		}
		if charted(t) {
			var bar chart
			var ok bool
			if bar, ok, err = barChart(t, pal); err != nil {
				return err
			}
			if ok {
				sec.Charts = append(sec.Charts, htmlChart{bar.title, template.HTML(bar.svg)})
			}
			var sweeps []chart
			if sweeps, err = sweepCharts(t, colKeys, pal); err != nil {
				return err
			}
			for _, c := range sweeps {
				sec.Charts = append(sec.Charts, htmlChart{c.title, template.HTML(c.svg)})
			}
		}
		sec.Tables = append(sec.Tables, htmlTableOf(t, o.Benchstat, pal))
	}
	for i := range page.Sections {
		if page.Sections[i].Title == "" {
			page.Sections[i].Title = page.Sections[i].Config
		}
	}
	var b strings.Builder
	if err := htmlTemplate.Execute(&b, page); err != nil {
		return err
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// colKeyNames returns the name keys the columns are projected by
// ("strategy" for /strategy), which a sweep must not use as its x axis.
func colKeyNames(r *benchtab.Report) map[string]bool {
	keys := make(map[string]bool)
	for _, t := range r.Tables {
		for _, f := range t.Cols[0].Projection().FlattenedFields() {
			if k, ok := strings.CutPrefix(f.Name, "/"); ok {
				keys[k] = true
			}
		}
	}
	return keys
}

type htmlPage struct {
	Font     template.CSS
	Title    string
	Legend   string
	Sections []htmlSection
}

type htmlSection struct {
	ID, Title, Config string
	Charts            []htmlChart
	Tables            []htmlTable
}

type htmlChart struct {
	Title string
	SVG   template.HTML
}

type htmlTable struct {
	Unit  string
	Cols  []htmlCol
	Rows  []htmlRow
	Notes []string
}

type htmlCol struct {
	Label, Kind string
	Swatch      template.CSS // the column's colour in the charts
}

type htmlRow struct {
	Label string
	Cells []htmlCell
}

type htmlCell struct {
	Center string
	Delta  string // the comparison in short: the ratio, or "~"
	Title  string // the comparison in full, shown on hover
	Note   string
	Base   bool
}

func htmlTableOf(t *benchtab.Table, exact bool, pal palette) htmlTable {
	h := htmlTable{Unit: t.Unit}
	for _, c := range t.Cols {
		l := benchtab.ColLabel(c)
		col := pal.style(l).color
		h.Cols = append(h.Cols, htmlCol{
			Label:  l,
			Kind:   pal.kind(l).String(),
			Swatch: template.CSS(fmt.Sprintf("background:#%02x%02x%02x", col.R, col.G, col.B)),
		})
	}
	var notes footnotes
	class := benchunit.ClassOf(t.Unit)
	for _, row := range t.Rows {
		hr := htmlRow{Label: t.RowLabel(row)}
		for i, col := range t.Cols {
			c, ok := t.Cell(row, col)
			if !ok {
				hr.Cells = append(hr.Cells, htmlCell{})
				continue
			}
			hc := htmlCell{
				Center: cellCenter(t, c),
				Base:   i == 0,
			}
			errs := [][]error{c.Sample.Warnings, c.Summary.Warnings}
			if i > 0 && c.Baseline != nil {
				d := c.Comparison.FormatDelta(c.Baseline.Summary.Center, c.Summary.Center)
				hc.Title = d + " (" + c.Comparison.String() + ")"
				if exact {
					hc.Delta = d
				} else {
					hc.Delta = cellRatio(c)
					hc.Title = Ratio(c.Ratio()) + ", " + hc.Title
				}
				errs = append(errs, c.Comparison.Warnings)
			}
			hc.Note = notes.marks(errs...)
			hr.Cells = append(hr.Cells, hc)
		}
		h.Rows = append(h.Rows, hr)
	}
	if len(t.Rows) > 1 {
		hr := htmlRow{Label: "geomean"}
		for i, col := range t.Cols {
			s := t.Summary[col]
			var hc htmlCell
			if s.HasCenter {
				hc.Center = benchunit.Scale(s.Center, class)
			}
			if i > 0 {
				if s.HasRatio {
					hc.Delta = fmt.Sprintf("%+.2f%%", (s.Ratio-1)*100)
					hc.Title = hc.Delta
					if !exact {
						hc.Delta = Ratio(s.Ratio, true)
					}
				} else {
					hc.Delta = "?"
				}
			}
			hc.Note = notes.marks(s.Warnings)
			hr.Cells = append(hr.Cells, hc)
		}
		h.Rows = append(h.Rows, hr)
	}
	for i, n := range notes.list {
		h.Notes = append(h.Notes, superscript(i+1)+" "+n)
	}
	return h
}

var htmlTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: {{.Font}}; margin: 1em 1.5em; color: #222; }
h1 { font-size: 1.4em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
nav a { margin-right: 0.8em; }
.config { color: #555; font-size: 0.9em; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
figure { margin: 0; }
figure svg { max-width: 100%; height: auto; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.8em; font-variant-numeric: tabular-nums; }
th, td { padding: 0.2em 0.45em; border-bottom: 1px solid #eee; text-align: right; vertical-align: top; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th .sw { display: inline-block; width: 0.7em; height: 0.7em; margin-right: 0.3em; border-radius: 2px; }
td.base { background: #f6f6f6; }
.delta { display: block; color: #666; font-size: 0.9em; }
.notes { font-size: 0.85em; color: #555; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<nav>{{range .Sections}}<a href="#{{.ID}}">{{.Title}}</a> {{end}}</nav>
{{range .Sections}}
<section id="{{.ID}}">
<h2>{{.Title}}</h2>
{{if .Config}}<p class="config">{{.Config}}</p>{{end}}
{{if .Charts}}<div class="charts">
{{range .Charts}}<figure aria-label="{{.Title}}">
{{.SVG}}</figure>
{{end}}</div>{{end}}
{{range .Tables}}<div class="scroll"><table>
<thead><tr><th>{{.Unit}}</th>{{range .Cols}}<th title="{{.Kind}}"><span class="sw" style="{{.Swatch}}"></span>{{.Label}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr><td>{{.Label}}</td>{{range .Cells}}<td{{if .Base}} class="base"{{end}}{{if .Title}} title="{{.Title}}"{{end}}>{{.Center}}{{if .Note}} {{.Note}}{{end}}{{if .Delta}}<span class="delta">{{.Delta}}</span>{{end}}</td>{{end}}</tr>
{{end}}</tbody>
</table></div>
{{range .Notes}}<p class="notes">{{.}}</p>
{{end}}{{end}}
</section>
{{end}}
<p class="notes">{{.Legend}}</p>
</body>
</html>
`))

// cellCenter formats a cell's center in its own scale (16.92n, 2.307µ),
// which keeps the columns narrow, and its range, which an exact unit does
// not have.
func cellCenter(t *benchtab.Table, c *benchtab.Cell) string {
	s := benchunit.Scale(c.Summary.Center, benchunit.ClassOf(t.Unit))
	if t.Exact() {
		return s
	}
	return s + " ± " + c.Summary.PctRangeString()
}
