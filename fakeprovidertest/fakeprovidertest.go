// Package fakeprovidertest starts the whole fakeprovider emulator inside a
// Go test, in the style of net/http/httptest.
//
//	func TestCheckout(t *testing.T) {
//		srv := fakeprovidertest.Start(t)
//		client := mysdk.New(srv.URL("d24"), srv.CredentialsJSON()["d24"])
//		// … exercise your code, then:
//		srv.Advance(15 * time.Minute)
//		for _, d := range srv.Webhooks() { … }
//	}
//
// Start runs every provider on a loopback port with a temporary state file;
// both disappear on t.Cleanup. For fast parallel tests, many tests share one
// server and each gets its own tenant (fresh credentials, isolated data and
// clock offset): call Shared(t), with Main in TestMain so that the shared
// server is stopped and its state removed when the test binary ends.
//
// Everything here goes through the control API (/_fakeprovider/…), the same
// one the web inspector and other languages use.
package fakeprovidertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/controlapi"
	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/tenant"
)

// Option configures a server started by Start.
type Option func(*config)

type config struct {
	opts app.Options
	// extra providers beside app.Providers() (this package's tests add a
	// minimal provider with webhooks; see export_test.go).
	extra []platform.Provider
}

// WithNow pins the emulator's wall clock (auth windows use it; scenario time
// is this clock plus the fast-forward offsets).
func WithNow(now func() time.Time) Option { return func(c *config) { c.opts.Now = now } }

// WithScenariosDir adds a directory of your scenario files to the built-in ones.
func WithScenariosDir(dir string) Option { return func(c *config) { c.opts.ScenariosDir = dir } }

// WithCredentials overrides the default tenant's credentials: inline JSON
// shaped like GET /_fakeprovider/credentials, or a file path.
func WithCredentials(src string) Option { return func(c *config) { c.opts.Credentials = src } }

// WithWebhookRetryScale multiplies every webhook retry wait.
func WithWebhookRetryScale(f float64) Option {
	return func(c *config) { c.opts.WebhookRetryScale = f }
}

// WithExplainAuth sets --explain-auth (on by default in tests: auth failures
// carry the reason in the X-Fakeprovider-Auth-Error header).
func WithExplainAuth(on bool) Option { return func(c *config) { c.opts.ExplainAuth = on } }

// WithLogger sends the emulator's logs to l (default: warnings and errors to
// t.Log for Start, discarded for the shared server).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.opts.Logger = l } }

// WithControlToken makes the emulator require token on its control API
// (--control-token); the helpers send it.
func WithControlToken(token string) Option { return func(c *config) { c.opts.ControlToken = token } }

// Server is a running emulator. Its embedded *Tenant is the default tenant,
// so srv.Advance, srv.Webhooks… act on it (Advance and Reset on the whole
// server).
type Server struct {
	*Tenant

	// BaseURL is the shared listener, e.g. "http://127.0.0.1:41234": every
	// provider at its real paths and the control API at /_fakeprovider.
	BaseURL string

	app       *app.App
	providers map[string]platform.Provider
	names     []string
	client    *http.Client
	// token is sent on every control call when set.
	token    string
	stopOnce sync.Once
	stopFn   func() error
}

// Start starts the emulator with every provider on 127.0.0.1:0. It stops,
// and removes its state, at the end of the test.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	c := config{opts: app.Options{
		ExplainAuth: true,
		Logger:      slog.New(slog.NewTextHandler(tbWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}}
	for _, o := range opts {
		o(&c)
	}
	s, err := start(c)
	if err != nil {
		t.Fatalf("fakeprovidertest: start: %v", err)
	}
	s.Tenant.t = t
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("fakeprovidertest: stop: %v", err)
		}
	})
	return s
}

func start(c config) (*Server, error) {
	c.opts.Addr = "127.0.0.1:0"
	c.opts.Data = "" // temporary file, removed when the server stops
	if c.opts.ShutdownTimeout == 0 {
		c.opts.ShutdownTimeout = 5 * time.Second
	}
	providers := append(app.Providers(), c.extra...)
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, c.opts, providers)
	if err != nil {
		cancel()
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	s := &Server{
		BaseURL:   a.URL(),
		app:       a,
		providers: map[string]platform.Provider{},
		client:    &http.Client{Timeout: 60 * time.Second},
		token:     c.opts.ControlToken,
	}
	for _, p := range providers {
		s.providers[p.Name()] = p
		s.names = append(s.names, p.Name())
	}
	s.stopFn = func() error { cancel(); return <-done }
	s.Tenant = &Tenant{srv: s, ID: tenant.DefaultID, global: true}
	return s, nil
}

