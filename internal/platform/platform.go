// Package platform is the contract between fakeprovider's shared machinery
// and the emulated providers.
//
// A provider is one value implementing Provider. At start the server calls its
// Mount with a *Mount, through which the provider declares its routes (each
// with its own Verifier), its response writer, control endpoints, outgoing
// notification signers, scenario targets and built-in scenario files. The
// platform owns listening, the request pipeline, the journal, tenants, the
// store, the outbox, the scheduler and the control API. Nothing
// provider-specific lives here, and this package never imports a provider.
package platform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Provider is one emulated third-party API.
type Provider interface {
	// Name is the provider's short name: "d24", "crm", "difitek", "crowdtrust".
	// It is the /<name>/ path prefix, the control path and the store bucket.
	Name() string
	// Credentials describes how the provider's credentials are minted and
	// how they identify a tenant.
	Credentials() CredentialSpec
	// Mount declares the provider's routes and hooks.
	Mount(m *Mount) error
}

// Configurable is implemented by providers that have settings of their own.
// Flags are registered before Mount, each with an env var.
type Configurable interface {
	Flags(f *FlagSet)
}

// CredentialSpec tells the platform how to handle a provider's credentials.
// The credentials value is the provider's own struct with JSON tags: it is
// what GET /_fakeprovider/credentials shows under the provider's name.
type CredentialSpec struct {
	// Default returns the fixed, documented credentials of the default tenant.
	Default func() any
	// New returns fresh random credentials for a new tenant.
	New func() any
	// Decode parses the JSON form (from the store or a credentials file).
	Decode func(raw json.RawMessage) (any, error)
	// Keys lists the values that identify the tenant in a request (a login,
	// an API key…); Tenants.Lookup finds the tenant by any of them.
	Keys func(creds any) []string
	// Complete, when set, fills the fields a stored tenant's credentials
	// lack (credentials saved before the provider added them) from fill —
	// Default() for the default tenant, New() for the others — and reports
	// whether it changed anything, so the registry saves the result.
	Complete func(creds, fill any) bool
}

// Tenants resolves credentials to tenants, with one map lookup.
type Tenants interface {
	// Lookup finds the tenant whose credentials of provider have key among
	// their Keys, or that a key was bound to, and returns the tenant's
	// credentials of provider.
	Lookup(provider, key string) (tenant string, creds any, ok bool)
	// Bind registers a key made at run time (an account's API key, a
	// token) as identifying tenant. Keys live in memory: a provider binds
	// the keys of its stored records again when it is mounted.
	Bind(provider, key, tenant string)
	// Credentials returns the credentials of provider for tenant.
	Credentials(tenant, provider string) (any, bool)
	// IDs lists the tenant ids.
	IDs() []string
}

// Caller is who a verified request comes from.
type Caller struct {
	// Tenant owns all state the request touches.
	Tenant string
	// Key is the credential that authenticated the request (login, API key).
	Key string
	// Env is a provider-defined environment, e.g. "live" or "test".
	Env string
	// Creds is the provider's credentials value of the tenant.
	Creds any
	// User is a provider-defined authenticated principal, if any.
	User any
}

// Verifier checks a request's authentication over the bytes received. It
// returns the caller, or an error: an *AuthError for an authentication
// failure, any other error to be rendered by the provider's writer.
type Verifier func(r *http.Request, body []byte) (Caller, error)

// NoAuth is the Verifier of routes that need no authentication. The caller
// has no tenant; handlers decide which tenant they act for.
func NoAuth(*http.Request, []byte) (Caller, error) { return Caller{}, nil }

// AuthError is an authentication failure: what the client sees and why.
type AuthError struct {
	// Public is rendered by the provider's writer exactly as the real service
	// answers; it must not reveal more than the real service does.
	Public error
	// Reason is the precise cause for the developer (journal, log and, with
	// --explain-auth, the X-Fakeprovider-Auth-Error header).
	Reason string
	// Tenant is set when the credentials were recognised before failing.
	Tenant string
}

func (e *AuthError) Error() string { return "auth: " + e.Reason }

// Unwrap returns the public error.
func (e *AuthError) Unwrap() error { return e.Public }

