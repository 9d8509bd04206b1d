package fakeprovidertest

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/controlapi"
	"github.com/fakeprovider/fakeprovider/emulator/crm"
	"github.com/fakeprovider/fakeprovider/emulator/crowdtrust"
	"github.com/fakeprovider/fakeprovider/emulator/d24"
	"github.com/fakeprovider/fakeprovider/emulator/difitek"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// knownHost reports whether name is a provider or an extra host of one.
func (s *Server) knownHost(name string) bool {
	for _, n := range s.hostNames() {
		if n == name {
			return true
		}
	}
	return false
}

func (s *Server) hostNames() []string {
	names := append([]string(nil), s.names...)
	for _, n := range s.names {
		if mh, ok := s.providers[n].(platform.MultiHost); ok {
			for _, h := range mh.ExtraHosts() {
				names = append(names, h.Name)
			}
		}
	}
	return names
}

// D24Credentials are the tenant's D24 credentials.
func (tn *Tenant) D24Credentials() *d24.Credentials {
	tn.t.Helper()
	return typedCredentials[*d24.Credentials](tn, "d24")
}

// DifitekCredentials are the tenant's Difitek credentials.
func (tn *Tenant) DifitekCredentials() *difitek.Credentials {
	tn.t.Helper()
	return typedCredentials[*difitek.Credentials](tn, "difitek")
}

// CRMCredentials are the tenant's CRM Open API credentials.
func (tn *Tenant) CRMCredentials() *crm.Credentials {
	tn.t.Helper()
	return typedCredentials[*crm.Credentials](tn, "crm")
}

// CrowdTrustCredentials are the tenant's CrowdTrust key pairs.
func (tn *Tenant) CrowdTrustCredentials() *crowdtrust.Credentials {
	tn.t.Helper()
	return typedCredentials[*crowdtrust.Credentials](tn, "crowdtrust")
}

func typedCredentials[T any](tn *Tenant, provider string) T {
	tn.t.Helper()
	c, ok := tn.Credentials(provider).(T)
	if !ok {
		tn.t.Fatalf("fakeprovidertest: tenant %s has no %s credentials", tn.ID, provider)
	}
	return c
}

// Count is how many of the tenant's journaled requests match f (Limit and
// Offset aside); CountAll counts whatever the tenant.
func (tn *Tenant) Count(f Filter) int {
	tn.t.Helper()
	return tn.count(f, tn.ID)
}

// CountAll counts every journaled request matching f, whatever its tenant
// (requests with unknown credentials have none).
func (tn *Tenant) CountAll(f Filter) int {
	tn.t.Helper()
	return tn.count(f, "")
}

func (tn *Tenant) count(f Filter, tenantID string) int {
	tn.t.Helper()
	q := f.query(tenantID)
	q.Del("limit")
	q.Del("offset")
	var v controlapi.Count
	tn.control(http.MethodGet, "/requests/count?"+q.Encode(), nil, &v, http.StatusOK)
	return v.Count
}

// RequireRequest fails the test unless the tenant made a request matching
// f, and returns the newest one. The failure lists the tenant's latest
// requests, so a wrong path or a failed signature shows at once.
func (tn *Tenant) RequireRequest(f Filter) Request {
	tn.t.Helper()
	f.Limit = 1
	if got := tn.Requests(f); len(got) == 1 {
		return got[0]
	}
	tn.t.Fatalf("fakeprovidertest: no request matching %s; the latest requests of tenant %s:\n%s", f, tn.ID, tn.latest())
	return Request{}
}

// RequireRequests fails the test unless exactly n of the tenant's requests
// match f.
func (tn *Tenant) RequireRequests(f Filter, n int) []Request {
	tn.t.Helper()
	if got := tn.Count(f); got != n {
		tn.t.Fatalf("fakeprovidertest: %d requests matching %s, want %d; the latest requests of tenant %s:\n%s", got, f, n, tn.ID, tn.latest())
	}
	f.Limit = max(n, 1)
	return tn.Requests(f)
}

// RequireNoRequest fails the test when one of the tenant's requests matches f.
func (tn *Tenant) RequireNoRequest(f Filter) {
	tn.t.Helper()
	f.Limit = 1
	if got := tn.Requests(f); len(got) > 0 {
		r := got[0]
		tn.t.Fatalf("fakeprovidertest: want no request matching %s, got %s %s → %d (%s)", f, r.Method, r.Path, r.Status, r.ID)
	}
}

