package platform

import (
	"context"
	"net/http"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/journal"
)

// RequestScope is everything the server attaches to a provider request:
// its journal recorder, and once a route matched, the route's variables and
// the mount prefix the request came in under. It is the request's context
// itself (one allocation, one request copy for all of it); journal.From and
// the route accessors (pathVar, Prefix) read it.
type RequestScope struct {
	context.Context
	rec    *journal.Recorder
	prefix string
	// A matched template's variables: names[i] is the variable of escaped
	// path segment i ("" for a literal), read from path on demand.
	names []string
	path  string
	// vars are variables given as a map (WithRoute, names nil).
	vars map[string]string
}

type scopeKey struct{}

// Value answers the journal's and the route's keys from the scope and
// everything else from the parent context.
func (s *RequestScope) Value(key any) any {
	switch key.(type) {
	case journal.ContextKey:
		if s.rec != nil {
			return s.rec
		}
	case scopeKey:
		return s
	}
	return s.Context.Value(key)
}

// Attach returns r carrying a fresh scope holding rec (nil for a request
// that is not journaled), and that scope, for SetRoute once a route matched.
func Attach(r *http.Request, rec *journal.Recorder) (*http.Request, *RequestScope) {
	s := &RequestScope{}
	return s.Bind(r, rec), s
}

// Bind is Attach with a scope the caller allocated (a zero RequestScope,
// part of its own per-request state, so that both cost one allocation).
func (s *RequestScope) Bind(r *http.Request, rec *journal.Recorder) *http.Request {
	*s = RequestScope{Context: r.Context(), rec: rec}
	return r.WithContext(s)
}

// ScopeOf returns the request's scope (Attach, Bind or WithRoute), or nil.
func ScopeOf(r *http.Request) *RequestScope {
	if s, ok := r.Context().(*RequestScope); ok {
		return s
	}
	s, _ := r.Context().Value(scopeKey{}).(*RequestScope)
	return s
}

// SetRoute records the matched route: names holds, for each segment of the
// escaped path, the template's variable name there ("" for a literal
// segment); prefix is the mount prefix ("/d24", or "" at the real path).
// names is kept, not copied: it belongs to the route's template.
func (s *RequestScope) SetRoute(names []string, path, prefix string) {
	s.names, s.path, s.prefix, s.vars = names, path, prefix, nil
}

// pathVar reads a route variable set by the router.
func pathVar(r *http.Request, name string) string {
	s := ScopeOf(r)
	if s == nil {
		return ""
	}
	if s.names == nil {
		return s.vars[name]
	}
	rest := strings.TrimPrefix(s.path, "/")
	for _, n := range s.names {
		seg, tail, _ := strings.Cut(rest, "/")
		if n == name {
			return seg
		}
		rest = tail
	}
	return ""
}

// WithRoute stores a matched route's variables and the mount prefix the
// request came in under ("/d24", or "" at the real path), in one context
// value (one request copy). The control API sets it; the server uses
// Attach and SetRoute instead.
func WithRoute(r *http.Request, vars map[string]string, prefix string) *http.Request {
	return r.WithContext(&RequestScope{Context: r.Context(), prefix: prefix, vars: vars})
}

// Prefix is the mount prefix the request came in under: "" at the real path,
// "/<provider>" (or "/<host>") under the shared port's prefix.
func Prefix(r *http.Request) string {
	if s := ScopeOf(r); s != nil {
		return s.prefix
	}
	return ""
}