// Deny builds an AuthError with a formatted reason.
func Deny(public error, format string, args ...any) *AuthError {
	return &AuthError{Public: public, Reason: fmt.Sprintf(format, args...)}
}

// HandlerFunc handles a verified request. It returns the value to render
// with the provider's writer (a *Response for a status other than 200, raw
// bytes or extra headers), or an error the writer renders in the provider's
// envelope. Handlers never write HTTP themselves.
type HandlerFunc func(req *Request) (any, error)

// Response is a handler result with explicit status, headers or raw body.
type Response struct {
	Status int
	Header http.Header
	// Body is rendered by the provider's writer unless Raw is set.
	Body any
	// Raw is written as-is with ContentType (PDF, HTML, form bodies).
	Raw         []byte
	ContentType string
}

// Created is a 201 result.
func Created(v any) *Response { return &Response{Status: http.StatusCreated, Body: v} }

// NoContent is a 204 result.
func NoContent() *Response { return &Response{Status: http.StatusNoContent} }

// WithStatus is a result with the given status.
func WithStatus(status int, v any) *Response { return &Response{Status: status, Body: v} }

// RawResponse is a result written verbatim.
func RawResponse(status int, contentType string, body []byte) *Response {
	return &Response{Status: status, ContentType: contentType, Raw: body}
}

// Rendered is a fully encoded HTTP answer.
type Rendered struct {
	Status int
	Header http.Header
	Body   []byte
}

// Writer renders a provider's answers in its own envelope.
type Writer interface {
	// Success encodes a handler's value with the given status.
	Success(r *http.Request, status int, v any) Rendered
	// Error encodes an error: the provider's own error types and an
	// AuthError's Public error. The platform's errors reach it already
	// mapped through the envelope's Errors; what it does not recognise is
	// its 500.
	Error(r *http.Request, err error) Rendered
}

// Errors are a provider's answers, in one of its error envelopes, to the
// failures the platform itself detects. The platform maps its own errors
// through them, once for every provider, and renders the answer with the
// envelope's Writer; a nil field hands the platform error to the Writer as
// it is.
type Errors struct {
	// NotFound answers ErrNotFound: a resource of the tenant does not exist.
	NotFound error
	// RouteNotFound answers ErrRouteNotFound; NotFound when nil.
	RouteNotFound error
	// MethodNotAllowed answers ErrMethodNotAllowed.
	MethodNotAllowed error
	// BodyTooLarge answers ErrBodyTooLarge.
	BodyTooLarge error
	// BadRequestBody answers ErrBadRequestBody (broken framing).
	BadRequestBody error
	// Unavailable answers ErrUnavailable.
	Unavailable error
	// Internal answers ErrInternal.
	Internal error
	// Status answers a fault rule's or a scenario step's status.
	Status func(status int) error
}

// provider maps a platform error to the provider's own answer.
func (e *Errors) provider(err error) error {
	var fe *FaultError
	pick := func(v error) error {
		if v == nil {
			return err
		}
		return v
	}
	switch {
	case errors.As(err, &fe):
		if e.Status == nil {
			return err
		}
		return e.Status(fe.Status)
	case errors.Is(err, ErrRouteNotFound) && e.RouteNotFound != nil:
		return e.RouteNotFound
	case errors.Is(err, ErrNotFound):
		return pick(e.NotFound)
	case errors.Is(err, ErrMethodNotAllowed):
		return pick(e.MethodNotAllowed)
	case errors.Is(err, ErrBodyTooLarge):
		return pick(e.BodyTooLarge)
	case errors.Is(err, ErrBadRequestBody):
		return pick(e.BadRequestBody)
	case errors.Is(err, ErrUnavailable):
		return pick(e.Unavailable)
	case errors.Is(err, ErrInternal):
		return pick(e.Internal)
	}
	return err
}

// Envelope is one error-envelope family of a provider: the writer of its
// answers and its answers to the platform's failures. Most providers have
// one; D24's cashouts answer in another envelope than its deposits.
type Envelope struct {
	Writer Writer
	Errors Errors
	// Paths send the answer to a path no route matches (404, 405) to this
	// envelope when the real path (without the /<provider> or /<host>
	// prefix) starts with one of them.
	Paths []string
}

