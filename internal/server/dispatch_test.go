package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestDispatcherMatchesOneRouter checks that bucketed dispatch answers
// every request exactly as one router holding all templates would.
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
	var patterns []pattern
	for _, tp := range templates {
		id := tp.method + " " + tp.path
		patterns = append(patterns, pattern{path: tp.path, method: tp.method, handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(id))
		})})
	}
	one := newRouter()
	for _, p := range patterns {
		one.Handle(p.path, p.handler).Methods(p.method)
	}
	d := newDispatcher(nil, patterns)

	paths := []string{
		"/", "/v1", "/v1/", "/v1/kyc", "/v1/kyc/", "/v1/kyc/users/7", "/v1/acme", "/v1/acme/users/7",
		"/v1/acme/users/7/", "/v1/acme/offerings", "/v3/deposits", "/v3/deposits/", "/v3/deposits/42",
		"/v3/deposits/42/extra", "/x/health", "/v1/health", "/d24/v3/deposits/9", "/nothing/here",
		"/bacapi/v1/checks/5/report/pdf", "/bacapi/v1/checks/5/report", "//", "/v3//deposits",
	}
	for _, path := range paths {
		for _, method := range []string{"GET", "POST", "PUT", "DELETE", "PATCH"} {
			want := httptest.NewRecorder()
			one.ServeHTTP(want, httptest.NewRequest(method, path, nil))
			got := httptest.NewRecorder()
			d.ServeHTTP(got, httptest.NewRequest(method, path, nil))
			if got.Code != want.Code || strings.TrimSpace(got.Body.String()) != strings.TrimSpace(want.Body.String()) {
				t.Errorf("%s %s: dispatcher %d %q, one router %d %q", method, path, got.Code, got.Body, want.Code, want.Body)
			}
		}
	}
	if n := len(d.buckets); n > 64 {
		t.Errorf("%d buckets for %d templates: keys are not bounded by literals", n, len(templates))
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
