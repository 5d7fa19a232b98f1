// Package benchgen writes the per-contestant copies of localbench's
// workload bodies: the code behind cmd benchgen and the tests that check
// the copies are up to date.
//
// A workload body is a generic function in package harness whose type
// parameters are exactly [C, K any, R constraint[C, K]]: R the contestant
// type, C its carrier and K its key type. Bodies marked in their doc comment
// with
//
//	//benchgen:workload NAME
//	//benchgen:setup NAME
//
// are a workload's loop (a body may be the loop of several workloads) and
// its setup; other bodies are helpers they call.
// For each contestant type T named in Config.Types, Generate copies every
// marked body whose constraint T's methods satisfy, and every helper body
// those copies call, renamed (benchGet for paramFloor becomes
// benchGetParamFloor), with the type parameter list dropped and C, K and R
// replaced by T's types: R by T's receiver type, C and K by the types of the
// two parameters of T's Get method. It then writes a method Bodies for T
// that returns the copies by workload name. The copies call T's methods
// statically, so the compiler inlines the small ones: a figure measured
// through a copy is the contestant's own.
//
// Everything is syntactic (go/ast, no type checking): T's methods are found
// by name in the target package's files, the constraint's by name in
// package harness's interfaces, and within a body every identifier C, K or
// R (other than a field or method name after a dot) is taken for the type
// parameter, so a body must not use those names for anything else. The
// compiler checks the rest when it builds the copies.
package benchgen

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Config says what to generate.
type Config struct {
	// SrcDir is the directory of package harness, which holds the bodies.
	SrcDir string
	// Dir is the directory of the package the copies go into, which
	// declares the contestant types; it may be SrcDir.
	Dir string
	// Types are the contestant types to copy the bodies for, as declared
	// in Dir.
	Types []string
	// Output is the file name (in Dir) of the generated file; Generate
	// ignores it when it parses Dir.
	Output string
}

// harnessImport is package harness's import path, used to name harness.Body
// from another package.
const harnessImport = "github.com/localbench/localbench/harness"

// typeParams are a body's type parameters, in order. A body must not use
// these names for anything else.
var typeParams = []string{"C", "K", "R"}

// body is one generic body of package harness.
type body struct {
	decl       *ast.FuncDecl
	file       *parsedFile
	constraint string   // name of R's constraint interface
	workloads  []string // from //benchgen:workload lines
	setup      string   // from //benchgen:setup, or ""
}

type parsedFile struct {
	name string
	src  []byte
	ast  *ast.File
}

// contestant is one type in Config.Types.
type contestant struct {
	name    string
	recv    string // receiver type as written: "paramFloor" or "*mutexMapFloor"
	c, k    string // Get's parameter types as written
	methods map[string]bool
	imports map[string]string // packages c, k and recv name: local name -> path
}

// ParseArgs parses cmd benchgen's arguments, "[-src DIR] [-o FILE] TYPE...",
// into a Config for the package in dir.
func ParseArgs(dir string, args []string) (Config, error) {
	fs := flag.NewFlagSet("benchgen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	src := fs.String("src", ".", "directory of package harness")
	out := fs.String("o", "bench_gen.go", "output file")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() == 0 {
		return Config{}, errors.New("no contestant types given")
	}
	srcDir := *src
	if !filepath.IsAbs(srcDir) {
		srcDir = filepath.Join(dir, srcDir)
	}
	return Config{SrcDir: srcDir, Dir: dir, Types: fs.Args(), Output: *out}, nil
}

// Check regenerates the file that the package in dir makes with cmd
// benchgen (found by its //go:generate line) and returns an error if the
// file on disk differs: the copies must never drift from the bodies.
func Check(dir string) error {
	cfg, err := directive(dir)
	if err != nil {
		return err
	}
	want, err := Generate(cfg)
	if err != nil {
		return err
	}
	got, err := os.ReadFile(filepath.Join(dir, cfg.Output))
	if err != nil {
		return fmt.Errorf("benchgen: %w", err)
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("benchgen: %s is out of date with package harness's bodies or its types' methods; run go generate in %s", cfg.Output, dir)
	}
	return nil
}

// directive returns the Config of the //go:generate line in dir's Go files
// that runs cmd benchgen.
func directive(dir string) (Config, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Config{}, fmt.Errorf("benchgen: %w", err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return Config{}, fmt.Errorf("benchgen: %w", err)
		}
		for line := range strings.Lines(string(src)) {
			fields := strings.Fields(line)
			if len(fields) < 4 || fields[0] != "//go:generate" || fields[1] != "go" || fields[2] != "run" ||
				!strings.HasSuffix(fields[3], "/benchgen") {
				continue
			}
			return ParseArgs(dir, fields[4:])
		}
	}
	return Config{}, fmt.Errorf("benchgen: no //go:generate line running benchgen in %s", dir)
}