// Success implements Writer with the envelope's writer.
func (e *Envelope) Success(r *http.Request, status int, v any) Rendered {
	return e.Writer.Success(r, status, v)
}

// Error implements Writer: a fault's body is written verbatim, a platform
// error becomes the provider's own answer, and the envelope's writer renders
// the rest.
func (e *Envelope) Error(r *http.Request, err error) Rendered {
	var fe *FaultError
	if errors.As(err, &fe) && fe.Body != nil {
		return Rendered{Status: fe.Status, Header: http.Header{"Content-Type": {"application/json"}}, Body: fe.Body}
	}
	return e.Writer.Error(r, e.Errors.provider(err))
}

// Platform errors a provider's Writer must render in its envelope.
var (
	// ErrInternal: a handler panicked or failed unexpectedly (HTTP 500).
	ErrInternal = errors.New("internal error")
	// ErrBodyTooLarge: the request body exceeded the limit (HTTP 413).
	ErrBodyTooLarge = errors.New("request body too large")
	// ErrBadRequestBody: the body could not be read as framed (malformed
	// chunked encoding, fewer bytes than Content-Length, a client that
	// stopped sending): HTTP 400, before authentication.
	ErrBadRequestBody = errors.New("request body could not be read")
	// ErrNotFound: a resource does not exist for this tenant (HTTP 404).
	ErrNotFound = errors.New("not found")
	// ErrUnavailable: the server is shutting down (HTTP 503).
	ErrUnavailable = errors.New("service unavailable")
	// ErrRouteNotFound: no route of the provider matches the path (HTTP
	// 404). It wraps ErrNotFound, so a writer that maps ErrNotFound renders
	// it; a writer may tell the two apart with errors.Is.
	ErrRouteNotFound = fmt.Errorf("no such route: %w", ErrNotFound)
	// ErrMethodNotAllowed: a route of the provider matches the path but not
	// the method (HTTP 405). The answer carries an Allow header.
	ErrMethodNotAllowed = errors.New("method not allowed")
)

// FaultError is what a fault rule or a scenario step makes a call fail
// with: a status and, optionally, a body written verbatim. Without a body
// the provider's Errors.Status answers.
type FaultError struct {
	Status int
	Body   []byte
}

func (e *FaultError) Error() string { return fmt.Sprintf("injected fault: status %d", e.Status) }

// Clock is the time source.
type Clock interface {
	// Now is the wall clock: auth windows use it, because clients sign with theirs.
	Now() time.Time
	// ScenarioNow is the wall clock plus the fast-forward offset of the
	// tenant ("" for the global offset): scenario timers, expirations,
	// webhook retries and resource timestamps use it.
	ScenarioNow(tenant string) time.Time
}

// Event is something a provider reports happened to a resource. Scenarios
// subscribe to events by provider and name and match on Fields.
type Event struct {
	// Name is the provider's event name, e.g. "deposit.created".
	Name string `json:"name"`
	// Kind and ID name the resource the event is about.
	Kind string `json:"kind"`
	ID   string `json:"id"`
	// Fields are the values scenarios match on (request fields, resource
	// fields), flattened with dots for nested objects: "payer.last_name".
	Fields Fields `json:"fields,omitempty"`
}

// Delivery is an outgoing notification (webhook) put in the outbox.
type Delivery struct {
	// URL is the receiver. Loopback and plain http are allowed.
	URL    string      `json:"url"`
	Method string      `json:"method,omitempty"` // default POST
	Header http.Header `json:"header,omitempty"`
	Body   []byte      `json:"body"`
	// Signer names a signer the provider registered with Mount.Signer; it
	// is called before every attempt (fresh dates and signatures).
	Signer string `json:"signer,omitempty"`
	// Retry lists the waits after each failed attempt; nil means one attempt.
	Retry []time.Duration `json:"retry,omitempty"`
	// Timeout bounds one attempt; zero means 5 s.
	Timeout time.Duration `json:"timeout,omitempty"`
	// Delay postpones the first attempt (scenario time).
	Delay time.Duration `json:"delay,omitempty"`
	// Event, Kind and ResourceID say what the delivery is about.
	Event      string `json:"event,omitempty"`
	Kind       string `json:"kind,omitempty"`
	ResourceID string `json:"resource_id,omitempty"`
}

