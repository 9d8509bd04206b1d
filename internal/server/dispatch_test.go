package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// TestDispatcherMatchesOneRouter checks that the template matcher answers
// every request, variables included, exactly as one gorilla/mux router
// (SkipClean, UseEncodedPath) holding all templates would.
func TestDispatcherMatchesOneRouter(t *testing.T) {
	templates := []struct{ method, path string }{
		{"GET", "/v1/kyc"},
		{"POST", "/v1/kyc"},
		{"GET", "/v1/{network}/users/{id}"},
		{"PUT", "/v1/{network}/users/{id}"},
		{"GET", "/v1/{network}/offerings"},
		{"GET", "/v1/{network}"},
		{"GET", "/v3/deposits/{id}"},
		{"POST", "/v3/deposits"},
		{"POST", "/v3/deposits/"},
		{"GET", "/{any}/health"},
		{"GET", "/"},
		{"GET", "/d24/v3/deposits/{id}"},
		{"DELETE", "/bacapi/v1/checks/{id}/report/pdf"},
		{"GET", "/bacapi/v1/checks/{id}/report/pdf"},
	}
	// Each handler answers its template and the variables it sees, read
	// through gorilla's mux.Vars or the platform's accessor.
	answer := func(id string, vars func(r *http.Request, name string) string) http.Handler {
		var names []string
		for _, seg := range segments(strings.SplitN(id, " ", 2)[1]) {
			if isVar(seg) {
				names = append(names, seg[1:len(seg)-1])
			}
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(id))
			for _, n := range names {
				w.Write([]byte(" " + n + "=" + vars(r, n)))
			}
		})
	}
	one := newRouter()
	var patterns []pattern
	for _, tp := range templates {
		id := tp.method + " " + tp.path
		one.Handle(tp.path, answer(id, func(r *http.Request, n string) string { return mux.Vars(r)[n] })).Methods(tp.method)
		patterns = append(patterns, pattern{path: tp.path, method: tp.method, handler: answer(id, func(r *http.Request, n string) string {
			return (&platform.ControlRequest{Request: r}).Var(n)
		})})
	}
	d := newDispatcher(nil, patterns)

	paths := []string{
		"/", "/v1", "/v1/", "/v1/kyc", "/v1/kyc/", "/v1/kyc/users/7", "/v1/acme", "/v1/acme/users/7",
		"/v1/acme/users/7/", "/v1/acme/offerings", "/v3/deposits", "/v3/deposits/", "/v3/deposits/42",
		"/v3/deposits/42/extra", "/x/health", "/v1/health", "/d24/v3/deposits/9", "/nothing/here",
		"/bacapi/v1/checks/5/report/pdf", "/bacapi/v1/checks/5/report", "//", "/v3//deposits",
		"/v3/deposits/a%2Fb", "/v3/deposits/a%2fb/", "/v3/deposits/%7E", "/v3/deposits/..", "/v3/./deposits/1",
		"/v1/acme/users/", "/v1/acme/users//", "/V3/deposits/1", "/d24/v3/deposits/", "/x/health/", "/x%2Fy/health",
	}
	for _, path := range paths {
		for _, method := range []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "get"} {
			want := httptest.NewRecorder()
			one.ServeHTTP(want, httptest.NewRequest(method, path, nil))
			got := httptest.NewRecorder()
			d.ServeHTTP(got, httptest.NewRequest(method, path, nil))
			if got.Code != want.Code || strings.TrimSpace(got.Body.String()) != strings.TrimSpace(want.Body.String()) {
				t.Errorf("%s %s: dispatcher %d %q, one router %d %q", method, path, got.Code, got.Body, want.Code, want.Body)
			}
		}
	}
}

// The paths a person types for the emulator's page lead to the inspector;
// other methods and provider listeners are not redirected.
func TestRedirectsToInspector(t *testing.T) {
	h := newDispatcher(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(299) }), nil)
	for _, c := range []struct {
		method, path, want string
		status             int
	}{
		{"GET", "/", "/_fakeprovider/ui", 302},
		{"HEAD", "/_fakeprovider", "/_fakeprovider/ui", 302},
		{"GET", "/_fakeprovider/", "/_fakeprovider/ui", 302},
		{"GET", "/_fakeprovider/ui/?tenant=t_1", "/_fakeprovider/ui?tenant=t_1", 302},
		{"GET", "/_fakeprovider/ui", "", 299},
		{"POST", "/_fakeprovider/", "", 299},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != c.status || rec.Header().Get("Location") != c.want {
			t.Errorf("%s %s: %d Location %q, want %d %q", c.method, c.path, rec.Code, rec.Header().Get("Location"), c.status, c.want)
		}
	}
	own := newDispatcher(nil, nil)
	rec := httptest.NewRecorder()
	own.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code == 302 {
		t.Error("a provider's own listener redirected /")
	}
}

