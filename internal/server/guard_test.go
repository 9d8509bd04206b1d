package server_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// doHost is do with an explicit Host header.
func doHost(t *testing.T, method, url, host string, header map[string]string, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return answer{resp.StatusCode, resp.Header, b.String()}
}

// A web page the user opens cannot change the emulator's state: a
// state-changing control call with a foreign Origin or Referer, or a body
// type a form sends without a preflight from a browser, is refused with a
// reason and changes nothing. curl and SDKs (no browser headers) and the
// emulator's own pages keep working.
func TestControlRefusesForeignPages(t *testing.T) {
	h, _ := start(t)
	port := h.URL[strings.LastIndexByte(h.URL, ':')+1:]
	if a := do(t, "POST", h.URL+"/widgets", defaultWidget, `{"name":"keep"}`); a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	refused := []struct {
		name   string
		path   string
		header map[string]string
		body   string
		want   string // in the message
	}{
		{"form from a foreign origin", "/reset", map[string]string{"Content-Type": "text/plain", "Origin": "http://evil.example"}, "x", `Origin "http://evil.example"`},
		{"json from a foreign origin", "/reset", map[string]string{"Content-Type": "application/json", "Origin": "http://evil.example"}, "{}", "Origin"},
		{"opaque origin", "/reset", map[string]string{"Origin": "null"}, "", `Origin "null"`},
		{"another local app", "/reset", map[string]string{"Origin": "http://localhost:3000"}, "", "localhost:3000"},
		{"foreign referer", "/reset", map[string]string{"Referer": "http://evil.example/page"}, "", "(Referer)"},
		{"fault from a foreign origin", "/faults", map[string]string{"Content-Type": "text/plain", "Origin": "http://evil.example"}, `{"status":500}`, "Origin"},
		{"form type from a browser without origin", "/reset", map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site"}, "a=b", "without a CORS preflight"},
		{"multipart from the own page", "/reset", map[string]string{"Content-Type": "multipart/form-data; boundary=x", "Origin": h.URL}, "--x--", "multipart/form-data"},
		{"text from the own page", "/clock/advance", map[string]string{"Content-Type": "text/plain;charset=UTF-8", "Origin": h.URL}, `{"by":"1h"}`, "text/plain"},
	}
	for _, c := range refused {
		a := do(t, "POST", h.URL+"/_fakeprovider"+c.path, c.header, c.body)
		msg, _ := a.json(t)["message"].(string)
		if a.status != http.StatusForbidden || a.json(t)["error"] != "cross_origin_refused" || !strings.Contains(msg, c.want) {
			t.Errorf("%s: %d %s", c.name, a.status, a.body)
		}
		if a.header.Get("Access-Control-Allow-Origin") != "" && c.header["Origin"] != h.URL {
			t.Errorf("%s: CORS allowed for %s", c.name, c.header["Origin"])
		}
	}
	if a := do(t, "GET", h.URL+"/widgets/1", defaultWidget, ""); a.status != 200 {
		t.Errorf("the widget is gone after refused resets: %d %s", a.status, a.body)
	}
	var faults struct {
		Faults []any `json:"faults"`
	}
	if h.Control("GET", "/faults", nil, &faults); len(faults.Faults) != 0 {
		t.Errorf("a refused call added a fault: %v", faults.Faults)
	}
	var clock struct {
		Offset string `json:"offset"`
	}
	if h.Control("GET", "/clock", nil, &clock); clock.Offset != "0s" {
		t.Errorf("a refused advance moved the clock: %s", clock.Offset)
	}

	allowed := []struct {
		name   string
		header map[string]string
		body   string
	}{
		{"curl -d (form type, no browser header)", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, `{"by":"1m"}`},
		{"the inspector (own origin, JSON)", map[string]string{"Content-Type": "application/json", "Origin": h.URL, "Sec-Fetch-Site": "same-origin"}, `{"by":"1m"}`},
		{"own page under another loopback name", map[string]string{"Content-Type": "application/json", "Origin": "http://localhost:" + port}, `{"by":"1m"}`},
		{"own referer", map[string]string{"Content-Type": "application/json", "Referer": h.URL + "/_fakeprovider/ui"}, `{"by":"1m"}`},
	}
	for _, c := range allowed {
		if a := do(t, "POST", h.URL+"/_fakeprovider/clock/advance", c.header, c.body); a.status != 200 {
			t.Errorf("%s: %d %s", c.name, a.status, a.body)
		}
	}
}

// The control API answers only for Host names the emulator is (DNS
// rebinding: attacker.example resolving to 127.0.0.1); provider routes
// answer any Host (clients reach them under the real providers' names).
func TestControlHostCheck(t *testing.T) {
	h, _ := start(t, platformtest.WithOptions(func(o *app.Options) { o.AllowedHosts = []string{"emulator.ci.example", ".corp.test"} }))
	hostname, _ := os.Hostname()
	ok := []string{"localhost", "LOCALHOST:8080", "localhost.", "app.localhost:9", "127.0.0.1", "127.0.0.1:1", "127.1.2.3",
		"[::1]", "[::1]:8080", "[0:0:0:0:0:0:0:1]:8080", "[::ffff:127.0.0.1]", "2130706433", "0x7f.1", "0177.0.0.1:8080",
		"10.1.2.3:8080", "[fe80::1%25eth0]", "fakeprovider:8080", "host.docker.internal", "emulator.ci.example:8080", "corp.test", "a.b.corp.test:80", hostname}
	for _, host := range ok {
		if a := doHost(t, "GET", h.URL+"/_fakeprovider/tenants", host, nil, ""); a.status != 200 {
			t.Errorf("Host %q refused: %d %s", host, a.status, a.body)
		}
	}
	bad := []string{"attacker.example", "attacker.example:8080", "localhost.attacker.example", "127.0.0.1.nip.io",
		"xcorp.test", "fakeprovider.attacker.example", "0x7f.1.attacker", "ci.example", "internal.attacker.example"}
	for _, host := range bad {
		a := doHost(t, "GET", h.URL+"/_fakeprovider/tenants", host, nil, "")
		if a.status != http.StatusForbidden || !strings.Contains(a.body, "--allowed-hosts") || strings.Contains(a.body, platformtest.WidgetKey) {
			t.Errorf("Host %q: %d %s", host, a.status, a.body)
		}
	}
	if a := doHost(t, "GET", h.URL+"/widgets/1", "api.widget.example", defaultWidget, ""); a.status != 404 || a.json(t)["error"] == "forbidden_host" {
		t.Errorf("provider route under another Host: %d %s", a.status, a.body)
	}
}

// Control answers carry CORS headers only for the emulator's own origins,
// whatever --cors-origins says (which the provider APIs keep).
func TestControlCORSOnlyOwnOrigin(t *testing.T) {
	h, _ := start(t, platformtest.WithOptions(func(o *app.Options) { o.CORSOrigins = []string{"*"} }))
	pre := func(origin string) map[string]string {
		return map[string]string{"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
	}
	if a := do(t, "OPTIONS", h.URL+"/_fakeprovider/reset", pre("http://evil.example"), ""); a.header.Get("Access-Control-Allow-Origin") != "" || a.status == 204 {
		t.Errorf("foreign preflight: %d %v", a.status, a.header)
	}
	if a := do(t, "GET", h.URL+"/_fakeprovider/tenants", map[string]string{"Origin": "http://evil.example"}, ""); a.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("foreign GET readable: %v", a.header)
	}
	if a := do(t, "OPTIONS", h.URL+"/_fakeprovider/reset", pre(h.URL), ""); a.status != 204 || a.header.Get("Access-Control-Allow-Origin") != h.URL {
		t.Errorf("own preflight: %d %v", a.status, a.header)
	}
	if a := do(t, "OPTIONS", h.URL+"/widgets/1", pre("http://evil.example"), ""); a.status != 204 || a.header.Get("Access-Control-Allow-Origin") != "http://evil.example" {
		t.Errorf("provider preflight with --cors-origins *: %d %v", a.status, a.header)
	}
}

// With a control token, every control call needs it, except health, the
// inspector's page (which then shows no data) and the OpenAPI document.
func TestControlToken(t *testing.T) {
	const token = "s3cr3t-control-token"
	h, _ := start(t, platformtest.WithOptions(func(o *app.Options) { o.ControlToken = token }))
	for _, c := range []struct {
		method, path string
		header       map[string]string
		want         int
	}{
		{"GET", "/tenants", nil, 401},
		{"GET", "/tenants", map[string]string{"Authorization": "Bearer wrong"}, 401},
		{"GET", "/tenants", map[string]string{"Authorization": "Bearer " + token}, 200},
		{"GET", "/tenants", map[string]string{"Authorization": "bearer " + token}, 200},
		{"GET", "/tenants", map[string]string{"X-Fakeprovider-Token": token}, 200},
		{"POST", "/reset", nil, 401},
		{"POST", "/ui", nil, 401},
		{"GET", "/health", nil, 200},
		{"GET", "/openapi.json", nil, 200},
		{"GET", "/ui/assets/inspector.js", nil, 200},
	} {
		a := do(t, c.method, h.URL+"/_fakeprovider"+c.path, c.header, "")
		if a.status != c.want && !(c.want == 401 && a.status == 405 && c.path == "/ui") {
			t.Errorf("%s %s %v: %d, want %d: %s", c.method, c.path, c.header, a.status, c.want, a.body)
		}
		if a.status == 401 && (a.header.Get("WWW-Authenticate") == "" || !strings.Contains(a.body, "--control-token")) {
			t.Errorf("%s %s: 401 without a challenge or a hint: %v %s", c.method, c.path, a.header, a.body)
		}
	}
	page := do(t, "GET", h.URL+"/_fakeprovider/ui", nil, "")
	if page.status != 200 || !strings.Contains(page.body, "data-locked") || strings.Contains(page.body, platformtest.WidgetKey) {
		t.Errorf("the page without the token: %d locked=%v", page.status, strings.Contains(page.body, "data-locked"))
	}
	if page.header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("the inspector may be framed: %v", page.header)
	}
	full := do(t, "GET", h.URL+"/_fakeprovider/ui", map[string]string{"Authorization": "Bearer " + token}, "")
	if strings.Contains(full.body, "data-locked") || !strings.Contains(full.body, "default") {
		t.Errorf("the page with the token is locked")
	}
}

// A request header over the bound is refused with 431 before any handler
// runs; real clients' headers fit easily.
func TestMaxHeaderBytes(t *testing.T) {
	h, _ := start(t)
	if a := do(t, "GET", h.URL+"/widgets/1", map[string]string{"X-Key": platformtest.WidgetKey, "X-Big": strings.Repeat("a", 1<<20)}, ""); a.status != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("1 MiB header: %d", a.status)
	}
	if a := do(t, "GET", h.URL+"/widgets/1", map[string]string{"X-Key": platformtest.WidgetKey, "X-Big": strings.Repeat("a", 48<<10)}, ""); a.status == http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("48 KiB header refused")
	}
}
