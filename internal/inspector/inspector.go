// Package inspector serves the web inspector at /_fakeprovider/ui: one
// server-rendered page (html/template) with an embedded script and style
// sheet, no build step and no CDN. It shows the request journal with auth
// verdicts and reasons, webhook deliveries with every attempt (and a resend
// button), each tenant's state by provider, scenarios (with a trigger
// button) and runs, the clock (with an advance control), and the provider
// routes with the ones whose contract is inferred flagged.
//
// The control API is the single source of truth: the first paint is
// rendered from the control API's own answers (the page's handler calls the
// control router in-process), and the script then polls the same JSON
// endpoints and performs every action through them.
package inspector

import (
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"github.com/fakeprovider/fakeprovider/controlapi"
	"github.com/fakeprovider/fakeprovider/internal/control"
	"github.com/fakeprovider/fakeprovider/internal/server"
)

//go:embed assets/*
var assets embed.FS

//go:embed page.html.tmpl
var pageSource string

// Module is the control module serving the inspector.
type Module struct{}

// page is parsed on first use: html/template's parse is a tenth of a
// millisecond of every start otherwise.
var page = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Funcs(template.FuncMap{
		"json": func(v any) string {
			b, _ := json.MarshalIndent(v, "", "  ")
			return string(b)
		},
		"ts": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("15:04:05.000")
		},
		"full":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"count": func(m map[string]json.RawMessage) int { return len(m) },
	}).Parse(pageSource))
})

// ControlRoutes implements control.Module.
func (Module) ControlRoutes(r *control.Routes, api *control.API) {
	static, _ := fs.Sub(assets, "assets")
	r.Handle("/ui", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		serve(w, req, r, api)
	})).Methods(http.MethodGet)
	r.Handle("/ui/assets/{file}", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		name := mux.Vars(req)["file"]
		b, err := fs.ReadFile(static, name)
		if err != nil {
			controlapi.WriteError(w, http.StatusNotFound, controlapi.CodeNotFound, "no inspector asset "+strconv.Quote(name))
			return
		}
		switch {
		case strings.HasSuffix(name, ".js"):
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		case strings.HasSuffix(name, ".css"):
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
		}
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(b)
	})).Methods(http.MethodGet)
}

// view is what the template renders: the control API's answers.
type view struct {
	Version   string
	Tenant    string // selected tenant ("" = all)
	Tenants   []string
	Clock     clockView
	Requests  []requestView
	Webhooks  []webhookView
	Scenarios []scenarioView
	Runs      []runView
	State     []providerState
	StateFor  string
	Routes    routesView
	Errors    []string
	// Locked: the control API needs a token this page request did not
	// carry; the page renders no data and the script asks for the token.
	Locked bool
}

// routesView is GET /routes: every provider route, inferred ones flagged.
type routesView struct {
	Routes []struct {
		Provider     string `json:"provider"`
		Method       string `json:"method"`
		Path         string `json:"path"`
		PrefixedPath string `json:"prefixed_path"`
		Name         string `json:"name"`
		Inferred     string `json:"inferred"`
	} `json:"routes"`
	InferredCount int `json:"inferred_count"`
}

type clockView struct {
	Wall        time.Time `json:"wall"`
	Offset      string    `json:"offset"`
	ScenarioNow time.Time `json:"scenario_now"`
}

