package httpscope_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/ctxvalue"
	"github.com/localbench/localbench/strategies/gls"
	"github.com/localbench/localbench/strategies/httpscope"
	"github.com/localbench/localbench/strategies/mapid"
	"github.com/localbench/localbench/strategies/shardedmap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func stores() map[string]func() strategies.Store {
	return map[string]func() strategies.Store{
		"mapid":      func() strategies.Store { return mapid.New() },
		"shardedmap": func() strategies.Store { return shardedmap.New() },
		"ctxvalue":   func() strategies.Store { return ctxvalue.New() },
		"gls":        func() strategies.Store { return gls.New() },
	}
}

func live(s strategies.Store) int {
	if c, ok := s.(strategies.Counter); ok {
		return c.Live()
	}
	return 0
}

// app is a small service on one store: the middleware binds the request id
// from a header, and the handler reports what code deep in the call finds,
// through r.Context() and, for implicit stores, through
// context.Background().
type app struct {
	store     strategies.Store
	requestID *strategies.Var[string]
	leftover  *strategies.Var[string]
	handler   http.Handler
}

func newApp(t *testing.T, store strategies.Store) *app {
	t.Helper()
	if c, ok := store.(io.Closer); ok {
		t.Cleanup(func() { c.Close() })
	}
	a := &app{
		store:     store,
		requestID: strategies.NewVar[string](store, "request-id"),
		leftover:  strategies.NewVar[string](store, "leftover"),
	}
	a.handler = httpscope.Handler(store, func(ctx context.Context, r *http.Request) context.Context {
		return a.requestID.Set(ctx, r.Header.Get("X-Request-Id"))
	}, http.HandlerFunc(a.serve))
	return a
}

func (a *app) serve(w http.ResponseWriter, r *http.Request) {
	if _, ok := a.leftover.Lookup(r.Context()); ok {
		http.Error(w, "a binding of an earlier request is visible", http.StatusInternalServerError)
		return
	}
	// The handler binds something of its own, which must not reach the
	// next request.
	ctx := a.leftover.Set(r.Context(), "set by "+r.URL.Path)
	switch r.URL.Path {
	case "/panic":
		panic("handler panicked")
	case "/abort":
		panic(http.ErrAbortHandler)
	}
	fmt.Fprintf(w, "ctx=%s", deep(ctx, a.requestID))
	if a.store.Info().Implicit {
		fmt.Fprintf(w, " background=%s", deepNoCtx(a.requestID))
	}
}

// deep stands for code that is handed the context.
func deep(ctx context.Context, v *strategies.Var[string]) string { return v.Get(ctx) }

// deepNoCtx stands for code that takes no context, such as a logger.
func deepNoCtx(v *strategies.Var[string]) string { return v.Get(context.Background()) }

func wantBody(s strategies.Store, id string) string {
	if s.Info().Implicit {
		return "ctx=" + id + " background=" + id
	}
	return "ctx=" + id
}

// TestRecorder serves requests with httptest.NewRecorder on the test's own
// goroutine, one after another, as a keep-alive connection would.
func TestRecorder(t *testing.T) {
	for name, mk := range stores() {
		t.Run(name, func(t *testing.T) {
			a := newApp(t, mk())
			base := live(a.store)
			for _, id := range []string{"r-1", "r-2"} {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodGet, "/hello", nil)
				req.Header.Set("X-Request-Id", id)
				a.handler.ServeHTTP(rec, req)
				assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
				assert.Equal(t, wantBody(a.store, id), rec.Body.String(), "what the handler's callees find")
				assert.Equal(t, base, live(a.store), "Live() after a request: nothing is left in the store")
			}
			for _, path := range []string{"/panic", "/abort"} {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				v := catch(func() { a.handler.ServeHTTP(httptest.NewRecorder(), req) })
				assert.NotNil(t, v, "a handler's panic reaches the caller of the middleware")
				if path == "/abort" {
					assert.Equal(t, http.ErrAbortHandler, v, "the middleware passes the handler's panic value on unchanged")
				}
				assert.Equal(t, base, live(a.store), "Live() after a request whose handler panicked")
				_, ok := a.leftover.Lookup(context.Background())
				assert.False(t, ok, "a panicking handler's binding is undone")
			}
		})
	}
}

