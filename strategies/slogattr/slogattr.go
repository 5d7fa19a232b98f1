// Package slogattr is a log/slog Handler that adds values carried by a
// strategies.Store to every record, as attributes.
//
// This is what implicit strategies are for: a logger deep in code that takes
// no context. With mapid, shardedmap or gls, a plain slog.Info on the
// goroutine that bound the values (in a Scope, a Wrap'd func or a goroutine
// started with strategies.Go) logs them: the Handler reads them from the
// goroutine that calls the logger, which is where slog calls Handle. With
// ctxvalue the values are in a context, so only the slog functions that take
// one (slog.InfoContext and the rest) log them; plain slog.Info hands the
// Handler context.Background(), which carries nothing.
//
// Records are handed on to the wrapped Handler with the attributes added
// after their own, so a Handler made by WithGroup puts them in its group,
// as it does the record's own. Unbound values add nothing.
package slogattr

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/localbench/localbench/strategies"
)

// A Field reads one attribute for a record from the context Handle is
// given; ok is false when there is nothing to add.
type Field func(ctx context.Context) (a slog.Attr, ok bool)

// Var returns a Field that logs v under its name (v.Name()) when it is
// bound. It uses Lookup: a Var's default is not logged. A nil v panics
// with an error wrapping strategies.ErrNilKey.
func Var[T any](v *strategies.Var[T]) Field {
	if v == nil {
		panic(fmt.Errorf("slogattr.Var: nil Var: %w", strategies.ErrNilKey))
	}
	name := v.Name()
	return func(ctx context.Context) (slog.Attr, bool) {
		t, ok := v.Lookup(ctx)
		if !ok {
			return slog.Attr{}, false
		}
		return slog.Any(name, t), true
	}
}

// Handler adds its Fields' attributes to every record and hands it on. A
// *Handler is safe for concurrent use, as slog requires; the zero value is
// not usable (use New).
//
// Each record costs one Lookup per Field, and, when any is bound, a
// Record.Clone and AddAttrs.
type Handler struct {
	next   slog.Handler
	fields []Field
}

var _ slog.Handler = (*Handler)(nil)

// New returns a Handler that adds the attributes of fields to each record
// and hands it to next. A nil next or Field panics with an error wrapping
// strategies.ErrNilFunc.
func New(next slog.Handler, fields ...Field) *Handler {
	if next == nil {
		panic(fmt.Errorf("slogattr.New: nil Handler: %w", strategies.ErrNilFunc))
	}
	for i, f := range fields {
		if f == nil {
			panic(fmt.Errorf("slogattr.New: Field %d is nil: %w", i, strategies.ErrNilFunc))
		}
	}
	return &Handler{next: next, fields: fields}
}

// Enabled reports whether the wrapped Handler handles records at level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle adds the attributes of the Fields that are bound in ctx (for
// implicit strategies: on the calling goroutine) to r and hands it on.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	if ctx == nil {
		ctx = context.Background()
	}
	var buf [8]slog.Attr
	attrs := buf[:0]
	for _, f := range h.fields {
		if a, ok := f(ctx); ok {
			attrs = append(attrs, a)
		}
	}
	if len(attrs) > 0 {
		r = r.Clone()
		r.AddAttrs(attrs...)
	}
	return h.next.Handle(ctx, r)
}

// WithAttrs returns a Handler that adds the same Fields, over
// next.WithAttrs(attrs).
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &Handler{next: h.next.WithAttrs(attrs), fields: h.fields}
}

// WithGroup returns a Handler that adds the same Fields, over
// next.WithGroup(name).
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name), fields: h.fields}
}