// Close stops the server gracefully and removes its state. Start registers
// it with t.Cleanup; calling it again is harmless.
func (s *Server) Close() error {
	var err error
	s.stopOnce.Do(func() {
		if s.stopFn != nil {
			err = s.stopFn()
		}
	})
	return err
}

// URL returns the base URL of provider ("d24", "crm", "difitek",
// "crowdtrust"): BaseURL + "/" + provider. URL("") is BaseURL.
// A name that is neither a provider nor one of its extra hosts
// ("d24-card") fails the test (or panics without one): a typo must not
// become a URL that answers 404 later.
func (s *Server) URL(provider string) string {
	if provider == "" {
		return s.BaseURL
	}
	var t testing.TB
	if s.Tenant != nil {
		t = s.Tenant.t
	}
	return s.urlFor(t, provider)
}

func (s *Server) urlFor(t testing.TB, provider string) string {
	if provider == "" {
		return s.BaseURL
	}
	if !s.knownHost(provider) {
		msg := fmt.Sprintf("fakeprovidertest: URL(%q): no such provider or host (have %s)", provider, strings.Join(s.hostNames(), ", "))
		if t != nil {
			t.Helper()
			t.Fatal(msg)
		}
		panic(msg)
	}
	return s.BaseURL + "/" + provider
}

// Providers lists the names of the emulated providers, in mount order.
func (s *Server) Providers() []string { return append([]string(nil), s.names...) }

// For returns the same tenant handle bound to another test (e.g. a subtest
// of the test that started the server): its helpers report failures on t.
func (tn *Tenant) For(t testing.TB) *Tenant {
	c := *tn
	c.t = t
	return &c
}

// Tenant is one tenant of a server with helpers scoped to it: its
// credentials, requests, webhook deliveries, state, clock offset and reset.
// Helpers report failures with t.Fatalf on the test the handle belongs to.
type Tenant struct {
	// ID is the tenant id ("default" for the default tenant).
	ID string

	srv    *Server
	t      testing.TB
	global bool // Advance/Reset act on the whole server (Start's handle)
}

// Server returns the server the tenant lives on.
func (tn *Tenant) Server() *Server { return tn.srv }

// URL is Server().URL(provider).
func (tn *Tenant) URL(provider string) string {
	if tn.t != nil {
		tn.t.Helper()
	}
	return tn.srv.urlFor(tn.t, provider)
}

// NewTenant mints a tenant with fresh random credentials for every provider.
// Its data, webhooks and clock offset are isolated from every other tenant.
func (tn *Tenant) NewTenant() *Tenant {
	tn.t.Helper()
	var v controlapi.Tenant
	tn.control(http.MethodPost, "/tenants", nil, &v, http.StatusCreated)
	if v.ID == "" {
		tn.t.Fatalf("fakeprovidertest: new tenant: no id in the answer")
	}
	return &Tenant{ID: v.ID, srv: tn.srv, t: tn.t}
}

// Credentials returns the tenant's credentials of provider: the provider's
// own struct (e.g. *difitek.Credentials), or nil when there is no such
// provider. Use CredentialsJSON for the wire form.
func (tn *Tenant) Credentials(provider string) any {
	if tn.srv.app == nil {
		return tn.remoteCredentials(provider)
	}
	c, ok := tn.srv.app.Tenants.Credentials(tn.ID, provider)
	if !ok {
		return nil
	}
	return c
}

// remoteCredentials decodes the control API's JSON form with the
// provider's own decoder (servers attached with Connect).
func (tn *Tenant) remoteCredentials(provider string) any {
	p, ok := tn.srv.providers[provider]
	if !ok {
		return nil
	}
	var v controlapi.Tenant
	st, _, err := tn.srv.call(http.MethodGet, "/credentials?tenant="+url.QueryEscape(tn.ID), nil, &v)
	if err != nil || st != http.StatusOK || len(v.Credentials[provider]) == 0 {
		return nil
	}
	c, err := p.Credentials().Decode(v.Credentials[provider])
	if err != nil {
		return nil
	}
	return c
}

func (s *Server) now() time.Time {
	if s.app == nil {
		return time.Now()
	}
	return s.app.Clock.Now()
}

// CredentialsJSON returns the tenant's credentials as
// GET /_fakeprovider/credentials?tenant=ID shows them, keyed by provider.
func (tn *Tenant) CredentialsJSON() map[string]json.RawMessage {
	tn.t.Helper()
	var v controlapi.Tenant
	tn.control(http.MethodGet, "/credentials?tenant="+url.QueryEscape(tn.ID), nil, &v, http.StatusOK)
	return v.Credentials
}

