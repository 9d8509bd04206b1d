package platform

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/journal"
	"github.com/fakeprovider/fakeprovider/internal/store"
)

// ExplainHeader carries the auth-failure reason when --explain-auth is on.
const ExplainHeader = "X-Fakeprovider-Auth-Error"

// Request is a verified provider request handed to a HandlerFunc.
type Request struct {
	*http.Request
	// Body is the raw body as received (already read, bounded).
	Body []byte
	// Caller is who the Verifier authenticated.
	Caller Caller
	// Route is the matched route.
	Route *Route

	mount   *Mount
	idemKey string
	idemFP  string
}

// Var returns a path variable of the route.
func (r *Request) Var(name string) string { return pathVar(r.Request, name) }

// Tenant is the caller's tenant.
func (r *Request) Tenant() string { return r.Caller.Tenant }

// Now is the scenario time of the caller's tenant.
func (r *Request) Now() time.Time { return r.mount.deps.Clock.ScenarioNow(r.Caller.Tenant) }

// Log is the provider's logger.
func (r *Request) Log() *slog.Logger { return r.mount.deps.Log }

// Mount is the provider's mount.
func (r *Request) Mount() *Mount { return r.mount }

// BaseURL is the URL the client used to reach the provider.
func (r *Request) BaseURL() string { return BaseURL(r.Request) }

// View runs fn in a read transaction for the caller's tenant.
func (r *Request) View(fn func(tx *Tx) error) error {
	return r.mount.View(r.Context(), r.Caller.Tenant, fn)
}

// ReadShared reads one record of the caller's tenant for a read that only
// renders it (Mount.ReadShared).
func (r *Request) ReadShared(kind, id string, v any) (bool, error) {
	return r.mount.ReadShared(r.Context(), r.Caller.Tenant, kind, id, v)
}

// Update runs fn in one write transaction for the caller's tenant.
func (r *Request) Update(fn func(tx *Tx) error) error {
	return r.mount.Update(r.Context(), r.Caller.Tenant, fn)
}

// Commit runs fn in one write transaction and returns its result. On a route
// declared Idempotent, when the request carries a key, the rendered answer
// is stored with the records in the same transaction; a later request with
// the same key and the same content gets that answer again (fn is not run),
// and one with other content gets the route's conflict error. Concurrent
// first uses of a key are serialised by the store, so exactly one runs fn.
// An error from fn stores nothing.
func (r *Request) Commit(fn func(tx *Tx) (any, error)) (any, error) {
	var result any
	err := r.Update(func(tx *Tx) error {
		result = nil
		if r.idemKey != "" {
			rec, err := tx.Records().Idempotency(r.idemKey)
			if err != nil {
				return err
			}
			if rec != nil {
				if rec.Fingerprint != r.idemFP {
					return r.Route.Idempotency.Conflict
				}
				result = &Response{Status: rec.Status, Header: rec.Header, Raw: rec.Body, ContentType: rec.Header.Get("Content-Type")}
				return nil
			}
		}
		v, err := fn(tx)
		if err != nil {
			return err
		}
		if r.idemKey == "" {
			result = v
			return nil
		}
		out := r.mount.render(r.Request, r.mount.envelope(r.Route.Envelope), v)
		if err := tx.Records().PutIdempotency(r.idemKey, store.IdemRecord{
			Fingerprint: r.idemFP, Status: out.Status, Header: out.Header, Body: out.Body, Created: time.Now().UTC(),
		}); err != nil {
			return err
		}
		result = &Response{Status: out.Status, Header: out.Header, Raw: out.Body, ContentType: out.Header.Get("Content-Type")}
		return nil
	})
	return result, err
}

// render turns a handler value into bytes with the provider's writer.
func (m *Mount) render(r *http.Request, e *Envelope, v any) Rendered {
	if resp, ok := v.(*Response); ok {
		status := resp.Status
		if status == 0 {
			status = http.StatusOK
		}
		if resp.Raw != nil || status == http.StatusNoContent {
			h := http.Header{}
			for k, vs := range resp.Header {
				h[k] = vs
			}
			if resp.ContentType != "" {
				h.Set("Content-Type", resp.ContentType)
			}
			return Rendered{Status: status, Header: h, Body: resp.Raw}
		}
		out := e.Success(r, status, resp.Body)
		if out.Header == nil {
			out.Header = http.Header{}
		}
		for k, vs := range resp.Header {
			out.Header[k] = vs
		}
		return out
	}
	return e.Success(r, http.StatusOK, v)
}

// ServeRoute builds the request pipeline of a route: bounded body read →
// Verify → faults → handler → the provider's writer. Panics become the
// provider's 500 with the stack in the log only.
func (m *Mount) ServeRoute(rt *Route) http.Handler {
	if rt.HTTP != nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			journal.From(r.Context()).SetProvider(m.provider, rt.Name)
			if rt.Inferred != "" {
				w.Header().Set(InferredHeader, rt.Inferred)
			}
			rt.HTTP.ServeHTTP(w, r)
		})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := journal.From(r.Context())
		rec.SetProvider(m.provider, rt.Name)
		if rt.Inferred != "" {
			w.Header().Set(InferredHeader, rt.Inferred)
		}
		var out Rendered
		var body []byte
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				m.deps.Log.Error("panic in handler", "provider", m.provider, "route", rt.Path, "panic", p, "stack", string(debug.Stack()))
				out = m.envelope(rt.Envelope).Error(r, ErrInternal)
				m.write(w, r, out, body, rec)
			}
		}()
		out = m.serve(w, r, rt, &body)
		if out.Status == 0 { // connection dropped by a fault
			return
		}
		m.write(w, r, out, body, rec)
	})
}