// Generate returns the generated file for cfg, formatted.
func Generate(cfg Config) ([]byte, error) {
	fset := token.NewFileSet()
	src, err := parseDir(fset, cfg.SrcDir, cfg.Output)
	if err != nil {
		return nil, err
	}
	bodies, ifaces, err := findBodies(src)
	if err != nil {
		return nil, err
	}
	dst := src
	samePkg := sameDir(cfg.SrcDir, cfg.Dir)
	if !samePkg {
		if dst, err = parseDir(fset, cfg.Dir, cfg.Output); err != nil {
			return nil, err
		}
	}
	if len(dst) == 0 {
		return nil, fmt.Errorf("benchgen: no Go files in %s", cfg.Dir)
	}
	var out bytes.Buffer
	imports := map[string]string{"testing": "testing"} // local name -> path
	for _, name := range cfg.Types {
		c, err := findContestant(dst, name)
		if err != nil {
			return nil, err
		}
		if err := writeContestant(&out, c, bodies, ifaces, samePkg, imports); err != nil {
			return nil, err
		}
	}
	if !samePkg {
		imports["harness"] = harnessImport
	}
	var file bytes.Buffer
	fmt.Fprintf(&file, "// Code generated by benchgen from package harness's workload bodies; DO NOT EDIT.\n\n")
	fmt.Fprintf(&file, "package %s\n\nimport (\n", dst[0].ast.Name.Name)
	names := make([]string, 0, len(imports))
	for n := range imports {
		names = append(names, n)
	}
	// Standard library first, then the rest, as goimports groups them.
	std := func(p string) bool { return !strings.Contains(strings.SplitN(p, "/", 2)[0], ".") }
	sort.Slice(names, func(i, j int) bool {
		pi, pj := imports[names[i]], imports[names[j]]
		if std(pi) != std(pj) {
			return std(pi)
		}
		return pi < pj
	})
	for i, n := range names {
		if i > 0 && std(imports[names[i-1]]) && !std(imports[n]) {
			file.WriteString("\n")
		}
		if p := imports[n]; n == filepath.Base(p) {
			fmt.Fprintf(&file, "\t%q\n", p)
		} else {
			fmt.Fprintf(&file, "\t%s %q\n", n, p)
		}
	}
	file.WriteString(")\n")
	file.Write(out.Bytes())
	formatted, err := format.Source(file.Bytes())
	if err != nil {
		return nil, fmt.Errorf("benchgen: generated code does not parse: %w", err)
	}
	return formatted, nil
}

func sameDir(a, b string) bool {
	a, errA := filepath.Abs(a)
	b, errB := filepath.Abs(b)
	return errA == nil && errB == nil && a == b
}

// parseDir parses the non-test Go files of dir, except skip.
func parseDir(fset *token.FileSet, dir, skip string) ([]*parsedFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("benchgen: %w", err)
	}
	var files []*parsedFile
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || n == skip {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return nil, fmt.Errorf("benchgen: %w", err)
		}
		f, err := parser.ParseFile(fset, n, src, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("benchgen: %w", err)
		}
		files = append(files, &parsedFile{name: n, src: src, ast: f})
	}
	return files, nil
}