type requestView struct {
	ID         string    `json:"id"`
	Time       time.Time `json:"time"`
	Provider   string    `json:"provider"`
	Tenant     string    `json:"tenant"`
	Route      string    `json:"route"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Query      string    `json:"query"`
	Status     int       `json:"status"`
	DurationMS float64   `json:"duration_ms"`
	Auth       struct {
		OK     bool   `json:"ok"`
		Reason string `json:"reason"`
	} `json:"auth"`
	Fault string `json:"fault"`
}

type webhookView struct {
	ID       string    `json:"id"`
	Tenant   string    `json:"tenant"`
	Provider string    `json:"provider"`
	Status   string    `json:"status"`
	Created  time.Time `json:"created"`
	Delivery struct {
		URL        string `json:"url"`
		Event      string `json:"event"`
		ResourceID string `json:"resource_id"`
	} `json:"delivery"`
	Attempts []struct {
		Time          time.Time         `json:"time"`
		URL           string            `json:"url"`
		Method        string            `json:"method"`
		RequestHeader map[string]string `json:"request_headers"`
		Status        int               `json:"response_status"`
		LatencyMS     float64           `json:"latency_ms"`
		Error         string            `json:"error"`
		Resend        bool              `json:"resend"`
		RequestBody   string            `json:"request_body"`
		ResponseBody  string            `json:"response_body"`
	} `json:"attempts"`
}

type scenarioView struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Provider    string `json:"provider"`
	On          string `json:"on"`
	Default     bool   `json:"default"`
	Steps       int    `json:"steps"`
	Source      string `json:"source"`
}

type runView struct {
	Scenario   string    `json:"scenario"`
	Tenant     string    `json:"tenant"`
	Provider   string    `json:"provider"`
	Kind       string    `json:"kind"`
	ResourceID string    `json:"resource_id"`
	Step       int       `json:"step"`
	Status     string    `json:"status"`
	DueAt      time.Time `json:"due_at"`
	Error      string    `json:"error,omitempty"`
}

type providerState struct {
	Provider string
	Kinds    []kindState
}

type kindState struct {
	Kind    string
	Records map[string]json.RawMessage
}

func serve(w http.ResponseWriter, req *http.Request, r http.Handler, api *control.API) {
	v := view{Version: api.Version, Tenant: req.URL.Query().Get("tenant")}
	if server.ControlLocked(req) {
		v.Locked = true
		v.StateFor = "default"
		writePage(w, api, v)
		return
	}
	get := func(path string, q url.Values, out any) {
		u := path
		if len(q) > 0 {
			u += "?" + q.Encode()
		}
		in := httptest.NewRequest(http.MethodGet, u, nil).WithContext(req.Context())
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, in)
		if rec.Code != http.StatusOK {
			v.Errors = append(v.Errors, "GET /_fakeprovider"+u+": "+strings.TrimSpace(rec.Body.String()))
			return
		}
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			v.Errors = append(v.Errors, "GET /_fakeprovider"+u+": "+err.Error())
		}
	}
	tq := url.Values{}
	if v.Tenant != "" {
		tq.Set("tenant", v.Tenant)
	}
	var tenants struct {
		Tenants []struct {
			Tenant string `json:"tenant"`
		} `json:"tenants"`
	}
	get("/tenants", nil, &tenants)
	for _, t := range tenants.Tenants {
		v.Tenants = append(v.Tenants, t.Tenant)
	}
	get("/clock", tq, &v.Clock)
	var reqs struct {
		Requests []requestView `json:"requests"`
	}
	get("/requests", url.Values{"limit": {"50"}, "tenant": tq["tenant"]}, &reqs)
	v.Requests = reqs.Requests
	var hooks struct {
		Webhooks []webhookView `json:"webhooks"`
	}
	get("/webhooks", url.Values{"limit": {"50"}, "tenant": tq["tenant"]}, &hooks)
	v.Webhooks = hooks.Webhooks
	var scs struct {
		Scenarios []scenarioView `json:"scenarios"`
	}
	get("/scenarios", nil, &scs)
	v.Scenarios = scs.Scenarios
	var runs struct {
		Runs []runView `json:"runs"`
	}
	get("/scenarios/runs", url.Values{"limit": {"50"}, "tenant": tq["tenant"]}, &runs)
	v.Runs = runs.Runs
	v.StateFor = v.Tenant
	if v.StateFor == "" {
		v.StateFor = "default"
	}
	var st struct {
		State map[string]map[string]map[string]json.RawMessage `json:"state"`
	}
	get("/state", url.Values{"tenant": {v.StateFor}}, &st)
	for p, kinds := range st.State {
		ps := providerState{Provider: p}
		for k, recs := range kinds {
			ps.Kinds = append(ps.Kinds, kindState{Kind: k, Records: recs})
		}
		sort.Slice(ps.Kinds, func(i, j int) bool { return ps.Kinds[i].Kind < ps.Kinds[j].Kind })
		v.State = append(v.State, ps)
	}
	sort.Slice(v.State, func(i, j int) bool { return v.State[i].Provider < v.State[j].Provider })
	get("/routes", nil, &v.Routes)
	// Inferred routes first: they are what a reader looks for here.
	sort.SliceStable(v.Routes.Routes, func(i, j int) bool {
		return v.Routes.Routes[i].Inferred != "" && v.Routes.Routes[j].Inferred == ""
	})

	writePage(w, api, v)
}

func writePage(w http.ResponseWriter, api *control.API, v view) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// The token arrives in the URL's fragment, which the browser never
	// sends; no Referer leaks a query either.
	w.Header().Set("Referrer-Policy", "no-referrer")
	if err := page().Execute(w, v); err != nil {
		api.Log.Error("inspector: render", "err", err)
	}
}
