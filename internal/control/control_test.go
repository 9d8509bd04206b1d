package control_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

type answer struct {
	status int
	header http.Header
	body   []byte
}

func call(t *testing.T, method, url, body string, header map[string]string) answer {
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
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, raw}
}

func newHarness(t *testing.T) *platformtest.Harness {
	t.Helper()
	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()})
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	return h
}

func createWidget(t *testing.T, h *platformtest.Harness, key, name string) {
	t.Helper()
	a := call(t, "POST", h.URL+"/widgets", `{"name":"`+name+`","amount":10,"password":"hunter2"}`,
		map[string]string{"X-Key": key, "Content-Type": "application/json"})
	if a.status != 201 {
		t.Fatalf("create widget: %d %s", a.status, a.body)
	}
}

func decode(t *testing.T, a answer, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("decode %q: %v", a.body, err)
	}
}

// Each control endpoint answers with its documented status and shape; the
// shapes are guarded by golden files.
func TestControlEndpoints(t *testing.T) {
	h := newHarness(t)
	var created map[string]json.RawMessage
	a := call(t, "POST", h.URL+"/_fakeprovider/tenants", "", nil)
	checkGolden(t, "tenants_post", a.status, a.body)
	if a.status != 201 {
		t.Fatalf("POST tenants: %d %s", a.status, a.body)
	}
	decode(t, a, &created)
	var tid string
	json.Unmarshal(created["tenant"], &tid)
	var wc platformtest.WidgetCreds
	json.Unmarshal(created["widget"], &wc)

	createWidget(t, h, platformtest.WidgetKey, "mine")
	createWidget(t, h, wc.Key, "theirs")
	call(t, "GET", h.URL+"/widgets/1", "", map[string]string{"X-Key": "bad"})

	cases := []struct {
		golden, method, path string
		status               int
		check                func(t *testing.T, a answer)
	}{
		{"health", "GET", "/health", 200, func(t *testing.T, a answer) {
			var v map[string]string
			decode(t, a, &v)
			if v["status"] != "ok" || v["version"] != app.Version {
				t.Errorf("health %v", v)
			}
		}},
		{"", "HEAD", "/health", 200, nil},
		{"credentials", "GET", "/credentials", 200, func(t *testing.T, a answer) {
			var v struct {
				Tenant string                   `json:"tenant"`
				Widget platformtest.WidgetCreds `json:"widget"`
			}
			decode(t, a, &v)
			if v.Tenant != "default" || v.Widget.Key != platformtest.WidgetKey {
				t.Errorf("credentials %+v", v)
			}
		}},
		{"", "GET", "/credentials?tenant=" + tid, 200, func(t *testing.T, a answer) {
			var v map[string]json.RawMessage
			decode(t, a, &v)
			if string(v["tenant"]) != `"`+tid+`"` || string(v["widget"]) != string(created["widget"]) {
				t.Errorf("credentials of %s: %s", tid, a.body)
			}
		}},
		{"error_unknown_tenant", "GET", "/credentials?tenant=nope", 404, nil},
		{"tenants_get", "GET", "/tenants", 200, func(t *testing.T, a answer) {
			var v struct {
				Tenants []struct {
					Tenant string `json:"tenant"`
				} `json:"tenants"`
			}
			decode(t, a, &v)
			if len(v.Tenants) != 2 || v.Tenants[0].Tenant != "default" || v.Tenants[1].Tenant != tid {
				t.Errorf("tenants %s", a.body)
			}
		}},
		{"requests", "GET", "/requests", 200, func(t *testing.T, a answer) {
			var v struct {
				Requests []map[string]any `json:"requests"`
			}
			decode(t, a, &v)
			if len(v.Requests) != 3 {
				t.Fatalf("%d requests (control calls are not journaled): %s", len(v.Requests), a.body)
			}
			for _, k := range []string{"id", "time", "provider", "tenant", "method", "path", "status", "duration_ms", "auth"} {
				if _, ok := v.Requests[0][k]; !ok {
					t.Errorf("request entry without %q", k)
				}
			}
			if strings.Contains(string(a.body), "hunter2") {
				t.Error("journal shows a password in clear")
			}
		}},
		{"", "GET", "/requests?limit=1", 200, func(t *testing.T, a answer) {
			if n := strings.Count(string(a.body), `"id"`); n != 1 {
				t.Errorf("limit=1: %d entries", n)
			}
		}},
		{"", "GET", "/requests?tenant=" + tid, 200, func(t *testing.T, a answer) {
			if n := strings.Count(string(a.body), `"id"`); n != 1 || !strings.Contains(string(a.body), tid) {
				t.Errorf("tenant filter: %s", a.body)
			}
		}},
		{"", "GET", "/requests?provider=nope", 200, func(t *testing.T, a answer) {
			if !strings.Contains(string(a.body), `"requests": []`) {
				t.Errorf("provider filter: %s", a.body)
			}
		}},
		{"error_bad_limit", "GET", "/requests?limit=0", 400, nil},
		{"", "GET", "/requests?limit=x", 400, nil},
		{"state", "GET", "/state", 200, func(t *testing.T, a answer) {
			var v struct {
				Tenant string                                                     `json:"tenant"`
				State  map[string]map[string]map[string]platformtest.WidgetRecord `json:"state"`
			}
			decode(t, a, &v)
			if v.Tenant != "default" || v.State["widget"]["widget"]["1"].Name != "mine" || len(v.State["widget"]["widget"]) != 1 {
				t.Errorf("state %s", a.body)
			}
		}},
		{"", "GET", "/state?tenant=" + tid + "&provider=widget", 200, func(t *testing.T, a answer) {
			if !strings.Contains(string(a.body), "theirs") || strings.Contains(string(a.body), "mine") {
				t.Errorf("state of %s: %s", tid, a.body)
			}
		}},
		{"", "GET", "/state?provider=nope", 200, func(t *testing.T, a answer) {
			if strings.Contains(string(a.body), "mine") {
				t.Errorf("state of another provider: %s", a.body)
			}
		}},
		{"", "GET", "/state?tenant=nope", 404, nil},
		{"routes", "GET", "/routes", 200, func(t *testing.T, a answer) {
			var v struct {
				Routes        []map[string]string `json:"routes"`
				InferredCount int                 `json:"inferred_count"`
			}
			decode(t, a, &v)
			want := map[string]string{"provider": "widget", "host": "widget", "method": "GET", "path": "/widgets/{id}/summary",
				"prefixed_path": "/widget/widgets/{id}/summary", "name": "widgets.summary", "inferred": "a test route whose answer is inferred"}
			found := false
			for _, r := range v.Routes {
				if r["path"] == want["path"] {
					found = true
					for k, w := range want {
						if r[k] != w {
							t.Errorf("route %s: %s = %q, want %q", want["path"], k, r[k], w)
						}
					}
				} else if r["inferred"] != "" {
					t.Errorf("documented route %s listed as inferred: %q", r["path"], r["inferred"])
				}
			}
			if !found || len(v.Routes) != 3 || v.InferredCount != 1 {
				t.Errorf("routes %s", a.body)
			}
		}},
		{"", "GET", "/routes?inferred=true", 200, func(t *testing.T, a answer) {
			if n := strings.Count(string(a.body), `"method"`); n != 1 {
				t.Errorf("inferred filter: %s", a.body)
			}
		}},
		{"", "GET", "/routes?provider=nope", 200, func(t *testing.T, a answer) {
			if !strings.Contains(string(a.body), `"routes": []`) {
				t.Errorf("provider filter: %s", a.body)
			}
		}},
		{"clock", "GET", "/clock", 200, nil},
		{"faults", "GET", "/faults", 200, nil},
		{"error_reset_unknown_tenant", "POST", "/reset?tenant=nope", 404, nil},
		{"", "POST", "/reset?tenant=" + tid, 204, func(t *testing.T, a answer) {
			if len(a.body) != 0 {
				t.Errorf("204 with a body %q", a.body)
			}
			var st struct {
				State map[string]map[string]map[string]json.RawMessage `json:"state"`
			}
			h.Control("GET", "/state?tenant="+tid, nil, &st)
			if len(st.State["widget"]["widget"]) != 0 {
				t.Errorf("reset tenant still has widgets: %v", st.State)
			}
			h.Control("GET", "/state", nil, &st)
			if len(st.State["widget"]["widget"]) != 1 {
				t.Errorf("default tenant lost its widget: %v", st.State)
			}
		}},
		{"", "POST", "/reset", 204, func(t *testing.T, a answer) {
			var st struct {
				State map[string]map[string]map[string]json.RawMessage `json:"state"`
			}
			h.Control("GET", "/state", nil, &st)
			if len(st.State["widget"]["widget"]) != 0 {
				t.Errorf("reset all left widgets: %v", st.State)
			}
			var cr map[string]any
			if h.Control("GET", "/credentials?tenant="+tid, nil, &cr) != 200 {
				t.Error("reset all dropped a tenant")
			}
		}},
	}
	for _, c := range cases {
		name := c.method + " " + c.path
		t.Run(name, func(t *testing.T) {
			a := call(t, c.method, h.URL+"/_fakeprovider"+c.path, "", nil)
			if a.status != c.status {
				t.Fatalf("%s: %d %s, want %d", name, a.status, a.body, c.status)
			}
			if c.method != "HEAD" && a.status != 204 && !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type %q", a.header.Get("Content-Type"))
			}
			if a.header.Get("X-Request-Id") != "" {
				t.Error("control answers are not journaled and carry no request id")
			}
			if c.golden != "" {
				checkGolden(t, c.golden, a.status, a.body)
			}
			if c.check != nil {
				c.check(t, a)
			}
		})
	}
}

