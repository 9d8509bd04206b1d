package openapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gorilla/mux"

	"github.com/fakeprovider/fakeprovider/controlapi"
	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/control"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

const widgetScenario = `version: 1
name: widget-done-later
provider: widget
on: widget.created
match:
  - {field: name, equals: later}
steps:
  - after: 1h
    status: done
`

func init() {
	for _, ct := range []string{"text/html", "text/javascript", "text/css"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
	}
}

func providers() []platform.Provider {
	return append(app.Providers(), platformtest.NewWidget())
}

// loadDoc fetches /_fakeprovider/openapi.json from a running server and
// validates it as an OpenAPI 3 document.
func loadDoc(t *testing.T, h *platformtest.Harness) *openapi3.T {
	t.Helper()
	resp, err := http.Get(h.URL + "/_fakeprovider/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("validate: %v", err)
	}
	return doc
}

const anyStatus = -1

type call struct {
	method, path, ctype, body string
	want                      int
	// invalid: the request breaks the document on purpose (the handler
	// must refuse it too).
	invalid bool
}

// TestHandlersMatchDocument calls every control endpoint of a real server
// and validates each request and answer against the document.
func TestHandlersMatchDocument(t *testing.T) {
	h := platformtest.New(t, providers())
	rcv := platformtest.NewReceiver(t)
	doc := loadDoc(t, h)
	doc.Servers = openapi3.Servers{{URL: h.URL + "/_fakeprovider"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	do := func(c call) []byte {
		t.Helper()
		newReq := func() *http.Request {
			var rd io.Reader
			if c.body != "" {
				rd = strings.NewReader(c.body)
			}
			req, err := http.NewRequest(c.method, h.URL+"/_fakeprovider"+c.path, rd)
			if err != nil {
				t.Fatal(err)
			}
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			return req
		}
		req := newReq()
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s %s: not in the document: %v", c.method, c.path, err)
		}
		covered[strings.ToUpper(c.method)+" "+route.Path] = true
		ctx := context.Background()
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if err := openapi3filter.ValidateRequest(ctx, in); c.invalid && err == nil {
			t.Errorf("%s %s %s: the document accepts a request meant to be invalid", c.method, c.path, c.body)
		} else if err != nil && !c.invalid {
			t.Errorf("%s %s: request does not match the document: %v", c.method, c.path, err)
		}
		resp, err := http.DefaultClient.Do(newReq())
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if c.want == anyStatus && resp.StatusCode < 500 {
			// a provider control: whatever it answers, short of failing
		} else if resp.StatusCode != c.want {
			t.Fatalf("%s %s: status %d, want %d: %s", c.method, c.path, resp.StatusCode, c.want, raw)
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
			Body: io.NopCloser(bytes.NewReader(raw)), Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			t.Errorf("%s %s: answer does not match the document: %v\n%s", c.method, c.path, err, raw)
		}
		return raw
	}
	id := func(raw []byte, field string) string {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		s, _ := m[field].(string)
		return s
	}

	do(call{method: "GET", path: "/health", want: 200})
	do(call{method: "HEAD", path: "/health", want: 200})
	do(call{method: "GET", path: "/credentials", want: 200})
	do(call{method: "GET", path: "/credentials?tenant=nope", want: 404})
	tenant := id(do(call{method: "POST", path: "/tenants", want: 201}), "tenant")
	do(call{method: "GET", path: "/tenants", want: 200})
	do(call{method: "GET", path: "/clock?tenant=" + tenant, want: 200})
	do(call{method: "POST", path: "/scenarios", ctype: "application/yaml", body: widgetScenario, want: 201})
	do(call{method: "POST", path: "/scenarios", ctype: "application/yaml", body: "version: 1\nname: widget-x\nprovider: widget\non: widget.made\nsteps: [{stop: true}]\n", want: 422})
	do(call{method: "GET", path: "/scenarios", want: 200})

	// A widget whose scenario makes a webhook after 10s.
	req, _ := http.NewRequest("POST", h.URL+"/widgets", strings.NewReader(`{"name":"later","callback_url":"`+rcv.URL+`/hook"}`))
	req.Header.Set("X-Key", platformtest.WidgetKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("create widget: %v %v", err, resp)
	}
	resp.Body.Close()
	do(call{method: "GET", path: "/scenarios/runs?provider=widget", want: 200})
	do(call{method: "POST", path: "/clock/advance", ctype: "application/json", body: `{"by":"2h"}`, want: 200})
	do(call{method: "POST", path: "/clock/advance", ctype: "application/json", body: `{"by":"1m","tenant":"` + tenant + `"}`, want: 200})
	do(call{method: "POST", path: "/clock/advance", ctype: "application/json", body: `{}`, want: 400, invalid: true})
	do(call{method: "POST", path: "/scenarios/widget-done-later/trigger", ctype: "application/json", body: `{"id":"1"}`, want: 201})
	do(call{method: "POST", path: "/scenarios/widget-done-later/trigger", ctype: "application/json", body: `{"id":"1","tenant":"nope"}`, want: 404})
	var list struct {
		Webhooks []struct {
			ID string `json:"id"`
		} `json:"webhooks"`
	}
	json.Unmarshal(do(call{method: "GET", path: "/webhooks?provider=widget", want: 200}), &list)
	if len(list.Webhooks) == 0 {
		t.Fatal("no webhook delivery")
	}
	wid := list.Webhooks[0].ID
	do(call{method: "GET", path: "/webhooks/" + wid, want: 200})
	do(call{method: "POST", path: "/webhooks/" + wid + "/resend", want: 200})
	do(call{method: "GET", path: "/webhooks/nope", want: 404})
	do(call{method: "POST", path: "/webhooks/nope/resend", want: 404})
	do(call{method: "GET", path: "/webhooks?status=delivered&limit=5", want: 200})
	do(call{method: "GET", path: "/requests?limit=5", want: 200})
	do(call{method: "GET", path: "/requests?provider=widget", want: 200})
	do(call{method: "GET", path: "/requests?method=GET&status=4xx&auth=failed&path_prefix=/widgets&text=x&since=2020-01-01T00:00:00Z&offset=1", want: 200})
	do(call{method: "GET", path: "/requests/count?provider=widget&unmatched=true", want: 200})
	do(call{method: "POST", path: "/requests/count", ctype: "application/json", body: `{"method":"POST","status":201}`, want: 200})
	do(call{method: "POST", path: "/requests/find", ctype: "application/json", body: `{"path_prefix":"/widgets","status":"2xx","limit":2}`, want: 200})
	do(call{method: "POST", path: "/requests/find", ctype: "application/json", body: `{"colour":"red"}`, want: 400, invalid: true})
	if resp, err := http.Get(h.URL + "/widgetz"); err == nil { // an unmatched provider request
		resp.Body.Close()
	}
	do(call{method: "GET", path: "/requests/unmatched", want: 200})
	var page struct {
		Requests []struct {
			ID string `json:"id"`
		} `json:"requests"`
	}
	json.Unmarshal(do(call{method: "GET", path: "/requests?limit=1", want: 200}), &page)
	if len(page.Requests) == 1 {
		do(call{method: "GET", path: "/requests/" + page.Requests[0].ID, want: 200})
	}
	do(call{method: "GET", path: "/requests/nope", want: 404})
	do(call{method: "GET", path: "/state", want: 200})
	do(call{method: "GET", path: "/routes", want: 200})
	do(call{method: "GET", path: "/routes?provider=widget&inferred=true", want: 200})
	do(call{method: "GET", path: "/state?provider=widget&tenant=" + tenant, want: 200})
	fault := id(do(call{method: "POST", path: "/faults", ctype: "application/json", body: `{"provider":"widget","path":"/widgets/*","status":503,"count":1,"latency":"1ms"}`, want: 201}), "id")
	do(call{method: "GET", path: "/faults", want: 200})
	do(call{method: "DELETE", path: "/faults/" + fault, want: 204})
	do(call{method: "DELETE", path: "/faults/" + fault, want: 404})
	do(call{method: "DELETE", path: "/faults", want: 204})
	do(call{method: "POST", path: "/reset?tenant=" + tenant, want: 204})
	do(call{method: "DELETE", path: "/requests?tenant=" + tenant, want: 200})
	do(call{method: "DELETE", path: "/requests", want: 200})
	do(call{method: "DELETE", path: "/scenarios/widget-done-later", want: 204})
	do(call{method: "DELETE", path: "/scenarios/widget-done-later", want: 404})
	do(call{method: "DELETE", path: "/tenants/" + tenant, want: 204})
	do(call{method: "DELETE", path: "/tenants/default", want: 409})
	do(call{method: "POST", path: "/reset", want: 204})
	do(call{method: "GET", path: "/openapi.json", want: 200})
	do(call{method: "GET", path: "/ui", want: 200})
	do(call{method: "GET", path: "/ui?tenant=" + tenant, want: 200})
	do(call{method: "GET", path: "/ui/assets/inspector.js", want: 200})
	do(call{method: "GET", path: "/ui/assets/inspector.css", want: 200})
	do(call{method: "GET", path: "/ui/assets/nope.js", want: 404})
	// Provider controls: each one is documented (checked below); call the
	// read-only ones without variables.
	for _, m := range h.App.Mounts {
		for _, c := range m.Controls() {
			if c.Method == http.MethodGet && !strings.Contains(c.Path, "{") {
				do(call{method: "GET", path: "/" + m.Provider() + c.Path, want: anyStatus})
			}
		}
	}

	// Every operation of the core document was exercised.
	for p, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !covered[method+" "+p] && !providerPath(h, p) {
				t.Errorf("%s %s is documented but not exercised by this test", method, p)
			}
		}
	}
}

