package platform

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/journal"
	"github.com/fakeprovider/fakeprovider/internal/store"
)

// Config holds the platform settings a provider may read.
type Config struct {
	// ExplainAuth puts auth-failure reasons in X-Fakeprovider-Auth-Error.
	ExplainAuth bool
	// MaxBodyBytes bounds request bodies.
	MaxBodyBytes int64
	// WebhookRetryScale multiplies every provider retry wait (e.g. 0.001 in tests).
	WebhookRetryScale float64
}

// EventSink receives provider events inside the transaction that caused
// them (the scenario engine).
type EventSink interface {
	Publish(tx *Tx, ev Event) error
}

// OutboxSink persists deliveries inside the transaction that caused them.
type OutboxSink interface {
	Enqueue(tx *Tx, d Delivery) (id string, err error)
}

// FaultSource decides whether a verified call must fail or wait (fault
// rules and scenario steps). It returns nil for a normal call.
type FaultSource interface {
	Match(ctx context.Context, provider, tenant string, r *http.Request) *Fault
}

// Fault is what a matching fault rule does to a call.
type Fault struct {
	// Latency is waited before the call proceeds (or fails).
	Latency time.Duration
	// Fail, when set, is returned instead of calling the handler.
	Fail *FaultError
	// Drop closes the connection without an answer.
	Drop bool
	// Rule names the rule, for the journal.
	Rule string
}

// Deps are the platform services a provider uses.
type Deps struct {
	Store   *store.Store
	Tenants Tenants
	Clock   Clock
	Log     *slog.Logger
	Config  Config
	Events  EventSink
	Outbox  OutboxSink
	Faults  FaultSource
	// Redact lets a provider name extra body fields and headers that the
	// journal must never show in clear.
	Redact Redactor
	// Journal records requests; the pipeline adds redacted bodies to entries.
	Journal *journal.Journal
}

// Services are the platform services a provider holds: the store, the
// journal, the outbox, events and faults reach it only through Request,
// Tx and Mount, in the transaction of the call.
type Services struct {
	Tenants Tenants
	Clock   Clock
	Log     *slog.Logger
	// Redact may be nil (a provider mounted outside the server).
	Redact Redactor
}

// Redactor is the journal's redaction list.
type Redactor interface {
	AddKeys(keys ...string)
	AddHeaders(names ...string)
}

// Route is one provider endpoint.
type Route struct {
	// Host is "" for the provider's main host, or the name of one of its
	// ExtraHosts.
	Host   string
	Method string
	// Path is a template at the real path, e.g. "/v3/deposits/{id}": literal
	// segments and whole-segment {name} variables, each matching one
	// non-empty escaped segment.
	Path    string
	Verify  Verifier
	Handler HandlerFunc
	// HTTP, when set, serves the route directly (pages, redirects); it
	// bypasses the pipeline but is still journaled.
	HTTP http.Handler
	// Idempotency, when set, makes Request.Commit replay first responses.
	Idempotency *IdempotencyRule
	// Name labels the route in the journal ("deposits.create").
	Name string
	// Envelope names the error envelope the route answers in ("" for the
	// provider's main one, set with Mount.SetEnvelope).
	Envelope string
	// Inferred, when not empty, says why the route's contract (path,
	// fields or answers) is inferred rather than documented. Answers then
	// carry the InferredHeader; the route listing and the inspector show it.
	Inferred string
}

// InferredHeader marks an answer whose contract is inferred rather than
// documented. The real services never send it; clients ignore it.
const InferredHeader = "X-Fakeprovider-Inferred"

// IdempotencyRule says where a route's idempotency key is and what a reuse
// with another request answers.
type IdempotencyRule struct {
	Header   string
	Conflict error
}

// RouteOption adjusts a route.
type RouteOption func(*Route)

// Idempotent makes Request.Commit of the route store its first response
// under the key in header; the same key with another request gets conflict.
func Idempotent(header string, conflict error) RouteOption {
	return func(r *Route) { r.Idempotency = &IdempotencyRule{Header: header, Conflict: conflict} }
}