// The journal is bounded by the configured size, newest first.
func TestRequestsRingBound(t *testing.T) {
	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()},
		platformtest.WithOptions(func(o *app.Options) { o.JournalSize = 3 }))
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	for _, id := range []string{"1", "2", "3", "4", "5"} {
		call(t, "GET", h.URL+"/widgets/"+id, "", map[string]string{"X-Key": platformtest.WidgetKey})
	}
	var v struct {
		Requests []struct {
			Path string `json:"path"`
		} `json:"requests"`
	}
	h.Control("GET", "/requests?limit=100", nil, &v)
	var got []string
	for _, r := range v.Requests {
		got = append(got, r.Path)
	}
	if strings.Join(got, " ") != "/widgets/5 /widgets/4 /widgets/3" {
		t.Errorf("journal %v", got)
	}
}

// Credentials overrides (inline JSON and a file) shape the default tenant.
func TestCredentialOverrides(t *testing.T) {
	file := t.TempDir() + "/creds.json"
	if err := writeFile(file, `{"tenant":"ignored","widget":{"key":"from-file"}}`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, src, want string }{
		{"inline", `{"widget":{"key":"inline-key"}}`, "inline-key"},
		{"file", file, "from-file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()},
				platformtest.WithOptions(func(o *app.Options) { o.Credentials = c.src }))
			t.Cleanup(http.DefaultClient.CloseIdleConnections)
			var v struct {
				Widget platformtest.WidgetCreds `json:"widget"`
			}
			h.Control("GET", "/credentials", nil, &v)
			if v.Widget.Key != c.want {
				t.Errorf("key %q, want %q", v.Widget.Key, c.want)
			}
			if a := call(t, "POST", h.URL+"/widgets", `{"name":"x"}`, map[string]string{"X-Key": c.want}); a.status != 201 {
				t.Errorf("overridden key does not authenticate: %d", a.status)
			}
		})
	}
	for _, src := range []string{`{"nope":{}}`, `{bad`, "/does/not/exist.json"} {
		_, err := app.New(t.Context(), app.Options{Addr: "127.0.0.1:0", Credentials: src}, []platform.Provider{platformtest.NewWidget()})
		if err == nil {
			t.Errorf("credentials %q accepted", src)
		}
	}
}