// Advance fast-forwards scenario time by d and returns once every scenario
// step and webhook attempt that falls due has run, in order. On the handle
// returned by Start it moves the whole server's clock; on a tenant made by
// NewTenant or Shared, only that tenant's.
func (tn *Tenant) Advance(d time.Duration) AdvanceResult {
	tn.t.Helper()
	body := controlapi.Advance{By: d.String()}
	if !tn.global {
		body.Tenant = tn.ID
	}
	var res AdvanceResult
	tn.control(http.MethodPost, "/clock/advance", body, &res, http.StatusOK)
	return res
}

// AdvanceResult is the answer of POST /_fakeprovider/clock/advance.
type AdvanceResult = controlapi.AdvanceResult

// Trigger applies the scenario named scenario to the tenant's existing
// resource resourceID (e.g. a deposit id), as
// POST /_fakeprovider/scenarios/{name}/trigger does, and returns the run.
func (tn *Tenant) Trigger(scenario, resourceID string) Run {
	tn.t.Helper()
	var run Run
	tn.control(http.MethodPost, "/scenarios/"+url.PathEscape(scenario)+"/trigger",
		controlapi.Trigger{ID: resourceID, Tenant: tn.ID}, &run, http.StatusCreated)
	return run
}

// Run is a scenario run: which step a resource is at.
type Run = controlapi.Run

// Runs lists the tenant's scenario runs.
func (tn *Tenant) Runs() []Run {
	tn.t.Helper()
	var v controlapi.RunList
	tn.control(http.MethodGet, "/scenarios/runs?tenant="+url.QueryEscape(tn.ID), nil, &v, http.StatusOK)
	return v.Runs
}

// Delivery is an outgoing webhook with every attempt; its
// Delivery.BodyBytes is the body sent.
type Delivery = controlapi.Webhook

// DeliveryRequest is what a delivery sends.
type DeliveryRequest = controlapi.WebhookDelivery

// Attempt is one try to deliver a webhook. Time is scenario time, like
// every time of a Delivery; WallTime is the wall clock's.
type Attempt = controlapi.WebhookAttempt

// Webhooks lists the tenant's outgoing webhook deliveries, newest first,
// each with every attempt.
func (tn *Tenant) Webhooks() []Delivery {
	tn.t.Helper()
	var v controlapi.WebhookList
	tn.control(http.MethodGet, "/webhooks?limit=1000&tenant="+url.QueryEscape(tn.ID), nil, &v, http.StatusOK)
	return v.Webhooks
}

// Resend sends a delivery again now and returns it with the new attempt.
func (tn *Tenant) Resend(id string) Delivery {
	tn.t.Helper()
	var d Delivery
	tn.control(http.MethodPost, "/webhooks/"+url.PathEscape(id)+"/resend", nil, &d, http.StatusOK)
	return d
}

// Filter selects journal entries: every set field must hold (zero values:
// everything). See GET /_fakeprovider/requests.
type Filter struct {
	Provider string
	Method   string // case-insensitive
	// Path is the exact path; PathPrefix a prefix of it.
	Path       string
	PathPrefix string
	// Status is an exact status (404) or a class ("4xx").
	Status string
	// Auth is "ok" or "failed" (the auth verdict), or "" for either.
	Auth string
	// Route is the route name; Unmatched selects requests no route matched.
	Route     string
	Unmatched bool
	// Since and Until bound the arrival time (wall clock): Since ≤ t < Until.
	Since, Until time.Time
	// Text is a case-insensitive substring of the path, query, route, auth
	// reason or a (redacted) body.
	Text   string
	Limit  int // default 100, at most 1000
	Offset int
}

// query is f as GET /requests parameters.
func (f Filter) query(tenantID string) url.Values {
	return controlapi.Criteria{Provider: f.Provider, Tenant: tenantID, Method: f.Method, Path: f.Path,
		PathPrefix: f.PathPrefix, Status: f.Status, Auth: f.Auth, Route: f.Route, Unmatched: f.Unmatched,
		Since: controlapi.Time(f.Since), Until: controlapi.Time(f.Until), Text: f.Text, Limit: f.Limit, Offset: f.Offset}.Query()
}

// Request is one journal entry: a request a provider received, with the
// auth verdict and, for a failure, the exact reason (for signature schemes,
// the expected string-to-sign).
type Request = controlapi.Request

// Requests lists the requests the tenant's credentials made, newest first.
// Requests whose credentials were not recognised have no tenant; see them
// with the Server's RequestsAll.
func (tn *Tenant) Requests(f Filter) []Request {
	tn.t.Helper()
	return tn.requests(f, tn.ID)
}

// RequestsAll lists every journaled request, whatever its tenant.
func (tn *Tenant) RequestsAll(f Filter) []Request {
	tn.t.Helper()
	return tn.requests(f, "")
}

func (tn *Tenant) requests(f Filter, tenantID string) []Request {
	q := f.query(tenantID)
	var v controlapi.RequestList
	tn.control(http.MethodGet, "/requests?"+q.Encode(), nil, &v, http.StatusOK)
	return v.Requests
}