// InEnvelope makes the route answer in the named error envelope.
func InEnvelope(name string) RouteOption { return func(r *Route) { r.Envelope = name } }

// Named labels the route.
func Named(name string) RouteOption { return func(r *Route) { r.Name = name } }

// InferredAs marks the route's contract as inferred, with the reason (for
// example "path inferred: the page could not be retrieved").
func InferredAs(reason string) RouteOption { return func(r *Route) { r.Inferred = reason } }

// HostSpec is an extra host of a provider (the real service's other domain),
// served under /<name>/ on the shared port and on --<name>-addr.
type HostSpec struct {
	Name string
	// Usage describes the host for the flag help.
	Usage string
}

// ControlRoute is a provider control endpoint.
type ControlRoute struct {
	Method  string
	Path    string // relative to /_fakeprovider/<provider>, e.g. "/deposits/{id}/status"
	Handler ControlFunc
}

// ControlRequest is a call to a provider control endpoint.
type ControlRequest struct {
	*http.Request
	Body []byte
	// Tenant is the ?tenant= parameter, defaulting to the default tenant.
	Tenant string
	mount  *Mount
}

// Var returns a path variable.
func (c *ControlRequest) Var(name string) string { return pathVar(c.Request, name) }

// Update runs fn in one write transaction scoped to the request's tenant.
func (c *ControlRequest) Update(fn func(tx *Tx) error) error {
	return c.mount.Update(c.Context(), c.Tenant, fn)
}

// View runs fn in a read transaction scoped to the request's tenant.
func (c *ControlRequest) View(fn func(tx *Tx) error) error {
	return c.mount.View(c.Context(), c.Tenant, fn)
}

// Mount is what a provider declares itself through.
type Mount struct {
	provider  string
	deps      Deps
	envelopes map[string]*Envelope

	routes    []Route
	hosts     []HostSpec
	controls  []ControlRoute
	signers   map[string]SignFunc
	statuses  map[string]StatusFunc
	allowed   map[string][]string
	events    map[string]string
	outcomes  map[string]OutcomeFunc
	scenarios []fs.FS
}

// NewMount is called by the server for each provider.
func NewMount(provider string, deps Deps) *Mount {
	return &Mount{
		provider:  provider,
		deps:      deps,
		envelopes: map[string]*Envelope{},
		signers:   map[string]SignFunc{},
		statuses:  map[string]StatusFunc{},
		allowed:   map[string][]string{},
		events:    map[string]string{},
		outcomes:  map[string]OutcomeFunc{},
	}
}

// MountOf is the mount of provider p, with the extra hosts p declares
// (MultiHost): a provider declares its hosts once, before its flags exist.
func MountOf(p Provider, deps Deps) *Mount {
	m := NewMount(p.Name(), deps)
	if mh, ok := p.(MultiHost); ok {
		m.hosts = append(m.hosts, mh.ExtraHosts()...)
	}
	return m
}

// Provider is the name of the mounted provider.
func (m *Mount) Provider() string { return m.provider }

// Deps are all the platform services, for the platform's own tests.
func (m *Mount) Deps() Deps { return m.deps }

// Services are the platform services a provider holds.
func (m *Mount) Services() Services {
	return Services{Tenants: m.deps.Tenants, Clock: m.deps.Clock, Log: m.deps.Log, Redact: m.deps.Redact}
}

// SetWriter sets the provider's response writer, with no answers of its
// own to the platform's errors (the writer maps them).
func (m *Mount) SetWriter(w Writer) { m.SetEnvelope("", &Envelope{Writer: w}) }

// SetEnvelope declares an error envelope: "" is the provider's main one
// (required), others are chosen by routes with InEnvelope.
func (m *Mount) SetEnvelope(name string, e *Envelope) { m.envelopes[name] = e }

// Writer is the provider's main envelope, as a Writer that renders the
// platform's errors too.
func (m *Mount) Writer() Writer {
	if e := m.envelopes[""]; e != nil {
		return e
	}
	return nil
}

// envelope is the envelope of a route ("" falls back to the main one).
func (m *Mount) envelope(name string) *Envelope {
	if e := m.envelopes[name]; e != nil {
		return e
	}
	return m.envelopes[""]
}

