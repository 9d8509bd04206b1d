// Package journal records every request the emulator answers: provider,
// route, tenant, auth verdict with the exact reason, status and latency. It
// keeps the last N entries in memory (a ring) and never holds secrets or
// personal data in clear: bodies and headers are redacted before storing.
package journal

import (
	"context"
	"net/http"
	"strconv"
	"strings"
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
	ID         string    `json:"id"`
	Time       time.Time `json:"time"`
	Provider   string    `json:"provider"`
	Tenant     string    `json:"tenant"`
	Route      string    `json:"route,omitempty"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Query      string    `json:"query,omitempty"`
	Status     int       `json:"status"`
	DurationMS float64   `json:"duration_ms"`
	Auth       Auth      `json:"auth"`
	Fault      string    `json:"fault,omitempty"`
	// Unmatched marks a request no provider route matched (a wrong path,
	// or a wrong method on a known path).
	Unmatched bool              `json:"unmatched,omitempty"`
	Header    map[string]string `json:"request_headers,omitempty"`
	// RespHeader are the answer's headers, redacted and bounded like the
	// request's.
	RespHeader map[string]string `json:"response_headers,omitempty"`
	Body       string            `json:"request_body,omitempty"`
	Response   string            `json:"response_body,omitempty"`

	// header and respHeader are what Header and RespHeader are built from
	// when the entry is read: the ring keeps the redacted headers as one
	// flat list each, not as maps.
	header, respHeader headerList
}

// withHeaders returns e with Header and RespHeader built.
func (e Entry) withHeaders() Entry {
	if e.Header == nil {
		e.Header = e.header.toMap()
	}
	if e.RespHeader == nil {
		e.RespHeader = e.respHeader.toMap()
	}
	return e
}

// Recorder is the entry of a request in flight; handlers annotate it.
type Recorder struct {
	mu sync.Mutex
	e  Entry
	// authSet tells whether a verifier ran at all.
	authSet bool
	// idHeader holds the id (IDHeader).
	idHeader [1]string
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

// SetUnmatched marks the request as matching no provider route.
func (r *Recorder) SetUnmatched() {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.e.Unmatched = true
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

// ContextKey is the context key of a request's recorder. With sets it; a
// context type that carries the recorder among other request data (the
// platform's request scope) answers it itself, saving a context layer.
type ContextKey struct{}

// With returns ctx carrying rec.
func With(ctx context.Context, rec *Recorder) context.Context {
	return context.WithValue(ctx, ContextKey{}, rec)
}

// From returns the recorder of the request, or nil (all methods accept nil).
func From(ctx context.Context) *Recorder {
	rec, _ := ctx.Value(ContextKey{}).(*Recorder)
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
	bodies  *bodyCache
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
	return &Journal{ring: make([]Entry, size), redact: redact, bodies: newBodyCache(), bodyMax: MaxBody}
}

// Redactor is the journal's redactor.
func (j *Journal) Redactor() *Redactor { return j.redact }

// Start begins the entry of a request.
func (j *Journal) Start(r *http.Request, now time.Time) *Recorder {
	rec := &Recorder{}
	j.Begin(rec, r, now)
	return rec
}

// Begin is Start with a recorder the caller allocated (a zero Recorder,
// part of its own per-request state); rec must not be in use.
func (j *Journal) Begin(rec *Recorder, r *http.Request, now time.Time) {
	var buf [24]byte
	id := string(strconv.AppendUint(append(buf[:0], "req_"...), j.seq.Add(1), 10))
	rec.idHeader, rec.authSet = [1]string{id}, false
	rec.e = Entry{
		ID:     id,
		Time:   now,
		Method: r.Method,
		Path:   Cut(r.URL.EscapedPath(), MaxPath),
		Query:  Cut(j.redact.Query(r.URL.RawQuery), MaxQuery),
		header: j.redact.headerList(r.Header),
	}
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

// SetResponseHeaders records the answer's headers (redacted and bounded)
// before Finish.
func (j *Journal) SetResponseHeaders(rec *Recorder, h http.Header) {
	if rec == nil || len(h) == 0 {
		return
	}
	kept := j.redact.headerList(h)
	rec.mu.Lock()
	rec.e.respHeader = kept
	rec.mu.Unlock()
}

// RedactBody returns the body as it may be journaled.
func (j *Journal) RedactBody(contentType string, body []byte) string {
	return j.bodies.redact(j.redact, contentType, body, j.bodyMax)
}

// Filter selects entries; zero fields match everything. Every set field
// must hold (AND), as in WireMock's request pattern.
type Filter struct {
	Provider string `json:"provider,omitempty"`
	Tenant   string `json:"tenant,omitempty"`
	Method   string `json:"method,omitempty"`
	// Path is the exact escaped path; PathPrefix a prefix of it.
	Path       string `json:"path,omitempty"`
	PathPrefix string `json:"path_prefix,omitempty"`
	// Status is an exact status; StatusClass a class such as 4 (4xx).
	Status      int `json:"status,omitempty"`
	StatusClass int `json:"status_class,omitempty"`
	// AuthOK selects by auth verdict (nil: either).
	AuthOK *bool  `json:"auth_ok,omitempty"`
	Route  string `json:"route,omitempty"`
	// Unmatched selects requests no provider route matched.
	Unmatched bool `json:"unmatched,omitempty"`
	// Since and Until bound the time (wall clock) the request arrived:
	// Since ≤ time < Until.
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until,omitzero"`
	// Text is a case-insensitive substring of the path, query, route, auth
	// reason or either (redacted) body.
	Text  string `json:"text,omitempty"`
	Limit int    `json:"limit,omitempty"`
	// Offset skips that many matching entries (paging).
	Offset int `json:"offset,omitempty"`
}

