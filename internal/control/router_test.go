package control

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/gorilla/mux"
)

// tag answers which route served the request, with its variables.
func tag(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %v", name, mux.Vars(r))
	})
}

func testRoutes(r *Routes) {
	r.Handle("/health", tag("health")).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/tenants", tag("tenants.list")).Methods(http.MethodGet)
	r.Handle("/tenants", tag("tenants.create")).Methods(http.MethodPost)
	r.Handle("/tenants/{id}", tag("tenants.delete")).Methods(http.MethodDelete)
	r.Handle("/requests/count", tag("count")).Methods(http.MethodGet, http.MethodPost)
	r.Handle("/requests/{id}", tag("request")).Methods(http.MethodGet)
	r.Handle("/{provider}/echo", tag("echo")).Methods(http.MethodPost)
	r.Handle("/d24/echo", tag("d24.echo")).Methods(http.MethodPost) // shadowed by the variable route above
	r.HandleFunc("/any", tag("any").ServeHTTP)
	r.PathPrefix("/debug/pprof/").HandlerFunc(tag("pprof").ServeHTTP)
	r.PathPrefix("/stat").Handler(tag("stat")).Methods(http.MethodGet)
}

func rootRouter() *mux.Router {
	m := newRouter()
	m.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "not found "+r.URL.Path)
	})
	m.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusMethodNotAllowed)
		fmt.Fprint(w, "not allowed "+r.Method)
	})
	return m
}

// The grouped, lazily built routers answer every request as one router
// holding every route does: matches, variables, order, 404 and 405.
func TestRoutesAnswerAsOneRouter(t *testing.T) {
	var rs Routes
	testRoutes(&rs)
	lazy := rootRouter()
	rs.Mount(lazy)

	var all Routes
	testRoutes(&all)
	one := rootRouter()
	for _, r := range all.routes {
		r.addTo(one)
	}

	requests := []struct{ method, path string }{
		{"GET", "/health"}, {"HEAD", "/health"}, {"POST", "/health"}, {"GET", "/health/"}, {"GET", "/healthz"},
		{"GET", "/tenants"}, {"POST", "/tenants"}, {"PUT", "/tenants"}, {"DELETE", "/tenants/t1"}, {"GET", "/tenants/t1"},
		{"GET", "/requests/count"}, {"POST", "/requests/count"}, {"GET", "/requests/r%2F1"}, {"DELETE", "/requests/r1"},
		{"POST", "/d24/echo"}, {"POST", "/crm/echo"}, {"GET", "/crm/echo"}, {"POST", "/echo"},
		{"PATCH", "/any"}, {"GET", "/debug/pprof/"}, {"GET", "/debug/pprof/heap"}, {"GET", "/debug"},
		{"GET", "/stats"}, {"POST", "/stat/x"}, {"GET", "/"}, {"GET", ""}, {"GET", "/nope/deeper"}, {"GET", "/heal%74h"},
	}
	for _, rq := range requests {
		want := httptest.NewRecorder()
		one.ServeHTTP(want, httptest.NewRequest(rq.method, "http://x"+rq.path, nil))
		got := httptest.NewRecorder()
		lazy.ServeHTTP(got, httptest.NewRequest(rq.method, "http://x"+rq.path, nil))
		if got.Code != want.Code || got.Body.String() != want.Body.String() {
			t.Errorf("%s %s: %d %q, want %d %q", rq.method, rq.path, got.Code, got.Body.String(), want.Code, want.Body.String())
		}
	}
	// Groups are built per literal first segment, plus one for the rest.
	if n := len(rs.groups); n > 8 {
		t.Errorf("%d groups built", n)
	}
}

// Served before Mount and from many goroutines at once, the groups are
// built once each.
func TestRoutesConcurrentFirstUse(t *testing.T) {
	var rs Routes
	testRoutes(&rs)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := []string{"/health", "/tenants", "/requests/count", "/nope"}[i%4]
			rec := httptest.NewRecorder()
			rs.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if path != "/nope" && rec.Code != http.StatusOK {
				t.Errorf("GET %s: %d", path, rec.Code)
			}
		}()
	}
	wg.Wait()
}