// findBodies returns package harness's bodies by name, and the method names
// of its interfaces (with embedded interfaces' methods included) by name.
func findBodies(files []*parsedFile) (map[string]*body, map[string]map[string]bool, error) {
	bodies := make(map[string]*body)
	embeds := make(map[string][]string)
	ifaces := make(map[string]map[string]bool)
	for _, f := range files {
		for _, d := range f.ast.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				b, err := asBody(d, f)
				if err != nil {
					return nil, nil, err
				}
				if b != nil {
					bodies[d.Name.Name] = b
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					ts, ok := s.(*ast.TypeSpec)
					if !ok {
						continue
					}
					it, ok := ts.Type.(*ast.InterfaceType)
					if !ok {
						continue
					}
					ms := make(map[string]bool)
					for _, m := range it.Methods.List {
						if len(m.Names) == 0 {
							embeds[ts.Name.Name] = append(embeds[ts.Name.Name], baseName(m.Type))
						}
						for _, n := range m.Names {
							ms[n.Name] = true
						}
					}
					ifaces[ts.Name.Name] = ms
				}
			}
		}
	}
	var all func(name string, depth int) map[string]bool
	all = func(name string, depth int) map[string]bool {
		ms := make(map[string]bool)
		if depth > 10 {
			return ms
		}
		for m := range ifaces[name] {
			ms[m] = true
		}
		for _, e := range embeds[name] {
			for m := range all(e, depth+1) {
				ms[m] = true
			}
		}
		return ms
	}
	full := make(map[string]map[string]bool)
	for name := range ifaces {
		full[name] = all(name, 0)
	}
	for name, b := range bodies {
		if _, ok := full[b.constraint]; !ok {
			return nil, nil, fmt.Errorf("benchgen: body %s: constraint %s is not an interface of package harness", name, b.constraint)
		}
	}
	return bodies, full, nil
}

// asBody returns d as a body, or nil if its type parameters are not
// [C, K any, R X[C, K]].
func asBody(d *ast.FuncDecl, f *parsedFile) (*body, error) {
	tp := d.Type.TypeParams
	if d.Recv != nil || tp == nil {
		return nil, nil
	}
	var names []*ast.Ident
	for _, field := range tp.List {
		names = append(names, field.Names...)
	}
	if len(names) != len(typeParams) {
		return nil, nil
	}
	for i, n := range names {
		if n.Name != typeParams[i] {
			return nil, nil
		}
	}
	last := tp.List[len(tp.List)-1]
	b := &body{
		decl:       d,
		file:       f,
		constraint: baseName(last.Type),
	}
	if d.Doc != nil {
		for _, c := range d.Doc.List {
			if v, ok := strings.CutPrefix(c.Text, "//benchgen:workload "); ok {
				b.workloads = append(b.workloads, strings.TrimSpace(v))
			}
			if v, ok := strings.CutPrefix(c.Text, "//benchgen:setup "); ok {
				b.setup = strings.TrimSpace(v)
			}
		}
	}
	return b, nil
}

// baseName returns the name of a (possibly instantiated or pointer) type
// expression: "readOps" for readOps[C, K].
func baseName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.StarExpr:
		return baseName(e.X)
	case *ast.IndexExpr:
		return baseName(e.X)
	case *ast.IndexListExpr:
		return baseName(e.X)
	}
	return ""
}

