package apitest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"testing/slogtest"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/internal/apitest"
	"github.com/localbench/localbench/strategies/mapid"
	"github.com/localbench/localbench/strategies/slogattr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// records decodes the JSON lines a slog.JSONHandler wrote.
func records(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var ms []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal(line, &m), "a JSON record: %s", line)
		ms = append(ms, m)
	}
	buf.Reset()
	return ms
}

// TestSlogattrHandler logs from code that is handed a context and from code that
// is not, on each strategy: implicit strategies add the values either way,
// ctxvalue only where the logger is given the context.
func TestSlogattrHandler(t *testing.T) {
	for _, st := range apitest.All() {
		t.Run(st.Name, func(t *testing.T) {
			store := st.Open(t)
			requestID := strategies.NewVar[string](store, "request_id")
			attempt := strategies.NewVar[int](store, "attempt")
			var buf bytes.Buffer
			logger := slog.New(slogattr.New(slog.NewJSONHandler(&buf, nil), slogattr.Var(requestID), slogattr.Var(attempt)))
			implicit := store.Info().Implicit

			logger.Info("outside")
			got := records(t, &buf)
			require.Len(t, got, 1)
			assert.NotContains(t, got[0], "request_id", "an unbound Var adds nothing")

			store.Scope(context.Background(), func(ctx context.Context) {
				ctx = requestID.Set(ctx, "r-1")
				logger.Info("no ctx")
				logger.InfoContext(ctx, "with ctx", "own", 1)
				logger.WithGroup("g").InfoContext(ctx, "grouped")
				done := make(chan struct{})
				strategies.Go(ctx, store, func(ctx context.Context) {
					defer close(done)
					logger.Info("child, no ctx")
				})
				<-done

				got := records(t, &buf)
				require.Len(t, got, 4)
				if implicit {
					assert.Equal(t, "r-1", got[0]["request_id"], "a logger that takes no context logs the goroutine's values")
					assert.Equal(t, "r-1", got[3]["request_id"], "a goroutine started with strategies.Go logs the values it was handed")
				} else {
					assert.NotContains(t, got[0], "request_id", "an explicit store has nothing to add without the context")
					assert.NotContains(t, got[3], "request_id", "an explicit store has nothing to add without the context")
				}
				assert.Equal(t, "r-1", got[1]["request_id"], "a logger given the context logs its values")
				assert.EqualValues(t, 1, got[1]["own"], "the record's own attributes are kept")
				assert.NotContains(t, got[1], "attempt", "an unbound Var adds nothing")
				assert.Equal(t, map[string]any{"request_id": "r-1"}, got[2]["g"], "a Handler made by WithGroup puts the values in its group")
			})
			logger.Info("after")
			got = records(t, &buf)
			require.Len(t, got, 1)
			assert.NotContains(t, got[0], "request_id", "nothing is logged after the scope")
		})
	}
}

// TestSlogtest checks that the Handler keeps the slog.Handler contract of
// the Handler it wraps (levels, groups, WithAttrs), with no Var bound.
func TestSlogtest(t *testing.T) {
	store := mapid.New()
	requestID := strategies.NewVar[string](store, "request_id")
	var buf bytes.Buffer
	slogtest.Run(t, func(*testing.T) slog.Handler {
		buf.Reset()
		return slogattr.New(slog.NewJSONHandler(&buf, nil), slogattr.Var(requestID))
	}, func(t *testing.T) map[string]any {
		var m map[string]any
		require.NoError(t, json.Unmarshal(buf.Bytes(), &m))
		return m
	})
}

func TestSlogattrBadInput(t *testing.T) {
	h := slog.NewTextHandler(io.Discard, nil)
	for name, c := range map[string]struct {
		call func()
		want error
	}{
		"New(nil)":       {func() { slogattr.New(nil) }, strategies.ErrNilFunc},
		"New(nil Field)": {func() { slogattr.New(h, nil) }, strategies.ErrNilFunc},
		"Var(nil)":       {func() { slogattr.Var[int](nil) }, strategies.ErrNilKey},
	} {
		err, ok := apitest.Catch(c.call).(error)
		require.True(t, ok, "%s panics with an error", name)
		assert.ErrorIs(t, err, c.want, name)
		assert.True(t, strings.HasPrefix(err.Error(), "slogattr."), "%s: %q names the package and function", name, err)
	}
}
