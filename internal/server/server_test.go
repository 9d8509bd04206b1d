package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

type answer struct {
	status int
	header http.Header
	body   string
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(a.body), &m); err != nil {
		t.Fatalf("not JSON (%d): %q", a.status, a.body)
	}
	return m
}

var client = &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

func do(t testing.TB, method, url string, header map[string]string, body string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(raw)}
}

func widgetKey(k string) map[string]string { return map[string]string{"X-Key": k} }

var defaultWidget = widgetKey(platformtest.WidgetKey)

func start(t *testing.T, opts ...platformtest.Option) (*platformtest.Harness, *gadget) {
	t.Helper()
	g := newGadget()
	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget(), g}, opts...)
	// Connections the client dialed but never used count as active for
	// http.Server.Shutdown for 5 s: close them before the harness stops.
	t.Cleanup(client.CloseIdleConnections)
	return h, g
}

func TestRouting(t *testing.T) {
	h, _ := start(t)
	if a := do(t, "POST", h.URL+"/widgets", defaultWidget, `{"name":"w1"}`); a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	cases := []struct {
		name, method, path string
		header             map[string]string
		body               string
		status             int
		bodyHas            string
	}{
		{"real path", "GET", "/widgets/1", defaultWidget, "", 200, `"name":"w1"`},
		{"provider prefix", "GET", "/widget/widgets/1", defaultWidget, "", 200, `"name":"w1"`},
		{"trailing slash", "GET", "/widgets/1/", defaultWidget, "", 200, `"name":"w1"`},
		{"prefix and trailing slash", "GET", "/widget/widgets/1/", defaultWidget, "", 200, `"name":"w1"`},
		{"create at prefix", "POST", "/widget/widgets", defaultWidget, `{"name":"w2"}`, 201, `"id":"2"`},
		{"create with trailing slash", "POST", "/widgets/", defaultWidget, `{"name":"w3"}`, 201, `"id":"3"`},
		{"provider's own not found", "GET", "/widgets/999", defaultWidget, "", 404, `{"error":"not found"}`},
		{"encoded id is not cleaned", "GET", "/widgets/1%2F..", defaultWidget, "", 404, `{"error":"not found"}`},
		{"second provider", "GET", "/gadget/gadgets/999", map[string]string{"X-Gadget-Key": gadgetKey}, "", 404, `NOT_FOUND`},
		{"auth error of the provider", "GET", "/widgets/1", widgetKey("wrong"), "", 401, `{"error":"unauthorized"}`},
		{"unknown path", "GET", "/nothing/here", nil, "", 404, `"error":"not_found"`},
		{"dot segments are neither cleaned nor redirected", "GET", "/widget/../widgets/1", defaultWidget, "", 404, `{"error":"not found"}`},
		{"double slash is not cleaned", "GET", "//widgets/1", defaultWidget, "", 404, `"error":"not_found"`},
		{"unknown path under a prefix: the provider's own 404", "GET", "/widget/nothing", nil, "", 404, `{"error":"not found"}`},
		{"unknown path under a first segment only the provider uses", "GET", "/widgets/1/nothing", nil, "", 404, `{"error":"not found"}`},
		{"prefix of another provider", "GET", "/gadget/widgets/1", defaultWidget, "", 404, `"gadget_error":{"code":"NOT_FOUND"}`},
		{"root (GET redirects to the inspector)", "POST", "/", nil, "", 404, `"error":"not_found"`},
		{"wrong method: the provider's own 405", "DELETE", "/widgets/1", defaultWidget, "", 405, `{"error":"method not allowed"}`},
		{"wrong method on collection", "GET", "/widgets", defaultWidget, "", 405, `{"error":"method not allowed"}`},
		{"wrong method under prefix", "PUT", "/widget/widgets", defaultWidget, "", 405, `{"error":"method not allowed"}`},
		{"wrong method under another provider's prefix", "DELETE", "/gadget/gadgets/1", map[string]string{"X-Gadget-Key": gadgetKey}, "", 405, `"code":"METHOD_NOT_ALLOWED"`},
		{"unknown control path", "GET", "/_fakeprovider/nope", nil, "", 404, `"error":"not_found"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, c.method, h.URL+c.path, c.header, c.body)
			if a.status != c.status || !strings.Contains(a.body, c.bodyHas) {
				t.Errorf("%s %s: %d %s; want %d containing %s", c.method, c.path, a.status, a.body, c.status, c.bodyHas)
			}
			if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if a.status == 404 || a.status == 405 {
				a.json(t) // the neutral answers are JSON too
			}
		})
	}
}

// A route marked inferred says so in every answer, errors included; a
// documented route never does.
func TestInferredHeader(t *testing.T) {
	h, _ := start(t)
	if a := do(t, "POST", h.URL+"/widgets", defaultWidget, `{"name":"w1"}`); a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	const reason = "a test route whose answer is inferred"
	cases := []struct {
		name, path string
		header     map[string]string
		status     int
		want       string
	}{
		{"inferred route", "/widgets/1/summary", defaultWidget, 200, reason},
		{"inferred route under the prefix", "/widget/widgets/1/summary", defaultWidget, 200, reason},
		{"inferred route, auth failure", "/widgets/1/summary", widgetKey("wrong"), 401, reason},
		{"documented route", "/widgets/1", defaultWidget, 200, ""},
		{"unknown path", "/widgets/1/nothing", defaultWidget, 404, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, "GET", h.URL+c.path, c.header, "")
			if a.status != c.status || a.header.Get(platform.InferredHeader) != c.want {
				t.Errorf("GET %s: %d, %s %q; want %d, %q", c.path, a.status, platform.InferredHeader, a.header.Get(platform.InferredHeader), c.status, c.want)
			}
		})
	}
}

// A wrong method names the methods the path serves.
func TestWrongMethodAllow(t *testing.T) {
	h, _ := start(t)
	a := do(t, "DELETE", h.URL+"/widget/widgets", defaultWidget, "")
	if a.status != 405 || a.header.Get("Allow") != "POST" {
		t.Errorf("DELETE /widget/widgets: %d Allow %q %s; want 405 Allow POST", a.status, a.header.Get("Allow"), a.body)
	}
}

// A known control path with the wrong method gets 405, like provider paths.
func TestControlWrongMethod(t *testing.T) {
	h, _ := start(t)
	if a := do(t, "DELETE", h.URL+"/_fakeprovider/health", nil, ""); a.status != 405 || !strings.Contains(a.body, "method_not_allowed") {
		t.Errorf("DELETE /_fakeprovider/health: %d %s", a.status, a.body)
	}
}

// A start-up check refuses two providers claiming the same route.
func TestRouteCollisions(t *testing.T) {
	other := func(name, path string) *gadget {
		g := newGadget()
		g.name, g.path = name, path
		return g
	}
	cases := []struct {
		name      string
		providers []platform.Provider
		wantErr   string
	}{
		{"same path", []platform.Provider{platformtest.NewWidget(), other("gizmo", "/widgets")}, "route collision"},
		{"same shape other variable name", []platform.Provider{other("a", "/things"), other("b", "/things")}, "route collision"},
		{"same name twice", []platform.Provider{platformtest.NewWidget(), platformtest.NewWidget()}, "listed twice"},
		{"distinct paths", []platform.Provider{platformtest.NewWidget(), other("gizmo", "/gizmos")}, ""},
		{"regexp variable", []platform.Provider{other("gizmo", "/gizmos/{kind:[a-z]+}")}, "a variable is a whole segment"},
		{"variable inside a segment", []platform.Provider{other("gizmo", "/gizmos/v{n}")}, "a variable is a whole segment"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := app.New(context.Background(), app.Options{Addr: "127.0.0.1:0"}, c.providers)
			if a != nil {
				defer a.Close()
			}
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("app.New: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("app.New: %v, want an error containing %q", err, c.wantErr)
			}
		})
	}
}

func TestTenantIsolationAndReset(t *testing.T) {
	h, _ := start(t)
	var nt map[string]json.RawMessage
	if st := h.Control("POST", "/tenants", nil, &nt); st != 201 {
		t.Fatalf("create tenant: %d", st)
	}
	var tid string
	json.Unmarshal(nt["tenant"], &tid)
	var wc platformtest.WidgetCreds
	if err := json.Unmarshal(nt["widget"], &wc); err != nil || wc.Key == "" || wc.Key == platformtest.WidgetKey {
		t.Fatalf("new tenant widget creds %s: %v", nt["widget"], err)
	}
	other := widgetKey(wc.Key)

	for _, c := range []struct {
		hdr  map[string]string
		name string
	}{{defaultWidget, "mine"}, {other, "theirs"}} {
		a := do(t, "POST", h.URL+"/widgets", c.hdr, `{"name":"`+c.name+`"}`)
		// Per-tenant sequences: both are widget 1.
		if a.status != 201 || !strings.Contains(a.body, `"id":"1"`) {
			t.Fatalf("create %s: %d %s", c.name, a.status, a.body)
		}
	}
	do(t, "POST", h.URL+"/widgets", defaultWidget, `{"name":"mine2"}`)
	if a := do(t, "GET", h.URL+"/widgets/2", other, ""); a.status != 404 {
		t.Errorf("tenant sees the default tenant's widget 2: %d %s", a.status, a.body)
	}
	if a := do(t, "GET", h.URL+"/widgets/1", other, ""); !strings.Contains(a.body, "theirs") {
		t.Errorf("tenant's widget 1: %s", a.body)
	}
	if a := do(t, "GET", h.URL+"/widgets/1", defaultWidget, ""); !strings.Contains(a.body, "mine") {
		t.Errorf("default's widget 1: %s", a.body)
	}

	// Reset of one tenant leaves the other.
	if st := h.Control("POST", "/reset?tenant="+tid, nil, nil); st != 204 {
		t.Fatalf("reset: %d", st)
	}
	if a := do(t, "GET", h.URL+"/widgets/1", other, ""); a.status != 404 {
		t.Errorf("reset tenant's widget survived: %d %s", a.status, a.body)
	}
	if a := do(t, "GET", h.URL+"/widgets/2", defaultWidget, ""); a.status != 200 {
		t.Errorf("default's widget lost by another tenant's reset: %d", a.status)
	}
	// Credentials are kept, and the sequence starts again.
	if a := do(t, "POST", h.URL+"/widgets", other, `{"name":"again"}`); a.status != 201 || !strings.Contains(a.body, `"id":"1"`) {
		t.Errorf("after reset: %d %s", a.status, a.body)
	}
	// Reset of all.
	if st := h.Control("POST", "/reset", nil, nil); st != 204 {
		t.Fatalf("reset all: %d", st)
	}
	for _, hdr := range []map[string]string{defaultWidget, other} {
		if a := do(t, "GET", h.URL+"/widgets/1", hdr, ""); a.status != 404 {
			t.Errorf("after reset all: %d %s", a.status, a.body)
		}
	}
	if a := do(t, "POST", h.URL+"/widgets", other, `{"name":"still"}`); a.status != 201 {
		t.Errorf("credentials lost by reset all: %d", a.status)
	}
}

func TestIdempotencyConcurrent(t *testing.T) {
	h, _ := start(t)
	key := map[string]string{"X-Gadget-Key": gadgetKey, "Idempotency-Key": "idem-1", "Content-Type": "application/json"}
	const n = 200
	answers := make([]answer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = do(t, "POST", h.URL+"/gadgets", key, `{"label":"once"}`)
		}()
	}
	wg.Wait()
	for i, a := range answers {
		if a.status != 201 || a.body != answers[0].body {
			t.Fatalf("answer %d: %d %s; first %d %s", i, a.status, a.body, answers[0].status, answers[0].body)
		}
	}
	var state struct {
		State map[string]map[string]map[string]json.RawMessage `json:"state"`
	}
	h.Control("GET", "/state?provider=gadget", nil, &state)
	if got := len(state.State["gadget"]["gadget"]); got != 1 {
		t.Fatalf("%d gadgets created by %d concurrent first uses of one key, want 1", got, n)
	}
	// Same key, other body: the provider's own conflict error, nothing created.
	a := do(t, "POST", h.URL+"/gadgets", key, `{"label":"other"}`)
	if a.status != 409 || !strings.Contains(a.body, "IDEMPOTENCY_CONFLICT") {
		t.Errorf("reuse with another body: %d %s", a.status, a.body)
	}
	// A retry of the same request is replayed.
	for _, path := range []string{"/gadgets"} {
		if a := do(t, "POST", h.URL+path, key, `{"label":"once"}`); a.status != 201 || a.body != answers[0].body {
			t.Errorf("replay at %s: %d %s, want %s", path, a.status, a.body, answers[0].body)
		}
	}
	// Another key creates another record; no key is never replayed.
	key["Idempotency-Key"] = "idem-2"
	if a := do(t, "POST", h.URL+"/gadgets", key, `{"label":"once"}`); a.status != 201 || a.body == answers[0].body {
		t.Errorf("other key: %d %s", a.status, a.body)
	}
	delete(key, "Idempotency-Key")
	b1 := do(t, "POST", h.URL+"/gadgets", key, `{"label":"x"}`)
	b2 := do(t, "POST", h.URL+"/gadgets", key, `{"label":"x"}`)
	if b1.body == b2.body {
		t.Errorf("requests without a key were replayed: %s", b1.body)
	}
	// Keys are per tenant: another tenant's first use is its own.
	tid := h.NewTenant()
	c, _ := h.App.Tenants.Credentials(tid, "gadget")
	key["X-Gadget-Key"] = c.(*gadgetCreds).Key
	key["Idempotency-Key"] = "idem-1"
	if a := do(t, "POST", h.URL+"/gadgets", key, `{"label":"other"}`); a.status != 201 || !strings.Contains(a.body, `"id":"1"`) {
		t.Errorf("other tenant, same key: %d %s", a.status, a.body)
	}
	// A failed first use stores nothing: the key stays free.
	key["Idempotency-Key"] = "idem-bad"
	if a := do(t, "POST", h.URL+"/gadgets", key, `{}`); a.status != 422 {
		t.Errorf("invalid: %d %s", a.status, a.body)
	}
	if a := do(t, "POST", h.URL+"/gadgets", key, `{"label":"fine"}`); a.status != 201 {
		t.Errorf("key after a failed first use: %d %s", a.status, a.body)
	}
}

func TestPanicIsProviderShaped500(t *testing.T) {
	h, _ := start(t)
	hdr := map[string]string{"X-Gadget-Key": gadgetKey}
	for _, path := range []string{"/gadgets/actions/panic", "/gadgets/actions/txpanic", "/gadget/gadgets/actions/panic"} {
		a := do(t, "POST", h.URL+path, hdr, "")
		if a.status != 500 || a.body != string(gadgetBody("INTERNAL")) {
			t.Errorf("%s: %d %s; want 500 in the gadget envelope", path, a.status, a.body)
		}
		for _, leak := range []string{"goroutine", "SECRET-STACK-MARKER", ".go:", "panic"} {
			if strings.Contains(a.body, leak) {
				t.Errorf("%s: answer leaks %q: %s", path, leak, a.body)
			}
		}
	}
	var state struct {
		State map[string]map[string]map[string]json.RawMessage `json:"state"`
	}
	h.Control("GET", "/state", nil, &state)
	if _, ok := state.State["gadget"]["gadget"]["from-panic"]; ok {
		t.Error("a panicking transaction committed its write")
	}
	// The server keeps serving.
	if a := do(t, "GET", h.URL+"/_fakeprovider/health", nil, ""); a.status != 200 {
		t.Errorf("health after panics: %d", a.status)
	}
}

func TestBodyLimit(t *testing.T) {
	h, _ := start(t, platformtest.WithOptions(func(o *app.Options) { o.MaxBodyBytes = 64 }))
	big := `{"name":"` + strings.Repeat("x", 100) + `"}`
	cases := []struct {
		path, body string
		hdr        map[string]string
		status     int
		want       string
	}{
		{"/widgets", big, defaultWidget, 413, `{"error":"too large"}`},
		{"/gadgets", big, map[string]string{"X-Gadget-Key": gadgetKey}, 413, string(gadgetBody("TOO_LARGE"))},
		{"/widgets", `{"name":"fits"}`, defaultWidget, 201, `"name":"fits"`},
	}
	for _, c := range cases {
		a := do(t, "POST", h.URL+c.path, c.hdr, c.body)
		if a.status != c.status || !strings.Contains(a.body, c.want) {
			t.Errorf("%s (%d bytes): %d %s; want %d %s", c.path, len(c.body), a.status, a.body, c.status, c.want)
		}
	}
}

func TestRequestID(t *testing.T) {
	h, _ := start(t)
	seen := map[string]bool{}
	for _, c := range []struct{ method, path string }{
		{"GET", "/widgets/1"}, {"POST", "/widgets"}, {"GET", "/nothing"}, {"DELETE", "/widgets/1"},
	} {
		a := do(t, c.method, h.URL+c.path, defaultWidget, `{"name":"x"}`)
		id := a.header.Get("X-Request-Id")
		if id == "" || seen[id] {
			t.Errorf("%s %s: X-Request-Id %q (empty or repeated)", c.method, c.path, id)
		}
		seen[id] = true
	}
	var out struct {
		Requests []struct {
			ID   string `json:"id"`
			Path string `json:"path"`
		} `json:"requests"`
	}
	h.Control("GET", "/requests", nil, &out)
	if len(out.Requests) != 4 {
		t.Fatalf("journal: %+v", out.Requests)
	}
	for _, e := range out.Requests {
		if !seen[e.ID] {
			t.Errorf("journal id %s not sent as X-Request-Id", e.ID)
		}
	}
}

func TestCORS(t *testing.T) {
	cases := []struct {
		name       string
		origins    []string
		method     string
		header     map[string]string
		wantStatus int
		wantOrigin string
	}{
		{"preflight any origin", []string{"*"}, "OPTIONS",
			map[string]string{"Origin": "http://app.local", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "X-Key, Content-Type"}, 204, "http://app.local"},
		{"preflight listed origin", []string{"http://a.test", "http://b.test"}, "OPTIONS",
			map[string]string{"Origin": "http://B.test", "Access-Control-Request-Method": "GET"}, 204, "http://B.test"},
		{"preflight other origin", []string{"http://a.test"}, "OPTIONS",
			map[string]string{"Origin": "http://evil.test", "Access-Control-Request-Method": "GET"}, 405, ""},
		{"simple request", []string{"*"}, "GET", map[string]string{"Origin": "http://app.local", "X-Key": platformtest.WidgetKey}, 404, "http://app.local"},
		{"cors off", nil, "OPTIONS", map[string]string{"Origin": "http://app.local", "Access-Control-Request-Method": "GET"}, 405, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, _ := start(t, platformtest.WithOptions(func(o *app.Options) { o.CORSOrigins = c.origins }))
			a := do(t, c.method, h.URL+"/widgets/1", c.header, "")
			if a.status != c.wantStatus || a.header.Get("Access-Control-Allow-Origin") != c.wantOrigin {
				t.Fatalf("%d, Allow-Origin %q; want %d, %q", a.status, a.header.Get("Access-Control-Allow-Origin"), c.wantStatus, c.wantOrigin)
			}
			if c.wantStatus == 204 {
				if !strings.Contains(a.header.Get("Access-Control-Allow-Methods"), c.header["Access-Control-Request-Method"]) {
					t.Errorf("Allow-Methods %q", a.header.Get("Access-Control-Allow-Methods"))
				}
				if rh := c.header["Access-Control-Request-Headers"]; rh != "" && a.header.Get("Access-Control-Allow-Headers") != rh {
					t.Errorf("Allow-Headers %q", a.header.Get("Access-Control-Allow-Headers"))
				}
			}
		})
	}
}

func TestExplainAuthHeader(t *testing.T) {
	for _, explain := range []bool{false, true} {
		t.Run(fmt.Sprint("explain=", explain), func(t *testing.T) {
			h, _ := start(t, platformtest.WithOptions(func(o *app.Options) { o.ExplainAuth = explain }))
			a := do(t, "GET", h.URL+"/widgets/1", widgetKey("nope"), "")
			if a.status != 401 || a.body != `{"error":"unauthorized"}` {
				t.Errorf("client answer %d %s must not depend on --explain-auth", a.status, a.body)
			}
			got := a.header.Get(platform.ExplainHeader)
			if explain != (got != "") || (explain && !strings.Contains(got, `unknown X-Key "nope"`)) {
				t.Errorf("explain=%v: %s %q", explain, platform.ExplainHeader, got)
			}
			// A successful request never carries it.
			if a := do(t, "POST", h.URL+"/widgets", defaultWidget, `{"name":"x"}`); a.header.Get(platform.ExplainHeader) != "" {
				t.Error("explain header on a success")
			}
			// The reason always reaches the journal.
			var out struct {
				Requests []struct {
					Auth struct {
						OK     bool   `json:"ok"`
						Reason string `json:"reason"`
					} `json:"auth"`
				} `json:"requests"`
			}
			h.Control("GET", "/requests?limit=1&provider=widget", nil, &out)
			if len(out.Requests) != 1 || !out.Requests[0].Auth.OK {
				t.Fatalf("journal: %+v", out)
			}
			h.Control("GET", "/requests?limit=2", nil, &out)
			if len(out.Requests) != 2 || out.Requests[1].Auth.OK || !strings.Contains(out.Requests[1].Auth.Reason, "unknown X-Key") {
				t.Errorf("journal auth: %+v", out.Requests)
			}
		})
	}
}

func TestPerProviderListener(t *testing.T) {
	h, _ := start(t, platformtest.WithOptions(func(o *app.Options) {
		o.HostAddrs = map[string]string{"widget": "127.0.0.1:0"}
	}))
	own := h.App.Server.URL("widget")
	if own == "" || own == h.URL {
		t.Fatalf("widget listener %q", own)
	}
	if a := do(t, "POST", own+"/widgets", defaultWidget, `{"name":"solo"}`); a.status != 201 {
		t.Errorf("real path on own port: %d %s", a.status, a.body)
	}
	if a := do(t, "GET", h.URL+"/widgets/1", defaultWidget, ""); a.status != 200 {
		t.Errorf("same state on the shared port: %d", a.status)
	}
	for _, path := range []string{"/gadgets/1", "/_fakeprovider/health", "/widget/widgets/1"} {
		if a := do(t, "GET", own+path, map[string]string{"X-Gadget-Key": gadgetKey, "X-Key": platformtest.WidgetKey}, ""); a.status != 404 {
			t.Errorf("%s on the widget port: %d, want 404", path, a.status)
		}
	}
	_, err := app.New(context.Background(), app.Options{Addr: "127.0.0.1:0", HostAddrs: map[string]string{"nope": "127.0.0.1:0"}},
		[]platform.Provider{platformtest.NewWidget()})
	if err == nil || !strings.Contains(err.Error(), "unknown provider") {
		t.Errorf("listener for an unknown provider: %v", err)
	}
}

// Graceful shutdown: an in-flight request finishes, new ones are refused.
func TestGracefulShutdown(t *testing.T) {
	h, g := start(t)
	got := make(chan answer, 1)
	go func() {
		req, _ := http.NewRequest("GET", h.URL+"/gadgets/actions/slow", nil)
		req.Header.Set("X-Gadget-Key", gadgetKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- answer{status: -1, body: err.Error()}
			return
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		got <- answer{status: resp.StatusCode, body: string(raw)}
	}()
	select {
	case <-g.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("slow request never reached the handler")
	}
	stopped := make(chan struct{})
	go func() { h.Stop(); close(stopped) }()
	// The listener closes while the request is in flight.
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(h.URL + "/_fakeprovider/health")
		if err != nil {
			break
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("server still accepting requests 10s after shutdown began")
		}
		time.Sleep(5 * time.Millisecond) // polling, not a correctness sleep
	}
	select {
	case <-stopped:
		t.Fatal("shutdown finished before the in-flight request")
	default:
	}
	close(g.release)
	a := <-got
	if a.status != 200 || !strings.Contains(a.body, `"done":true`) {
		t.Errorf("in-flight request: %d %s", a.status, a.body)
	}
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("shutdown did not finish")
	}
}

func TestPrefixedRequestsJournaledWithProvider(t *testing.T) {
	h, _ := start(t)
	do(t, "POST", h.URL+"/widget/widgets", map[string]string{"X-Key": platformtest.WidgetKey, "Content-Type": "application/json"},
		`{"name":"x","owner":{"profile":{"login":"ann","password":"hunter2"}},"note":"card 4111 1111 1111 1111 cvv 123, ssn 123-45-6789"}`)
	var out struct {
		Requests []map[string]any `json:"requests"`
	}
	h.Control("GET", "/requests", nil, &out)
	if len(out.Requests) != 1 {
		t.Fatalf("%+v", out)
	}
	e := out.Requests[0]
	if e["provider"] != "widget" || e["tenant"] != "default" || e["path"] != "/widget/widgets" || e["status"] != float64(201) {
		t.Errorf("entry %v", e)
	}
	raw, _ := json.Marshal(e)
	for _, secret := range []string{"hunter2", "4111 1111 1111 1111", "123-45-6789"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("journal entry shows %q in clear: %s", secret, raw)
		}
	}
	if !bytes.Contains(raw, []byte(`ann`)) {
		t.Errorf("journal entry lost the non-secret fields: %s", raw)
	}
}

// A plain-HTTP route that panics gets the platform's neutral 500 (the
// provider's writer is not involved), still without a stack.
func TestPanicInHTTPRoute(t *testing.T) {
	h, _ := start(t)
	if a := do(t, "GET", h.URL+"/gadgets/actions/page", nil, ""); a.status != 200 || a.body != "<h1>gadget</h1>" {
		t.Errorf("page: %d %s", a.status, a.body)
	}
	a := do(t, "GET", h.URL+"/gadgets/actions/page?panic=1", nil, "")
	if a.status != 500 || strings.Contains(a.body, "SECRET-STACK-MARKER") || strings.Contains(a.body, "goroutine") {
		t.Errorf("panicking page: %d %s", a.status, a.body)
	}
	a.json(t)
	var out struct {
		Requests []struct {
			Provider string `json:"provider"`
			Status   int    `json:"status"`
		} `json:"requests"`
	}
	h.Control("GET", "/requests?limit=1", nil, &out)
	if len(out.Requests) != 1 || out.Requests[0].Provider != "gadget" || out.Requests[0].Status != 500 {
		t.Errorf("journal of the panicking page: %+v", out.Requests)
	}
}

// A provider's own control endpoint under /_fakeprovider/<provider>/.
func TestProviderControlEndpoint(t *testing.T) {
	h, _ := start(t)
	key := map[string]string{"X-Gadget-Key": gadgetKey}
	do(t, "POST", h.URL+"/gadgets", key, `{"label":"old"}`)
	tid := h.NewTenant()
	cases := []struct {
		path, body string
		status     int
		has        string
	}{
		{"/_fakeprovider/gadget/gadgets/1/label", `{"label":"new"}`, 202, `"label": "new"`},
		{"/_fakeprovider/gadget/gadgets/9/label", `{"label":"new"}`, 404, `no gadget`},
		{"/_fakeprovider/gadget/gadgets/1/label", `{}`, 400, `needs a label`},
		{"/_fakeprovider/gadget/gadgets/1/label?tenant=" + tid, `{"label":"x"}`, 404, `no gadget`}, // other tenant
		{"/_fakeprovider/gadget/gadgets/1/label?tenant=nope", `{"label":"x"}`, 404, `no tenant`},
	}
	for _, c := range cases {
		a := do(t, "POST", h.URL+c.path, nil, c.body)
		if a.status != c.status || !strings.Contains(a.body, c.has) {
			t.Errorf("POST %s %s: %d %s; want %d with %s", c.path, c.body, a.status, a.body, c.status, c.has)
		}
	}
	if a := do(t, "GET", h.URL+"/gadgets/1", key, ""); !strings.Contains(a.body, `"label":"new"`) {
		t.Errorf("after the control call: %s", a.body)
	}
}

// Fault rules: latency, a dropped connection, and a status with a verbatim body.
func TestFaults(t *testing.T) {
	h, _ := start(t)
	key := map[string]string{"X-Gadget-Key": gadgetKey}
	add := func(rule map[string]any) {
		t.Helper()
		if st := h.Control("POST", "/faults", rule, nil); st != 201 {
			t.Fatalf("add fault %v: %d", rule, st)
		}
	}
	add(map[string]any{"provider": "gadget", "path": "/gadgets/*", "drop": true, "count": 1})
	req, _ := http.NewRequest("GET", h.URL+"/gadget/gadgets/1", nil)
	req.Header.Set("X-Gadget-Key", gadgetKey)
	// A fresh connection: on a reused one the client would retry the GET.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := fresh.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("dropped connection answered %d", resp.StatusCode)
	}
	add(map[string]any{"provider": "gadget", "status": 418, "body": `{"custom":true}`, "count": 1})
	if a := do(t, "GET", h.URL+"/gadgets/1", key, ""); a.status != 418 || a.body != `{"custom":true}` {
		t.Errorf("status fault: %d %s", a.status, a.body)
	}
	add(map[string]any{"provider": "gadget", "latency": "30ms", "count": 1})
	start := time.Now()
	if a := do(t, "GET", h.URL+"/gadgets/1", key, ""); a.status != 404 {
		t.Errorf("latency fault: %d %s", a.status, a.body)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("latency fault took %v", d)
	}
	// Faults apply to verified calls only: a bad key gets the auth error.
	add(map[string]any{"status": 500, "count": 1})
	if a := do(t, "GET", h.URL+"/gadgets/1", map[string]string{"X-Gadget-Key": "bad"}, ""); a.status != 403 {
		t.Errorf("unauthenticated call with a fault pending: %d %s", a.status, a.body)
	}
	var out struct {
		Requests []struct {
			Fault string `json:"fault"`
		} `json:"requests"`
	}
	h.Control("GET", "/requests?limit=2", nil, &out)
	if len(out.Requests) != 2 || out.Requests[1].Fault == "" {
		t.Errorf("journal does not name the fault: %+v", out.Requests)
	}
}

// The same idempotent request sent at the real path, under /<provider>/ or
// with a trailing slash is one request: its key replays the first answer.
func TestIdempotencyAcrossPathForms(t *testing.T) {
	h, _ := start(t)
	key := map[string]string{"X-Gadget-Key": gadgetKey, "Idempotency-Key": "forms"}
	first := do(t, "POST", h.URL+"/gadgets", key, `{"label":"once"}`)
	for _, path := range []string{"/gadget/gadgets", "/gadgets/", "/gadget/gadgets/"} {
		if a := do(t, "POST", h.URL+path, key, `{"label":"once"}`); a.status != first.status || a.body != first.body {
			t.Errorf("replay at %s: %d %s, want %d %s", path, a.status, a.body, first.status, first.body)
		}
	}
}