// Match reports whether e satisfies every set field of f.
func (f *Filter) Match(e *Entry) bool {
	switch {
	case f.Provider != "" && e.Provider != f.Provider,
		f.Tenant != "" && e.Tenant != f.Tenant,
		f.Method != "" && !strings.EqualFold(e.Method, f.Method),
		f.Path != "" && e.Path != f.Path,
		f.PathPrefix != "" && !strings.HasPrefix(e.Path, f.PathPrefix),
		f.Status != 0 && e.Status != f.Status,
		f.StatusClass != 0 && e.Status/100 != f.StatusClass,
		f.AuthOK != nil && e.Auth.OK != *f.AuthOK,
		f.Route != "" && e.Route != f.Route,
		f.Unmatched && !e.Unmatched,
		!f.Since.IsZero() && e.Time.Before(f.Since),
		!f.Until.IsZero() && !e.Time.Before(f.Until):
		return false
	}
	if f.Text != "" {
		t := strings.ToLower(f.Text)
		for _, s := range []string{e.Path, e.Query, e.Route, e.Auth.Reason, e.Body, e.Response} {
			if strings.Contains(strings.ToLower(s), t) {
				return true
			}
		}
		return false
	}
	return true
}

// List returns matching entries, newest first, skipping f.Offset of them
// and stopping at f.Limit (0: no limit).
func (j *Journal) List(f Filter) []Entry {
	j.mu.RLock()
	defer j.mu.RUnlock()
	n := j.size()
	out := make([]Entry, 0, min(n, max(f.Limit, 0)+1))
	skip := f.Offset
	for i := 0; i < n; i++ {
		e := &j.ring[(j.next-1-i+len(j.ring))%len(j.ring)]
		if !f.Match(e) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		out = append(out, e.withHeaders())
		if f.Limit > 0 && len(out) >= f.Limit {
			break
		}
	}
	return out
}

// Count returns how many entries match f (Limit and Offset ignored).
func (j *Journal) Count(f Filter) int {
	j.mu.RLock()
	defer j.mu.RUnlock()
	n, c := j.size(), 0
	for i := 0; i < n; i++ {
		if f.Match(&j.ring[i]) {
			c++
		}
	}
	return c
}

// Clear removes the entries of tenant, or every entry when tenant is "",
// and returns how many it removed. Request ids keep counting.
func (j *Journal) Clear(tenant string) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := j.size()
	if tenant == "" {
		clear(j.ring)
		j.next, j.full = 0, false
		return n
	}
	// Keep the other tenants' entries, oldest first, at the ring's start.
	kept := make([]Entry, 0, n)
	for i := n - 1; i >= 0; i-- {
		e := j.ring[(j.next-1-i+len(j.ring))%len(j.ring)]
		if e.Tenant != tenant {
			kept = append(kept, e)
		}
	}
	clear(j.ring)
	copy(j.ring, kept)
	j.next, j.full = len(kept)%len(j.ring), len(kept) == len(j.ring)
	return n - len(kept)
}

// size is the number of entries held (j.mu held).
func (j *Journal) size() int {
	if j.full {
		return len(j.ring)
	}
	return j.next
}

// Labels returns what handlers recorded so far: provider, route, tenant and
// the auth verdict (ok when no verifier ran).
func (r *Recorder) Labels() (provider, route, tenant string, authOK bool) {
	if r == nil {
		return "", "", "", true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.e.Provider, r.e.Route, r.e.Tenant, !r.authSet || r.e.Auth.OK
}

// ID is the request id (also sent as X-Request-Id).
func (r *Recorder) ID() string {
	if r == nil {
		return ""
	}
	return r.e.ID
}

// IDHeader is the id as a header value, to assign to the answer's
// X-Request-Id without allocating: a fresh slice of one element (capacity
// one, so that an Add copies instead of writing into the recorder).
func (r *Recorder) IDHeader() []string {
	if r == nil {
		return nil
	}
	return r.idHeader[:1:1]
}