func (m *Mount) serve(w http.ResponseWriter, r *http.Request, rt *Route, bodyOut *[]byte) Rendered {
	env := m.envelope(rt.Envelope)
	limit := m.deps.Config.MaxBodyBytes
	if limit <= 0 {
		limit = 10 << 20
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return env.Error(r, ErrBodyTooLarge)
		}
		// The client's framing is broken (or it stopped sending): its
		// fault, answered in the provider's envelope; the request never
		// reached auth.
		m.deps.Log.LogAttrs(r.Context(), slog.LevelWarn, "request body unreadable",
			slog.String("provider", m.provider), slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int64("content_length", r.ContentLength), slog.String("err", err.Error()))
		return env.Error(r, ErrBadRequestBody)
	}
	*bodyOut = body
	rec := journal.From(r.Context())

	caller, err := rt.Verify(r, body)
	if err != nil {
		var ae *AuthError
		if errors.As(err, &ae) {
			rec.SetAuth(false, ae.Reason)
			rec.SetTenant(ae.Tenant)
			m.deps.Log.LogAttrs(r.Context(), slog.LevelInfo, "auth failed",
				slog.String("provider", m.provider), slog.String("path", r.URL.Path), slog.String("reason", ae.Reason))
			out := env.Error(r, ae.Public)
			if m.deps.Config.ExplainAuth {
				if out.Header == nil {
					out.Header = http.Header{}
				}
				out.Header.Set(ExplainHeader, sanitizeHeader(journal.Cut(ae.Reason, journal.MaxReason)))
			}
			return out
		}
		rec.SetTenant(caller.Tenant)
		return env.Error(r, err)
	}
	rec.SetTenant(caller.Tenant)
	if m.deps.Faults != nil {
		if f := m.deps.Faults.Match(r.Context(), m.provider, caller.Tenant, r); f != nil {
			rec.SetFault(f.Rule)
			if f.Latency > 0 {
				select {
				case <-time.After(f.Latency):
				case <-r.Context().Done():
				}
			}
			if f.Drop {
				dropConnection(w)
				return Rendered{}
			}
			if f.Fail != nil {
				return env.Error(r, f.Fail)
			}
		}
	}

	req := &Request{Request: r, Body: body, Caller: caller, Route: rt, mount: m}
	if rt.Idempotency != nil {
		if key := r.Header.Get(rt.Idempotency.Header); key != "" {
			sum := sha256.New()
			// The same request through /<provider>/ or with a trailing slash
			// is the same request.
			path := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, Prefix(r)), "/")
			io.WriteString(sum, r.Method+" "+path+"\n")
			sum.Write(body)
			req.idemKey, req.idemFP = key, hex.EncodeToString(sum.Sum(nil))
		}
	}
	v, err := rt.Handler(req)
	if err != nil {
		if errors.Is(err, store.ErrClosed) {
			return env.Error(r, ErrUnavailable)
		}
		var pe *store.PanicError
		if errors.As(err, &pe) {
			m.deps.Log.Error("panic in transaction", "provider", m.provider, "route", rt.Path, "panic", pe.Value, "stack", string(pe.Stack))
			return env.Error(r, ErrInternal)
		}
		return env.Error(r, err)
	}
	return m.render(r, env, v)
}

func (m *Mount) write(w http.ResponseWriter, r *http.Request, out Rendered, reqBody []byte, rec *journal.Recorder) {
	h := w.Header()
	for k, vs := range out.Header {
		h[k] = vs
	}
	if out.Body != nil && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	if out.Status != http.StatusNoContent {
		h.Set("Content-Length", strconv.Itoa(len(out.Body)))
	}
	w.WriteHeader(out.Status)
	if out.Status != http.StatusNoContent && r.Method != http.MethodHead {
		w.Write(out.Body)
	}
	if rec != nil && m.deps.Journal != nil {
		j := m.deps.Journal
		rec.SetBodies(j.RedactBody(r.Header.Get("Content-Type"), reqBody), j.RedactBody(h.Get("Content-Type"), out.Body))
	}
}

// dropConnection closes the client connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// sanitizeHeader keeps a reason usable as a header value.
func sanitizeHeader(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '\n' {
			b[i] = '|'
		} else if c < 0x20 || c == 0x7f {
			b[i] = ' '
		}
	}
	return string(b)
}

// NotFound answers a path that no route of the provider matches with the
// provider's own not-found error (ErrRouteNotFound), as the real service does
// for an unknown path under its base URL.
func (m *Mount) NotFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := journal.From(r.Context())
		rec.SetProvider(m.provider, "not_found")
		m.write(w, r, m.envelopeOfPath(r.URL.Path).Error(r, ErrRouteNotFound), nil, rec)
	})
}

// MethodNotAllowed answers a path that a route of the provider matches with
// another method: the provider's own 405 (ErrMethodNotAllowed) with an Allow
// header listing the methods the path serves.
func (m *Mount) MethodNotAllowed(allow []string) http.Handler {
	allowed := strings.Join(allow, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := journal.From(r.Context())
		rec.SetProvider(m.provider, "method_not_allowed")
		out := m.envelopeOfPath(r.URL.Path).Error(r, ErrMethodNotAllowed)
		if out.Header == nil {
			out.Header = http.Header{}
		}
		if allowed != "" {
			out.Header.Set("Allow", allowed)
		}
		m.write(w, r, out, nil, rec)
	})
}
