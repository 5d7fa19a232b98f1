package apitest_test

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
	"github.com/localbench/localbench/strategies/httpscope"
	"github.com/localbench/localbench/strategies/internal/apitest"
	"github.com/localbench/localbench/strategies/mapid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

func newApp(store strategies.Store) *app {
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

// TestHTTPScopeRecorder serves requests with httptest.NewRecorder on the test's own
// goroutine, one after another, as a keep-alive connection would.
func TestHTTPScopeRecorder(t *testing.T) {
	for _, st := range apitest.All() {
		t.Run(st.Name, func(t *testing.T) {
			a := newApp(st.Open(t))
			base := apitest.Live(a.store)
			for _, id := range []string{"r-1", "r-2"} {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodGet, "/hello", nil)
				req.Header.Set("X-Request-Id", id)
				a.handler.ServeHTTP(rec, req)
				assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
				assert.Equal(t, wantBody(a.store, id), rec.Body.String(), "what the handler's callees find")
				assert.Equal(t, base, apitest.Live(a.store), "Live() after a request: nothing is left in the store")
			}
			for _, path := range []string{"/panic", "/abort"} {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				v := apitest.Catch(func() { a.handler.ServeHTTP(httptest.NewRecorder(), req) })
				assert.NotNil(t, v, "a handler's panic reaches the caller of the middleware")
				if path == "/abort" {
					assert.Equal(t, http.ErrAbortHandler, v, "the middleware passes the handler's panic value on unchanged")
				}
				assert.Equal(t, base, apitest.Live(a.store), "Live() after a request whose handler panicked")
				_, ok := a.leftover.Lookup(context.Background())
				assert.False(t, ok, "a panicking handler's binding is undone")
			}
		})
	}
}

// TestHTTPScopeServer serves requests with a real http.Server on 127.0.0.1, over one
// keep-alive connection (one serving goroutine) and over new ones, with
// handlers that panic in between.
func TestHTTPScopeServer(t *testing.T) {
	for _, st := range apitest.All() {
		t.Run(st.Name, func(t *testing.T) {
			a := newApp(st.Open(t))
			base := apitest.Live(a.store)
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
				assert.Equal(t, base, apitest.Live(a.store), "Live() after request %d (%s): nothing is left in the store", i, path)
			}
		})
	}
}

func TestHTTPScopeBadInput(t *testing.T) {
	h := http.NotFoundHandler()
	for name, call := range map[string]func(){
		"Handler(nil store)":   func() { httpscope.Handler(nil, nil, h) },
		"Handler(nil handler)": func() { httpscope.Handler(mapid.New(), nil, nil) },
		"Middleware(nil)":      func() { httpscope.Middleware(nil, nil) },
	} {
		err, ok := apitest.Catch(call).(error)
		require.True(t, ok, "%s panics with an error", name)
		if strings.Contains(name, "store") || name == "Middleware(nil)" {
			assert.ErrorIs(t, err, strategies.ErrNilStore, name)
		} else {
			assert.ErrorIs(t, err, strategies.ErrNilFunc, name)
		}
		assert.Contains(t, err.Error(), "httpscope.", name)
	}
}