func providerPath(h *platformtest.Harness, p string) bool {
	for _, m := range h.App.Mounts {
		if strings.HasPrefix(p, "/"+m.Provider()+"/") {
			return true
		}
	}
	return false
}

var muxVar = regexp.MustCompile(`\{([^}:]+)(:[^}]*)?\}`)

// TestEveryRouteIsDocumented walks the control router as the app builds it
// (core endpoints, every control module, every provider control) and fails
// on a route missing from the document.
func TestEveryRouteIsDocumented(t *testing.T) {
	h := platformtest.New(t, providers())
	doc := loadDoc(t, h)
	api := &control.API{Mounts: h.App.Mounts, Modules: app.ControlModules(&control.Async{})}
	var routes control.Routes
	api.Register(&routes)
	r := routes.Router()
	var missing []string
	n := 0
	err := r.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, err := route.GetPathTemplate()
		if err != nil {
			return nil
		}
		methods, err := route.GetMethods()
		if err != nil {
			missing = append(missing, "(any method) "+tpl)
			return nil
		}
		p := muxVar.ReplaceAllString(tpl, "{$1}")
		item := doc.Paths.Find(p)
		for _, m := range methods {
			n++
			if item == nil || item.GetOperation(m) == nil {
				missing = append(missing, m+" "+p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("control routes missing from openapi.yaml:\n%s", strings.Join(missing, "\n"))
	}
	if n < 20 {
		t.Errorf("walked only %d routes", n)
	}
}

// The document's error codes are controlapi's, no more and no fewer.
func TestErrorCodesAreDocumented(t *testing.T) {
	h := platformtest.New(t, providers())
	doc := loadDoc(t, h)
	var documented []string
	for _, v := range doc.Components.Schemas["Error"].Value.Properties["error"].Value.Enum {
		documented = append(documented, v.(string))
	}
	codes := controlapi.Codes()
	sort.Strings(documented)
	sort.Strings(codes)
	if strings.Join(documented, ",") != strings.Join(codes, ",") {
		t.Errorf("openapi.yaml's Error codes %v, controlapi's %v", documented, codes)
	}
}