// TestMatcher pins the template matcher's rules: first registered match
// wins, a variable takes one non-empty escaped segment, paths are neither
// cleaned nor decoded, a wrong method on a matched path is a 405 naming the
// first matching template's methods.
func TestMatcher(t *testing.T) {
	templates := []struct{ method, path string }{
		{"GET", "/v1/kyc"},                  // 0
		{"GET", "/v1/{network}"},            // 1
		{"POST", "/v1/{network}"},           // 2
		{"GET", "/v1/{network}/users/{id}"}, // 3
		{"PUT", "/v1/{network}/users/me"},   // 4: a literal registered after a variable
		{"PUT", "/v1/{network}/users/{id}"}, // 5
		{"GET", "/v3/deposits/{id}"},        // 6
		{"GET", "/v3/deposits/{id}/"},       // 7: trailing-slash twin
		{"POST", "/v3/deposits"},            // 8
		{"GET", "/{any}/health"},            // 9
		{"GET", "/"},                        // 10
	}
	var patterns []pattern
	for _, tp := range templates {
		patterns = append(patterns, pattern{path: tp.path, method: tp.method})
	}
	d := newDispatcher(nil, patterns)
	cases := []struct {
		method, path string
		want         int // template index, or -1
		any          bool
		vars         map[string]string
	}{
		{"GET", "/v1/kyc", 0, true, map[string]string{}},
		{"GET", "/v1/acme", 1, true, map[string]string{"network": "acme"}},
		{"POST", "/v1/kyc", 2, true, map[string]string{"network": "kyc"}},
		{"DELETE", "/v1/kyc", -1, true, nil},
		{"GET", "/v1/acme/users/7", 3, true, map[string]string{"network": "acme", "id": "7"}},
		{"PUT", "/v1/acme/users/me", 4, true, map[string]string{"network": "acme"}},
		{"PUT", "/v1/acme/users/7", 5, true, map[string]string{"network": "acme", "id": "7"}},
		{"GET", "/v1/acme/users/me", 3, true, map[string]string{"network": "acme", "id": "me"}},
		{"GET", "/v1/acme/users/", -1, false, nil}, // a variable takes a non-empty segment
		{"GET", "/v1//users/7", -1, false, nil},    // not cleaned
		{"GET", "/v3/deposits/42", 6, true, map[string]string{"id": "42"}},
		{"GET", "/v3/deposits/42/", 7, true, map[string]string{"id": "42"}},
		{"GET", "/v3/deposits/42//", -1, false, nil},
		{"GET", "/v3/deposits/a%2Fb", 6, true, map[string]string{"id": "a%2Fb"}}, // escaped, not decoded
		{"GET", "/v3/deposits/..", 6, true, map[string]string{"id": ".."}},
		{"GET", "/v3/x/../deposits/1", -1, false, nil},
		{"GET", "/v3/deposits", -1, true, nil},
		{"POST", "/v3/deposits/", -1, false, nil},
		{"GET", "/V3/deposits/1", -1, false, nil}, // case-sensitive
		{"get", "/v3/deposits/1", -1, true, nil},  // methods are exact
		{"GET", "/v3/health", 9, true, map[string]string{"any": "v3"}},
		{"GET", "/", 10, true, map[string]string{}},
		{"GET", "//", -1, false, nil},
		{"GET", "", -1, false, nil},
		{"GET", "*", -1, false, nil},
	}
	for _, c := range cases {
		got, any := d.match(c.path, c.method)
		if got != c.want || any != c.any {
			t.Errorf("%s %q: template %d (any path match %v), want %d (%v)", c.method, c.path, got, any, c.want, c.any)
			continue
		}
		if got < 0 {
			continue
		}
		vars := patterns[got].vars(c.path)
		if len(vars) != len(c.vars) {
			t.Errorf("%s %q: vars %v, want %v", c.method, c.path, vars, c.vars)
		}
		r := httptest.NewRequest(c.method, "/", nil)
		r, s := platform.Attach(r, nil)
		s.SetRoute(d.patterns[got].names, c.path, "/p")
		for k, v := range c.vars {
			if vars[k] != v {
				t.Errorf("%s %q: var %s = %q, want %q", c.method, c.path, k, vars[k], v)
			}
			if pv := (&platform.ControlRequest{Request: r}).Var(k); pv != v {
				t.Errorf("%s %q: scope var %s = %q, want %q", c.method, c.path, k, pv, v)
			}
		}
		if platform.Prefix(r) != "/p" {
			t.Errorf("prefix %q", platform.Prefix(r))
		}
	}
}
