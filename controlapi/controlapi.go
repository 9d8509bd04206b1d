// Package controlapi holds the wire types of the control API
// (/_fakeprovider/…): the JSON bodies the emulator answers and accepts. The
// server encodes with them, and the Go clients (fakeprovidertest, the
// testcontainers module) decode with them, so the three cannot drift apart.
//
// The package depends on the standard library only: a client module can
// import it without the emulator.
package controlapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
)

// Prefix is the path prefix of every control endpoint.
const Prefix = "/_fakeprovider"

// Error is the one error envelope of the control API, from every control
// path (a handler's refusal, an unknown path or method, the guard's 401 and
// 403): a stable machine code and a sentence for a person.
type Error struct {
	Code    string `json:"error"`
	Message string `json:"message"`
	// ID, Status and Requested describe a refused state change (code
	// conflict, e.g. a provider's status control): the resource, its
	// current status and the status asked for.
	ID        string `json:"id,omitempty"`
	Status    string `json:"status,omitempty"`
	Requested string `json:"requested,omitempty"`
}

// Error implements error.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// The error codes of the control API.
const (
	CodeBadRequest           = "bad_request"
	CodeControlTokenRequired = "control_token_required"
	CodeForbiddenHost        = "forbidden_host"
	CodeCrossOriginRefused   = "cross_origin_refused"
	CodeNotFound             = "not_found"
	CodeMethodNotAllowed     = "method_not_allowed"
	CodeConflict             = "conflict"
	CodeBodyTooLarge         = "body_too_large"
	CodeUnprocessable        = "unprocessable"
	CodeInternal             = "internal"
)

// Codes lists every error code the control API answers.
func Codes() []string {
	return []string{CodeBadRequest, CodeNotFound, CodeMethodNotAllowed, CodeConflict, CodeBodyTooLarge, CodeUnprocessable,
		CodeInternal, CodeControlTokenRequired, CodeForbiddenHost, CodeCrossOriginRefused}
}

// CodeForStatus is the code of a handler error answered with status.
func CodeForStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return CodeBadRequest
	case http.StatusNotFound:
		return CodeNotFound
	case http.StatusMethodNotAllowed:
		return CodeMethodNotAllowed
	case http.StatusConflict:
		return CodeConflict
	case http.StatusRequestEntityTooLarge:
		return CodeBodyTooLarge
	case http.StatusUnprocessableEntity:
		return CodeUnprocessable
	}
	if status >= 500 {
		return CodeInternal
	}
	return CodeBadRequest
}

// EncodeError is the encoding of every control error answer: compact JSON
// and a newline.
func EncodeError(code, message string) []byte {
	b, err := json.Marshal(Error{Code: code, Message: message})
	if err != nil {
		return []byte(`{"error":"internal","message":"encoding failed"}` + "\n")
	}
	return append(b, '\n')
}

// WriteError writes the error envelope with status.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(EncodeError(code, message))
}

// Health is GET /health.
type Health struct {
	Status  string `json:"status"`
	Version string `json:"version"`
}

// Tenant is a tenant with its credentials, one object per provider (GET
// /credentials, GET /tenants, POST /tenants). On the wire the providers'
// credentials sit beside "tenant": {"tenant":"default","d24":{…},…}.
type Tenant struct {
	ID string
	// Credentials are each provider's credentials as it shows them.
	Credentials map[string]json.RawMessage
}

// MarshalJSON writes the flat object.
func (t Tenant) MarshalJSON() ([]byte, error) {
	m := make(map[string]json.RawMessage, len(t.Credentials)+1)
	for p, c := range t.Credentials {
		m[p] = c
	}
	id, err := json.Marshal(t.ID)
	if err != nil {
		return nil, err
	}
	m["tenant"] = id
	return json.Marshal(m)
}

// UnmarshalJSON reads the flat object.
func (t *Tenant) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*t = Tenant{Credentials: map[string]json.RawMessage{}}
	for k, v := range m {
		if k == "tenant" {
			if err := json.Unmarshal(v, &t.ID); err != nil {
				return fmt.Errorf("tenant: %w", err)
			}
			continue
		}
		t.Credentials[k] = v
	}
	return nil
}

// Providers lists the providers of t's credentials, sorted.
func (t Tenant) Providers() []string {
	out := make([]string, 0, len(t.Credentials))
	for p := range t.Credentials {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// TenantList is GET /tenants.
type TenantList struct {
	Tenants []Tenant `json:"tenants"`
}

// State is GET /state: the tenant's records by provider and kind.
type State struct {
	State  json.RawMessage `json:"state"`
	Tenant string          `json:"tenant"`
}

// Route is one provider route (GET /routes).
type Route struct {
	Provider string `json:"provider"`
	// Host is the provider's name for its main host, or the name of the
	// extra host the route is served on.
	Host   string `json:"host"`
	Method string `json:"method"`
	// Path is the real path (on the provider's own listener, or on the
	// shared port for main-host routes); PrefixedPath the same route under
	// /<host>/ on the shared port.
	Path         string `json:"path"`
	PrefixedPath string `json:"prefixed_path"`
	Name         string `json:"name"`
	// Inferred says why the route's contract is inferred rather than
	// documented; absent for documented routes.
	Inferred string `json:"inferred,omitempty"`
}

// RouteList is GET /routes.
type RouteList struct {
	InferredCount int     `json:"inferred_count"`
	Routes        []Route `json:"routes"`
}