// findContestant finds type name's methods, receiver and Get's parameter
// types in files.
func findContestant(files []*parsedFile, name string) (*contestant, error) {
	c := &contestant{name: name, methods: make(map[string]bool)}
	for _, f := range files {
		for _, d := range f.ast.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 {
				continue
			}
			rt := fd.Recv.List[0].Type
			if baseName(rt) != name {
				continue
			}
			c.methods[fd.Name.Name] = true
			if fd.Name.Name != "Get" {
				continue
			}
			c.recv = text(f, rt)
			var params []string
			for _, p := range fd.Type.Params.List {
				for range max(len(p.Names), 1) {
					params = append(params, text(f, p.Type))
				}
			}
			if len(params) != 2 {
				return nil, fmt.Errorf("benchgen: %s.Get has %d parameters; want 2 (carrier, key)", name, len(params))
			}
			c.c, c.k = params[0], params[1]
			c.imports = usedImports(f, fd.Type.Params, rt)
		}
	}
	if c.recv == "" {
		return nil, fmt.Errorf("benchgen: type %s has no method Get", name)
	}
	return c, nil
}

// usedImports returns the imports of f that nodes name. (A local name that
// shadows an import would be taken for it; the compiler reports the unused
// import that results.)
func usedImports(f *parsedFile, nodes ...ast.Node) map[string]string {
	byName := fileImports(f)
	used := make(map[string]string)
	for _, n := range nodes {
		ast.Inspect(n, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && byName[id.Name] != "" {
					used[id.Name] = byName[id.Name]
				}
			}
			return true
		})
	}
	return used
}

// fileImports returns f's imports by local name.
func fileImports(f *parsedFile) map[string]string {
	m := make(map[string]string)
	for _, is := range f.ast.Imports {
		p, _ := strconv.Unquote(is.Path.Value)
		n := filepath.Base(p)
		if is.Name != nil {
			n = is.Name.Name
		}
		m[n] = p
	}
	return m
}

// text returns the source text of node n in f.
func text(f *parsedFile, n ast.Node) string {
	base := f.ast.FileStart
	return string(f.src[n.Pos()-base : n.End()-base])
}

// satisfies reports whether c has every method of constraint.
func (c *contestant) satisfies(constraint map[string]bool) bool {
	for m := range constraint {
		if !c.methods[m] {
			return false
		}
	}
	return true
}

// copyName is the name of body's copy for c.
func copyName(body string, c *contestant) string {
	r, size := utf8.DecodeRuneInString(c.name)
	return body + string(unicode.ToUpper(r)) + c.name[size:]
}