// State returns the tenant's records by provider, as
// GET /_fakeprovider/state shows them (provider "" for all).
func (tn *Tenant) State(provider string) json.RawMessage {
	tn.t.Helper()
	q := url.Values{"tenant": {tn.ID}}
	if provider != "" {
		q.Set("provider", provider)
	}
	var v controlapi.State
	tn.control(http.MethodGet, "/state?"+q.Encode(), nil, &v, http.StatusOK)
	return v.State
}

// Reset clears everything of the tenant a test can change — records,
// idempotency keys, webhooks, scenario runs, journal entries, fault rules,
// its clock offset and the scenarios loaded for it — and keeps its
// credentials. On the handle returned by Start it resets every tenant, the
// global clock offset and every scenario loaded at run time.
func (tn *Tenant) Reset() {
	tn.t.Helper()
	p := "/reset"
	if !tn.global {
		p += "?tenant=" + url.QueryEscape(tn.ID)
	}
	tn.control(http.MethodPost, p, nil, nil, http.StatusNoContent)
}

// Sign sets the auth headers a real client of the provider would send on
// req, with the tenant's credentials, over body (the exact bytes that will
// be sent). The provider is the first path segment when req targets
// URL(provider); use SignAs otherwise. It fails when the provider cannot
// sign client requests (it does not implement platform.ClientSigner).
func (tn *Tenant) Sign(req *http.Request, body []byte) error {
	name := strings.SplitN(strings.TrimPrefix(req.URL.Path, "/"), "/", 2)[0]
	if _, ok := tn.srv.providers[name]; !ok {
		return fmt.Errorf("fakeprovidertest: cannot tell the provider of %s: use SignAs or a URL from srv.URL(provider)", req.URL.Path)
	}
	return tn.SignAs(name, req, body)
}

// SignAs is Sign for an explicit provider (e.g. for a request to a real path).
func (tn *Tenant) SignAs(provider string, req *http.Request, body []byte) error {
	p, ok := tn.srv.providers[provider]
	if !ok {
		return fmt.Errorf("fakeprovidertest: no provider %q (have %v)", provider, tn.srv.names)
	}
	cs, ok := p.(platform.ClientSigner)
	if !ok {
		return fmt.Errorf("fakeprovidertest: provider %q cannot sign client requests", provider)
	}
	creds := tn.Credentials(provider)
	if creds == nil {
		return fmt.Errorf("fakeprovidertest: tenant %s has no %s credentials", tn.ID, provider)
	}
	return cs.SignRequest(req, body, creds, tn.srv.now())
}

// Do sends a signed request to provider: path is the provider's real path
// (e.g. "/v3/deposits"), body is sent verbatim (nil for none). It returns
// the response with its body read.
func (tn *Tenant) Do(provider, method, path string, body []byte) (*http.Response, []byte) {
	tn.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, tn.srv.URL(provider)+path, rd)
	if err != nil {
		tn.t.Fatalf("fakeprovidertest: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := tn.SignAs(provider, req, body); err != nil {
		tn.t.Fatalf("fakeprovidertest: sign: %v", err)
	}
	resp, err := tn.srv.client.Do(req)
	if err != nil {
		tn.t.Fatalf("fakeprovidertest: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		tn.t.Fatalf("fakeprovidertest: %s %s: reading body: %v", method, path, err)
	}
	return resp, raw
}

// Control calls the control API (path after /_fakeprovider, e.g. "/faults")
// with body JSON-encoded (nil for none; []byte sent verbatim), decodes a
// JSON answer into out when not nil, and returns the status.
func (tn *Tenant) Control(method, path string, body, out any) int {
	tn.t.Helper()
	st, raw, err := tn.srv.call(method, path, body, out)
	if err != nil {
		tn.t.Fatalf("fakeprovidertest: %s /_fakeprovider%s: %v (%s)", method, path, err, raw)
	}
	return st
}

func (tn *Tenant) control(method, path string, body, out any, want int) {
	tn.t.Helper()
	st, raw, err := tn.srv.call(method, path, body, out)
	if err != nil {
		tn.t.Fatalf("fakeprovidertest: %s /_fakeprovider%s: %v (%s)", method, path, err, raw)
	}
	if st != want {
		tn.t.Fatalf("fakeprovidertest: %s /_fakeprovider%s: status %d, want %d: %s", method, path, st, want, raw)
	}
}

func (s *Server) call(method, path string, body, out any) (int, []byte, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.BaseURL+"/_fakeprovider"+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	if out != nil && len(raw) > 0 && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, raw, err
		}
	}
	return resp.StatusCode, raw, nil
}

type tbWriter struct{ t testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

type appOptions = app.Options