// envelopeOfPath is the envelope of a path that no route matched.
func (m *Mount) envelopeOfPath(path string) *Envelope {
	for _, h := range append([]HostSpec{{Name: m.provider}}, m.hosts...) {
		if rest, ok := strings.CutPrefix(path, "/"+h.Name); ok && (rest == "" || rest[0] == '/') {
			path = rest
			break
		}
	}
	for name, e := range m.envelopes {
		for _, p := range e.Paths {
			if name != "" && strings.HasPrefix(path, p) {
				return e
			}
		}
	}
	return m.envelopes[""]
}

// Handle declares a route at its real path on the provider's main host.
func (m *Mount) Handle(method, path string, verify Verifier, h HandlerFunc, opts ...RouteOption) {
	m.HandleOn("", method, path, verify, h, opts...)
}

// HandleOn declares a route on a named host.
func (m *Mount) HandleOn(host, method, path string, verify Verifier, h HandlerFunc, opts ...RouteOption) {
	rt := Route{Host: host, Method: method, Path: path, Verify: verify, Handler: h}
	for _, o := range opts {
		o(&rt)
	}
	m.routes = append(m.routes, rt)
}

// HandleHTTP declares a route served by a plain http.Handler (a page).
func (m *Mount) HandleHTTP(host, method, path string, h http.Handler, opts ...RouteOption) {
	rt := Route{Host: host, Method: method, Path: path, HTTP: h}
	for _, o := range opts {
		o(&rt)
	}
	m.routes = append(m.routes, rt)
}

// Control declares a provider control endpoint under /_fakeprovider/<provider>.
func (m *Mount) Control(method, path string, h ControlFunc) {
	m.controls = append(m.controls, ControlRoute{Method: method, Path: path, Handler: h})
}

// Signer registers an outgoing delivery signer by name.
func (m *Mount) Signer(name string, fn SignFunc) { m.signers[name] = fn }

// StatusTarget registers how scenarios and control calls move a resource
// kind to a status. statuses lists the statuses fn takes, so a scenario's
// status can be checked before any resource exists; they are compared
// without case, and fn gets a listed status in its listed spelling.
func (m *Mount) StatusTarget(kind string, fn StatusFunc, statuses ...string) {
	m.statuses[kind] = fn
	if len(statuses) > 0 {
		m.allowed[kind] = statuses
	}
}

// TargetStatuses is the statuses the status target of kind declared (nil
// when it declared none).
func (m *Mount) TargetStatuses(kind string) []string { return m.allowed[kind] }

// Event declares an event name the provider publishes and its resource kind,
// so scenario files can be checked against it.
func (m *Mount) Event(name, kind string) { m.events[name] = kind }

// Scenarios adds built-in scenario files (the provider's folder in scenarios/).
func (m *Mount) Scenarios(fsys fs.FS) { m.scenarios = append(m.scenarios, fsys) }

// OutcomeFunc learns how a delivery ended, in the transaction that records
// its last attempt: delivered is a 2xx answer; otherwise every attempt
// failed. A provider whose real service acts on the merchant's answer
// (D24 refunds a QuickPay deposit whose callback is refused) uses it.
type OutcomeFunc func(tx *Tx, d Delivery, delivered bool) error

// OnOutcome registers fn for the provider's deliveries of kind.
func (m *Mount) OnOutcome(kind string, fn OutcomeFunc) { m.outcomes[kind] = fn }

// Outcome runs the provider's OutcomeFunc for d's kind, if any.
func (m *Mount) Outcome(stx *store.Tx, tenant string, d Delivery, delivered bool) error {
	fn := m.outcomes[d.Kind]
	if fn == nil {
		return nil
	}
	return fn(m.NewTx(stx, tenant), d, delivered)
}

