package dst

//go:generate go run github.com/localbench/localbench/harness/benchgen/cmd/benchgen -src ../src -o gen.go reader writer

import (
	"context"
	"strings"
)

type reader struct{}

func (reader) Key(i int) int                              { return i }
func (reader) Get(c []string, k int) (any, bool)          { return c[k], true }
func (reader) Enter(_ context.Context, fn func([]string)) { fn(nil) }

type writer struct{}

func (*writer) Key(i int) *strings.Builder                                       { return nil }
func (*writer) Get(c context.Context, k *strings.Builder) (any, bool)            { return nil, false }
func (*writer) Enter(ctx context.Context, fn func(context.Context))              { fn(ctx) }
func (*writer) Set(c context.Context, k *strings.Builder, v any) context.Context { return c }