// SignFunc signs an outgoing delivery before an attempt: it may set headers
// and rewrite the body (e.g. a form field carrying a signature).
type SignFunc func(ctx context.Context, tenant string, d *Delivery, now time.Time) error

// StatusFunc moves a resource to a status on behalf of a scenario step or a
// control call, with extra fields (e.g. a rejection code). It writes the
// record and enqueues the provider's notification in tx, exactly as the real
// service does on that change.
type StatusFunc func(tx *Tx, id, status string, fields Fields) error

// ControlFunc handles a provider-specific control endpoint under
// /_fakeprovider/<provider>/. It returns a JSON value or an error (a
// *ControlError for a specific status).
type ControlFunc func(req *ControlRequest) (any, error)

// ControlError is a control API error with its HTTP status.
type ControlError struct {
	Status  int
	Message string
}

func (e *ControlError) Error() string { return e.Message }

// BadControl is a 400 control error.
func BadControl(format string, args ...any) *ControlError {
	return &ControlError{Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

// ControlNotFound is a 404 control error.
func ControlNotFound(format string, args ...any) *ControlError {
	return &ControlError{Status: http.StatusNotFound, Message: fmt.Sprintf(format, args...)}
}

// SignCommander is implemented by providers that extend
// `fakeprovider sign <provider> …`: it parses its own flags from args and
// prints the headers a real client would send ("Name: value" lines) and a
// ready curl command. creds are the default tenant's credentials unless the
// user passed others.
type SignCommander interface {
	SignCommand(args []string, creds any, out io.Writer) error
}

// ClientSigner is implemented by providers that can sign an outgoing
// request exactly as a real client library does. The load generator,
// the signature mutation tests and the in-process test package use it, so
// they stay independent of each provider's scheme. creds are the provider's
// own credentials value; now is the client's wall clock. SignRequest sets
// every auth header on r (and may read r.URL and r.Method); body is the exact
// body that will be sent.
type ClientSigner interface {
	SignRequest(r *http.Request, body []byte, creds any, now time.Time) error
}

// Example is a representative valid request of a provider, used by the
// generic robustness sweeps and the load generator. Path is the real path
// (without the /<provider> prefix); {id} in Path is replaced by the id that
// the example named by From returned (its JSON answer's IDField).
type Example struct {
	Name   string
	Method string
	Path   string
	Body   []byte
	// Host is the extra host the route lives on ("" for the main one).
	Host string
	// From names an earlier example whose answer provides {id}; IDField is
	// a dotted JSON path into that answer (e.g. "deposit_id", "data.id").
	From    string
	IDField string
}

// Exampler is implemented by providers that describe representative valid
// requests: at least one create and one read per auth scheme, in the order
// they must run.
type Exampler interface {
	Examples() []Example
}

// MultiHost is implemented by providers whose real service spans several
// hosts (e.g. a separate card-payments domain). It is the one declaration
// of those hosts: the command line reads it to offer a --<host>-addr flag
// for each, and MountOf gives them to the provider's mount.
type MultiHost interface {
	ExtraHosts() []HostSpec
}

// Fields are the values of an event or a status change (scenario steps,
// control calls), as decoded from JSON or YAML or set by a provider. The
// readers accept each value in the forms those give it, so providers read
// them without type switches.
type Fields map[string]any

// String is the value of key as a string ("" when absent); numbers and
// booleans are formatted.
func (f Fields) String(key string) string {
	switch v := f[key].(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

// Int is the value of key as an integer: an int, an integral float, a
// json.Number or a numeric string. ok is false when it is absent or none
// of those.
func (f Fields) Int(key string) (n int, ok bool) {
	switch v := f[key].(type) {
	case int:
		return v, true
	case int64:
		return int(v), true
	case float64:
		if v == math.Trunc(v) {
			return int(v), true
		}
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return int(i), true
		}
	case string:
		if i, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			return i, true
		}
	}
	return 0, false
}