// Routes, Hosts, Controls, Signers, StatusTargets, Events and ScenarioFS
// expose the declarations to the server.
func (m *Mount) Routes() []Route                      { return m.routes }
func (m *Mount) Hosts() []HostSpec                    { return m.hosts }
func (m *Mount) Controls() []ControlRoute             { return m.controls }
func (m *Mount) Signers() map[string]SignFunc         { return m.signers }
func (m *Mount) StatusTargets() map[string]StatusFunc { return m.statuses }
func (m *Mount) Events() map[string]string            { return m.events }
func (m *Mount) ScenarioFS() []fs.FS                  { return m.scenarios }

// Update runs fn in one write transaction for tenant.
func (m *Mount) Update(ctx context.Context, tenant string, fn func(tx *Tx) error) error {
	return m.deps.Store.Update(ctx, func(stx *store.Tx) error {
		return fn(m.NewTx(stx, tenant))
	})
}

// View runs fn in a read transaction for tenant.
func (m *Mount) View(ctx context.Context, tenant string, fn func(tx *Tx) error) error {
	return m.deps.Store.View(ctx, func(stx *store.Tx) error {
		return fn(m.NewTx(stx, tenant))
	})
}

// ReadShared reads one record of the provider's kind for tenant, for
// reads that only render it (store.Store.ReadShared): the decoded value may
// be shared with other readers, so its maps, slices and pointed-to values
// are read-only; it needs no transaction while no write has happened since
// the record was last read.
func (m *Mount) ReadShared(ctx context.Context, tenant, kind, id string, v any) (bool, error) {
	return m.deps.Store.ReadShared(ctx, tenant, m.provider, kind, id, v)
}

// NewTx wraps a store transaction for the provider and tenant.
func (m *Mount) NewTx(stx *store.Tx, tenant string) *Tx {
	return &Tx{Tx: stx, Tenant: tenant, mount: m}
}

// Tx is a store transaction scoped to one provider and tenant, with the
// provider-facing event and outbox operations.
type Tx struct {
	*store.Tx
	Tenant string
	mount  *Mount
}

// Records is the tenant's record scope of the provider.
func (tx *Tx) Records() store.Scope { return tx.In(tx.Tenant, tx.mount.provider) }

// Now is the scenario time of the tenant.
func (tx *Tx) Now() time.Time { return tx.mount.deps.Clock.ScenarioNow(tx.Tenant) }

// Provider is the provider's name.
func (tx *Tx) Provider() string { return tx.mount.provider }

// Mount is the provider's mount.
func (tx *Tx) Mount() *Mount { return tx.mount }

// Publish reports an event; scenarios matching it are scheduled in tx.
func (tx *Tx) Publish(ev Event) error {
	if tx.mount.deps.Events == nil {
		return nil
	}
	return tx.mount.deps.Events.Publish(tx, ev)
}

// Notify puts a delivery in the outbox; it is sent after tx commits.
func (tx *Tx) Notify(d Delivery) (string, error) {
	if tx.mount.deps.Outbox == nil {
		return "", nil
	}
	return tx.mount.deps.Outbox.Enqueue(tx, d)
}

// SetStatus moves a resource through the provider's registered StatusFunc.
func (tx *Tx) SetStatus(kind, id, status string, fields Fields) error {
	fn, ok := tx.mount.statuses[kind]
	if !ok {
		return BadControl("%s has no status target for %q", tx.mount.provider, kind)
	}
	// A declared status is passed in its declared spelling, so a target
	// takes every spelling lint accepts.
	for _, s := range tx.mount.allowed[kind] {
		if strings.EqualFold(strings.TrimSpace(status), s) {
			status = s
			break
		}
	}
	return fn(tx, id, status, fields)
}

// BaseURL is the URL a client used to reach the provider, with the mount
// prefix: "http://localhost:8080/d24". Used for links the provider returns
// (redirect URLs, checkout pages).
func BaseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if fwd := r.Header.Get("X-Forwarded-Proto"); fwd == "https" || fwd == "http" {
		scheme = fwd
	}
	return scheme + "://" + r.Host + strings.TrimSuffix(Prefix(r), "/")
}

// NewControlRequest is used by the control API to call a ControlFunc.
func NewControlRequest(r *http.Request, body []byte, tenant string, m *Mount) *ControlRequest {
	return &ControlRequest{Request: r, Body: body, Tenant: tenant, mount: m}
}