// writeContestant writes c's copies of the bodies it can run and its Bodies
// method to out, and adds the imports they use to imports.
func writeContestant(out *bytes.Buffer, c *contestant, bodies map[string]*body, ifaces map[string]map[string]bool, samePkg bool, imports map[string]string) error {
	for n, p := range c.imports {
		imports[n] = p
	}
	// The marked bodies c can run, then every body they call.
	var roots []string
	for name, b := range bodies {
		if (len(b.workloads) > 0 || b.setup != "") && c.satisfies(ifaces[b.constraint]) {
			roots = append(roots, name)
		}
	}
	sort.Strings(roots)
	done := make(map[string]bool)
	queue := slices.Clone(roots)
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if done[name] {
			continue
		}
		done[name] = true
		b := bodies[name]
		if !c.satisfies(ifaces[b.constraint]) {
			return fmt.Errorf("benchgen: %s cannot run body %s (constraint %s), which a body it can run calls", c.name, name, b.constraint)
		}
		code, calls, err := specialize(b, c, bodies, imports)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\n// %s is %s for %s.\n", copyName(name, c), name, c.name)
		if b.decl.Doc != nil {
			// Compiler directives (//go:noinline) go with the copy.
			for _, line := range b.decl.Doc.List {
				if strings.HasPrefix(line.Text, "//go:") {
					fmt.Fprintf(out, "//\n%s\n", line.Text)
				}
			}
		}
		fmt.Fprintf(out, "%s\n", code)
		queue = append(queue, calls...)
	}
	bodyType := "harness.Body"
	if samePkg {
		bodyType = "Body"
	}
	type entry struct{ run, setup string }
	entries := make(map[string]*entry)
	entryOf := func(w string) *entry {
		if entries[w] == nil {
			entries[w] = new(entry)
		}
		return entries[w]
	}
	for _, name := range roots {
		b := bodies[name]
		for _, w := range b.workloads {
			entryOf(w).run = copyName(name, c)
		}
		if b.setup != "" {
			entryOf(b.setup).setup = copyName(name, c)
		}
	}
	keys := make([]string, 0, len(entries))
	for k, e := range entries {
		if e.run == "" {
			return fmt.Errorf("benchgen: %s has a setup for workload %s but no body", c.name, k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(out, "\n// Bodies returns the workloads %s can run, by name.\n", c.name)
	fmt.Fprintf(out, "func (r %s) Bodies() map[string]%s {\n\treturn map[string]%s{\n", c.recv, bodyType, bodyType)
	for _, k := range keys {
		e := entries[k]
		fmt.Fprintf(out, "\t\t%s: {\n\t\t\tRun: func(b *testing.B, n int) { %s(b, r, n) },\n", strconv.Quote(k), e.run)
		if e.setup != "" {
			fmt.Fprintf(out, "\t\t\tSetup: func(n int) func() { return %s(r, n) },\n", e.setup)
		}
		fmt.Fprintf(out, "\t\t},\n")
	}
	fmt.Fprintf(out, "\t}\n}\n")
	return nil
}

// edit replaces src[from:to] with text.
type edit struct {
	from, to int
	text     string
}

// specialize returns b's copy for c and the bodies it calls.
func specialize(b *body, c *contestant, bodies map[string]*body, imports map[string]string) (string, []string, error) {
	f := b.file
	base := int(f.ast.FileStart)
	off := func(p token.Pos) int { return int(p) - base }
	d := b.decl
	var edits []edit
	edits = append(edits,
		edit{off(d.Name.Pos()), off(d.Name.End()), copyName(d.Name.Name, c)},
		edit{off(d.Type.TypeParams.Opening), off(d.Type.TypeParams.Closing) + 1, ""})
	subst := [3]string{c.c, c.k, c.recv}
	byName := fileImports(f)
	var calls []string
	// Selectors' right-hand names are fields and methods, never a type
	// parameter, a body or a package.
	sels := make(map[*ast.Ident]bool)
	ast.Inspect(d.Body, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			sels[sel.Sel] = true
		}
		return true
	})
	ast.Inspect(d, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FieldList:
			// The type parameter list itself is cut out whole.
			return n != d.Type.TypeParams
		case *ast.IndexListExpr:
			// Explicit instantiations of bodies lose their type arguments.
			if id, ok := n.X.(*ast.Ident); ok && bodies[id.Name] != nil {
				edits = append(edits, edit{off(n.Lbrack), off(n.Rbrack) + 1, ""})
			}
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				if p, ok := byName[id.Name]; ok {
					imports[id.Name] = p
				}
			}
		case *ast.Ident:
			if n == d.Name || sels[n] {
				return true
			}
			if i := slices.Index(typeParams, n.Name); i >= 0 {
				edits = append(edits, edit{off(n.Pos()), off(n.End()), subst[i]})
			} else if bodies[n.Name] != nil {
				edits = append(edits, edit{off(n.Pos()), off(n.End()), copyName(n.Name, c)})
				calls = append(calls, n.Name)
			}
		}
		return true
	})
	start, end := off(d.Pos()), off(d.End())
	sort.Slice(edits, func(i, j int) bool { return edits[i].from > edits[j].from })
	src := slices.Clone(f.src[:end])
	for i, e := range edits {
		if i > 0 && e.to > edits[i-1].from {
			return "", nil, errors.New("benchgen: overlapping edits in " + d.Name.Name)
		}
		src = slices.Concat(src[:e.from], []byte(e.text), src[e.to:])
	}
	return string(src[start:]), calls, nil
}
