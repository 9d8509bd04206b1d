// Package journal records every request the emulator answers: provider,
// route, tenant, auth verdict with the exact reason, status and latency. It
// keeps the last N entries in memory (a ring) and never holds secrets or
// personal data in clear: bodies and headers are redacted before storing.
package journal

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Auth is the auth verdict of a request.
type Auth struct {
	OK     bool   `json:"ok"`
	Reason string `json:"reason"`
}

// Entry is one journaled request.
type Entry struct {
	ID         string            `json:"id"`
	Time       time.Time         `json:"time"`
	Provider   string            `json:"provider"`
	Tenant     string            `json:"tenant"`
	Route      string            `json:"route,omitempty"`
	Method     string            `json:"method"`
	Path       string            `json:"path"`
	Query      string            `json:"query,omitempty"`
	Status     int               `json:"status"`
	DurationMS float64           `json:"duration_ms"`
	Auth       Auth              `json:"auth"`
	Fault      string            `json:"fault,omitempty"`
	Header     map[string]string `json:"request_headers,omitempty"`
	Body       string            `json:"request_body,omitempty"`
	Response   string            `json:"response_body,omitempty"`
}

// Recorder is the entry of a request in flight; handlers annotate it.
type Recorder struct {
	mu sync.Mutex
	e  Entry
	// authSet tells whether a verifier ran at all.
	authSet bool
}

// SetProvider labels the request with its provider and route name.
func (r *Recorder) SetProvider(provider, route string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.e.Provider, r.e.Route = provider, route
	r.mu.Unlock()
}

// SetTenant records the tenant the request acted for.
func (r *Recorder) SetTenant(tenant string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.e.Tenant = tenant
	r.mu.Unlock()
}

// SetAuth records the auth verdict.
func (r *Recorder) SetAuth(ok bool, reason string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.e.Auth = Auth{OK: ok, Reason: Cut(reason, MaxReason)}
	r.authSet = true
	r.mu.Unlock()
}

// SetFault records the fault rule applied to the request.
func (r *Recorder) SetFault(rule string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.e.Fault = Cut(rule, MaxReason)
	r.mu.Unlock()
}

// SetBodies records the (already redacted) request and response bodies.
func (r *Recorder) SetBodies(req, resp string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.e.Body, r.e.Response = req, resp
	r.mu.Unlock()
}

type ctxKey struct{}

// With returns ctx carrying rec.
func With(ctx context.Context, rec *Recorder) context.Context {
	return context.WithValue(ctx, ctxKey{}, rec)
}

// From returns the recorder of the request, or nil (all methods accept nil).
func From(ctx context.Context) *Recorder {
	rec, _ := ctx.Value(ctxKey{}).(*Recorder)
	return rec
}

// Journal is a bounded ring of entries.
type Journal struct {
	mu      sync.RWMutex
	ring    []Entry
	next    int
	full    bool
	seq     atomic.Uint64
	redact  *Redactor
	bodyMax int
}

// New returns a journal keeping the last size entries (size ≥ 1).
func New(size int, redact *Redactor) *Journal {
	if size < 1 {
		size = 1
	}
	if redact == nil {
		redact = NewRedactor()
	}
	return &Journal{ring: make([]Entry, size), redact: redact, bodyMax: MaxBody}
}

// Redactor is the journal's redactor.
func (j *Journal) Redactor() *Redactor { return j.redact }

// Start begins the entry of a request.
func (j *Journal) Start(r *http.Request, now time.Time) *Recorder {
	id := j.seq.Add(1)
	rec := &Recorder{e: Entry{
		ID:     "req_" + strconv.FormatUint(id, 10),
		Time:   now,
		Method: r.Method,
		Path:   Cut(r.URL.EscapedPath(), MaxPath),
		Query:  Cut(j.redact.Query(r.URL.RawQuery), MaxQuery),
		Header: boundHeaders(j.redact.Headers(r.Header)),
	}}
	return rec
}

// Finish completes the entry and adds it to the ring.
func (j *Journal) Finish(rec *Recorder, status int, d time.Duration) {
	rec.mu.Lock()
	e := rec.e
	rec.mu.Unlock()
	e.Status = status
	e.DurationMS = float64(d.Microseconds()) / 1000
	if !rec.authSet {
		e.Auth = Auth{OK: true}
	}
	j.mu.Lock()
	j.ring[j.next] = e
	j.next++
	if j.next == len(j.ring) {
		j.next, j.full = 0, true
	}
	j.mu.Unlock()
}

// RedactBody returns the body as it may be journaled.
func (j *Journal) RedactBody(contentType string, body []byte) string {
	return j.redact.Body(contentType, body, j.bodyMax)
}

// Filter selects entries.
type Filter struct {
	Provider string
	Tenant   string
	Limit    int
}

// List returns matching entries, newest first.
func (j *Journal) List(f Filter) []Entry {
	j.mu.RLock()
	defer j.mu.RUnlock()
	n := j.next
	if j.full {
		n = len(j.ring)
	}
	out := make([]Entry, 0, min(n, max(f.Limit, 0)+1))
	for i := 0; i < n; i++ {
		idx := (j.next - 1 - i + len(j.ring)) % len(j.ring)
		e := j.ring[idx]
		if f.Provider != "" && e.Provider != f.Provider {
			continue
		}
		if f.Tenant != "" && e.Tenant != f.Tenant {
			continue
		}
		out = append(out, e)
		if f.Limit > 0 && len(out) >= f.Limit {
			break
		}
	}
	return out
}

// ID is the request id (also sent as X-Request-Id).
func (r *Recorder) ID() string {
	if r == nil {
		return ""
	}
	return r.e.ID
}