// TestServer serves requests with a real http.Server on 127.0.0.1, over one
// keep-alive connection (one serving goroutine) and over new ones, with
// handlers that panic in between.
func TestServer(t *testing.T) {
	for name, mk := range stores() {
		t.Run(name, func(t *testing.T) {
			a := newApp(t, mk())
			base := live(a.store)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			srv := &http.Server{Handler: a.handler, ErrorLog: log.New(io.Discard, "", 0)}
			served := make(chan error, 1)
			go func() { served <- srv.Serve(ln) }()
			t.Cleanup(func() {
				assert.NoError(t, srv.Close())
				assert.ErrorIs(t, <-served, http.ErrServerClosed)
			})
			url := "http://" + ln.Addr().String()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			t.Cleanup(client.CloseIdleConnections)

			get := func(path, id string) (int, string, error) {
				req, err := http.NewRequest(http.MethodGet, url+path, nil)
				require.NoError(t, err)
				req.Header.Set("X-Request-Id", id)
				resp, err := client.Do(req)
				if err != nil {
					return 0, "", err
				}
				defer resp.Body.Close()
				body, err := io.ReadAll(resp.Body)
				return resp.StatusCode, string(body), err
			}
			for i, path := range []string{"/hello", "/hello", "/panic", "/hello", "/abort", "/hello"} {
				id := fmt.Sprintf("r-%d", i)
				code, body, err := get(path, id)
				if strings.HasPrefix(path, "/hello") {
					require.NoError(t, err, "request %d", i)
					assert.Equal(t, http.StatusOK, code, body)
					assert.Equal(t, wantBody(a.store, id), body, "request %d: what the handler's callees find", i)
				} else {
					// The server recovers the panic and drops the
					// connection.
					assert.Error(t, err, "request %d to %s: a panicking handler's connection is closed", i, path)
				}
				// The response (or the closed connection) comes after the
				// handler has returned through the middleware's scope.
				assert.Equal(t, base, live(a.store), "Live() after request %d (%s): nothing is left in the store", i, path)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	h := http.NotFoundHandler()
	for name, call := range map[string]func(){
		"Handler(nil store)":   func() { httpscope.Handler(nil, nil, h) },
		"Handler(nil handler)": func() { httpscope.Handler(mapid.New(), nil, nil) },
		"Middleware(nil)":      func() { httpscope.Middleware(nil, nil) },
	} {
		err, ok := catch(call).(error)
		require.True(t, ok, "%s panics with an error", name)
		if strings.Contains(name, "store") || name == "Middleware(nil)" {
			assert.ErrorIs(t, err, strategies.ErrNilStore, name)
		} else {
			assert.ErrorIs(t, err, strategies.ErrNilFunc, name)
		}
		assert.Contains(t, err.Error(), "httpscope.", name)
	}
}

func catch(fn func()) (v any) {
	defer func() { v = recover() }()
	fn()
	return nil
}

func ExampleMiddleware() {
	store := shardedmap.New()
	requestID := strategies.NewVar[string](store, "request-id")

	// logLine stands for code deep in a handler that takes no context.
	logLine := func(msg string) string {
		return fmt.Sprintf("[%s] %s", requestID.Get(context.Background()), msg)
	}
	withRequestID := httpscope.Middleware(store, func(ctx context.Context, r *http.Request) context.Context {
		return requestID.Set(ctx, r.Header.Get("X-Request-Id"))
	})
	handler := withRequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, logLine("hello"))
	}))

	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("X-Request-Id", "r-42")
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	fmt.Print(rec.Body.String())
	fmt.Println("entries left:", store.Live())
	// Output:
	// [r-42] hello
	// entries left: 0
}
