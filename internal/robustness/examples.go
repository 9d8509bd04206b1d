// Package robustness holds the tests that prove the server cannot be held
// up or crashed by slow or hostile clients and receivers, and the small
// generic driver (this file) that runs every provider's Examples signed
// with its ClientSigner. The load generator (bench/) uses the same driver,
// so both stay independent of each provider's auth scheme.
package robustness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Client is a provider that can sign requests and describe valid ones.
type Client interface {
	platform.Provider
	platform.ClientSigner
	platform.Exampler
}

// Clients returns the providers of ps that implement ClientSigner and
// Exampler, in order.
func Clients(ps []platform.Provider) []Client {
	var out []Client
	for _, p := range ps {
		if c, ok := p.(Client); ok {
			out = append(out, c)
		}
	}
	return out
}

// Session runs one provider's examples for one tenant against a server.
type Session struct {
	Base     string // e.g. "http://127.0.0.1:8080"
	Provider Client
	Creds    any
	// Subst rewrites paths and bodies (e.g. a tenant-specific network in
	// the path); applied before signing.
	Subst   func(string) string
	HTTP    *http.Client
	Now     func() time.Time
	answers map[string][]byte
}

// NewSession prepares a session; creds is the provider's credentials value.
func NewSession(base string, p Client, creds any) *Session {
	return &Session{Base: strings.TrimSuffix(base, "/"), Provider: p, Creds: creds, HTTP: http.DefaultClient, Now: time.Now, answers: map[string][]byte{}}
}

// Prefix is the mount prefix of an example on the shared port.
func Prefix(p platform.Provider, ex platform.Example) string {
	if ex.Host != "" {
		return "/" + ex.Host
	}
	return "/" + p.Name()
}

// Resolve returns ex with {id} replaced from the answer of ex.From (which
// must have run in this session) and Subst applied.
func (s *Session) Resolve(ex platform.Example) (platform.Example, error) {
	if ex.From != "" && strings.Contains(ex.Path+string(ex.Body), "{id}") {
		ans, ok := s.answers[ex.From]
		if !ok {
			return ex, fmt.Errorf("%s: example %s has not run", ex.Name, ex.From)
		}
		id, err := Field(ans, ex.IDField)
		if err != nil {
			return ex, fmt.Errorf("%s: id of %s: %w", ex.Name, ex.From, err)
		}
		ex.Path = strings.ReplaceAll(ex.Path, "{id}", id)
		if ex.Body != nil {
			ex.Body = bytes.ReplaceAll(ex.Body, []byte("{id}"), []byte(id))
		}
	}
	if s.Subst != nil {
		ex.Path = s.Subst(ex.Path)
		if ex.Body != nil {
			ex.Body = []byte(s.Subst(string(ex.Body)))
		}
	}
	return ex, nil
}

// Request builds the signed request of a resolved example.
func (s *Session) Request(ctx context.Context, ex platform.Example) (*http.Request, error) {
	return SignedRequest(ctx, s.Base, s.Provider, s.Creds, ex.Method, Prefix(s.Provider, ex)+ex.Path, ex.Body, s.Now())
}

// SignedRequest builds a request at base+path with body, signed by p.
func SignedRequest(ctx context.Context, base string, p platform.ClientSigner, creds any, method, path string, body []byte, now time.Time) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return nil, err
	}
	if err := p.SignRequest(req, body, creds, now); err != nil {
		return nil, err
	}
	return req, nil
}

// Result is one example's answer.
type Result struct {
	Example platform.Example // resolved
	Status  int
	Body    []byte
}

// Run sends one example (resolving and signing it) and records its answer
// for later examples when it succeeds.
func (s *Session) Run(ctx context.Context, ex platform.Example) (Result, error) {
	rex, err := s.Resolve(ex)
	if err != nil {
		return Result{Example: ex}, err
	}
	req, err := s.Request(ctx, rex)
	if err != nil {
		return Result{Example: rex}, err
	}
	resp, err := s.HTTP.Do(req)
	if err != nil {
		return Result{Example: rex}, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return Result{Example: rex}, err
	}
	if resp.StatusCode < 300 {
		s.answers[ex.Name] = body
	}
	return Result{Example: rex, Status: resp.StatusCode, Body: body}, nil
}

// RunAll runs every example in order and fails on the first non-2xx.
func (s *Session) RunAll(ctx context.Context) ([]Result, error) {
	var out []Result
	for _, ex := range s.Provider.Examples() {
		res, err := s.Run(ctx, ex)
		if err != nil {
			return out, err
		}
		out = append(out, res)
		if res.Status >= 300 {
			return out, fmt.Errorf("%s example %s: %s %s: status %d: %.300s", s.Provider.Name(), ex.Name, res.Example.Method, res.Example.Path, res.Status, res.Body)
		}
	}
	return out, nil
}

// Answer is the recorded answer of a named example.
func (s *Session) Answer(name string) ([]byte, bool) {
	b, ok := s.answers[name]
	return b, ok
}

// SetAnswer records an answer as if the named example had returned it.
func (s *Session) SetAnswer(name string, body []byte) { s.answers[name] = body }

// Field reads a dotted path ("data.id") from a JSON document and returns
// it as a string (numbers without exponent).
func Field(doc []byte, path string) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return "", fmt.Errorf("no %q in array", k)
			}
			v = x[i]
		default:
			return "", fmt.Errorf("no %q in %T", k, v)
		}
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case nil:
		return "", fmt.Errorf("field %q missing", path)
	default:
		return "", fmt.Errorf("field %q is %T", path, v)
	}
}

// Credentials fetches the credentials of tenant ("" for the default) from
// the control API and decodes each provider's part.
func Credentials(ctx context.Context, base string, ps []Client, tenant string) (map[string]any, error) {
	u := strings.TrimSuffix(base, "/") + "/_fakeprovider/credentials"
	if tenant != "" {
		u += "?tenant=" + tenant
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("credentials: status %d: %s", resp.StatusCode, raw)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, p := range ps {
		part, ok := all[p.Name()]
		if !ok {
			return nil, fmt.Errorf("credentials: no %s part", p.Name())
		}
		c, err := p.Credentials().Decode(part)
		if err != nil {
			return nil, fmt.Errorf("credentials of %s: %w", p.Name(), err)
		}
		out[p.Name()] = c
	}
	return out, nil
}

// CredSubst returns a function that replaces, in paths and bodies, every
// string value of from's JSON form by the value of the same field in to
// (e.g. Difitek's network in its paths), so that a default-tenant example
// can be replayed by another tenant.
func CredSubst(from, to any) func(string) string {
	a, b := flatStrings(from), flatStrings(to)
	var pairs []string
	for k, v := range a {
		if w, ok := b[k]; ok && v != w && len(v) >= 4 {
			pairs = append(pairs, v, w)
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	r := strings.NewReplacer(pairs...)
	return r.Replace
}

func flatStrings(v any) map[string]string {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	out := map[string]string{}
	for k, x := range m {
		if s, ok := x.(string); ok {
			out[k] = s
		}
	}
	return out
}

// NewTenant mints a tenant through the control API and returns its id.
func NewTenant(ctx context.Context, base string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(base, "/")+"/_fakeprovider/tenants", nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("new tenant: status %d: %s", resp.StatusCode, raw)
	}
	for _, f := range []string{"tenant", "id", "tenant.id"} {
		if id, err := Field(raw, f); err == nil && id != "" {
			return id, nil
		}
	}
	return "", fmt.Errorf("new tenant: no id in %s", raw)
}