func (tn *Tenant) latest() string {
	var b strings.Builder
	for _, r := range tn.Requests(Filter{Limit: 10}) {
		fmt.Fprintf(&b, "  %s %s → %d", r.Method, r.Path, r.Status)
		if !r.Auth.OK {
			fmt.Fprintf(&b, " (auth failed: %s)", r.Auth.Reason)
		}
		b.WriteString("\n")
	}
	if b.Len() == 0 {
		return "  (none)\n"
	}
	return b.String()
}

// String shows the set criteria, e.g. `{method=POST path=/v3/deposits}`.
func (f Filter) String() string {
	q := f.query("")
	q.Del("limit")
	q.Del("offset")
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+q.Get(k))
	}
	return "{" + strings.Join(parts, " ") + "}"
}

// ClearRequests removes the tenant's journal entries (every entry on the
// handle returned by Start).
func (tn *Tenant) ClearRequests() {
	tn.t.Helper()
	p := "/requests"
	if !tn.global {
		p += "?tenant=" + url.QueryEscape(tn.ID)
	}
	tn.control(http.MethodDelete, p, nil, nil, http.StatusOK)
}

// Fault is a fault rule: requests matching Provider, Method and Path (a
// path.Match pattern over the real path, e.g. /v3/deposits/*) get Status
// with Body, or wait Latency, or have their connection dropped; Count
// limits how many (0: every one), Probability makes it random.
type Fault = controlapi.Fault

// AddFault adds a fault rule for the tenant (its Tenant is set to the
// tenant's id unless this is the handle returned by Start) and returns it
// with its id. It goes at the end of the test, or with RemoveFault.
func (tn *Tenant) AddFault(f Fault) Fault {
	tn.t.Helper()
	if f.Tenant == "" && !tn.global {
		f.Tenant = tn.ID
	}
	f.ID, f.Hits, f.Source = "", 0, ""
	var out Fault
	tn.control(http.MethodPost, "/faults", f, &out, http.StatusCreated)
	tn.t.Cleanup(func() { tn.srv.call(http.MethodDelete, "/faults/"+url.PathEscape(out.ID), nil, nil) }) //nolint:errcheck // gone already is fine
	return out
}

// RemoveFault removes a fault rule.
func (tn *Tenant) RemoveFault(id string) {
	tn.t.Helper()
	tn.control(http.MethodDelete, "/faults/"+url.PathEscape(id), nil, nil, http.StatusNoContent)
}

// Faults lists the fault rules (with how often each applied).
func (tn *Tenant) Faults() []Fault {
	tn.t.Helper()
	var v controlapi.FaultList
	tn.control(http.MethodGet, "/faults", nil, &v, http.StatusOK)
	return v.Faults
}

// Scenario is a loaded scenario as GET /_fakeprovider/scenarios lists it.
type Scenario = controlapi.Scenario

// LoadScenario loads a scenario (YAML or JSON, the format of scenarios/)
// and removes it at the end of the test. A file with errors fails the test
// with every error and its line.
func (tn *Tenant) LoadScenario(definition string) Scenario {
	tn.t.Helper()
	var sc Scenario
	st, raw, err := tn.srv.call(http.MethodPost, "/scenarios", []byte(definition), &sc)
	if err != nil {
		tn.t.Fatalf("fakeprovidertest: load scenario: %v", err)
	}
	if st != http.StatusCreated {
		tn.t.Fatalf("fakeprovidertest: load scenario: %d %s", st, raw)
	}
	tn.t.Cleanup(func() { tn.srv.call(http.MethodDelete, "/scenarios/"+url.PathEscape(sc.Name), nil, nil) }) //nolint:errcheck // gone already is fine
	return sc
}

// DeleteScenario removes a scenario loaded at run time.
func (tn *Tenant) DeleteScenario(name string) {
	tn.t.Helper()
	tn.control(http.MethodDelete, "/scenarios/"+url.PathEscape(name), nil, nil, http.StatusNoContent)
}

// Scenarios lists the loaded scenarios of provider ("" for all).
func (tn *Tenant) Scenarios(provider string) []Scenario {
	tn.t.Helper()
	var v controlapi.ScenarioList
	tn.control(http.MethodGet, "/scenarios?provider="+url.QueryEscape(provider), nil, &v, http.StatusOK)
	return v.Scenarios
}

// Delete deletes the tenant, its credentials and everything it has.
func (tn *Tenant) Delete() {
	tn.t.Helper()
	tn.control(http.MethodDelete, "/tenants/"+url.PathEscape(tn.ID), nil, nil, http.StatusNoContent)
}

// waitTick is how often the receiver's waits look again.
const waitTick = 10 * time.Millisecond
