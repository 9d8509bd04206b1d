package fakeprovidertest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/fakeprovidertest"
	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

func TestMain(m *testing.M) { os.Exit(fakeprovidertest.Main(m)) }

func TestStart(t *testing.T) {
	srv := fakeprovidertest.Start(t)
	resp, err := http.Get(srv.BaseURL + "/_fakeprovider/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("health: %d", resp.StatusCode)
	}
	if got := srv.URL("d24"); got != srv.BaseURL+"/d24" {
		t.Errorf("URL(d24) = %q", got)
	}
	if srv.URL("") != srv.BaseURL {
		t.Errorf("URL(\"\") = %q", srv.URL(""))
	}
	creds := srv.CredentialsJSON()
	for _, p := range app.Providers() {
		if len(creds[p.Name()]) == 0 {
			t.Errorf("no %s credentials in %v", p.Name(), creds)
		}
		if srv.Credentials(p.Name()) == nil {
			t.Errorf("no typed %s credentials", p.Name())
		}
	}
	if srv.ID != "default" {
		t.Errorf("default tenant id %q", srv.ID)
	}
	if srv.Credentials("nope") != nil {
		t.Error("credentials of an unknown provider")
	}
}

// TestExamples runs every provider's representative requests, signed with
// Do (the provider's ClientSigner), and checks the journal saw them
// authenticated for the default tenant.
func TestExamples(t *testing.T) {
	srv := fakeprovidertest.Start(t)
	for _, p := range app.Providers() {
		ex, ok := p.(platform.Exampler)
		if _, signs := p.(platform.ClientSigner); !ok || !signs {
			continue
		}
		t.Run(p.Name(), func(t *testing.T) {
			tn := srv.For(t)
			answers := map[string][]byte{}
			for _, e := range ex.Examples() {
				if e.Host != "" {
					continue // Do addresses a provider's main host
				}
				path := e.Path
				if e.From != "" {
					if _, ran := answers[e.From]; !ran {
						continue // reads what an extra-host example made
					}
					id := lookup(t, answers[e.From], e.IDField)
					path = strings.ReplaceAll(path, "{id}", id)
				}
				resp, body := tn.Do(p.Name(), e.Method, path, e.Body)
				if resp.StatusCode >= 300 {
					t.Fatalf("%s %s %s: %d %s", e.Name, e.Method, path, resp.StatusCode, body)
				}
				answers[e.Name] = body
			}
			reqs := tn.Requests(fakeprovidertest.Filter{Provider: p.Name()})
			if len(reqs) == 0 {
				t.Fatal("journal is empty")
			}
			for _, r := range reqs {
				if !r.Auth.OK || r.Tenant != "default" {
					t.Errorf("journal: %s %s auth %+v tenant %q", r.Method, r.Path, r.Auth, r.Tenant)
				}
			}
		})
	}
}

func lookup(t *testing.T, raw []byte, dotted string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("answer %s: %v", raw, err)
	}
	for _, k := range strings.Split(dotted, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("no %s in %s", dotted, raw)
		}
		v = m[k]
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	t.Fatalf("no %s in %s", dotted, raw)
	return ""
}

// TestUnsignedRequestIsExplained shows the auth verdict of a failure in the
// journal: not ok, with the reason.
func TestUnsignedRequestIsExplained(t *testing.T) {
	srv := fakeprovidertest.Start(t)
	for _, p := range app.Providers() {
		ex, ok := p.(platform.Exampler)
		if !ok {
			continue
		}
		e := ex.Examples()[len(ex.Examples())-1]
		if e.From != "" {
			continue
		}
		req, err := http.NewRequest(e.Method, srv.URL(p.Name())+e.Path, bytes.NewReader(e.Body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Errorf("%s: unsigned request answered %d", p.Name(), resp.StatusCode)
		}
		reqs := srv.RequestsAll(fakeprovidertest.Filter{Provider: p.Name(), Limit: 1})
		if len(reqs) != 1 || reqs[0].Auth.OK || reqs[0].Auth.Reason == "" {
			t.Errorf("%s: journal %+v", p.Name(), reqs)
		}
	}
}

// TestTenants is a parallel suite on the shared server: each test has its
// own tenant and sees only its own data.
func TestTenants(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"a", "b", "c", "d"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tn := fakeprovidertest.Shared(t)
			if tn.ID == "default" || tn.ID == "" {
				t.Fatalf("tenant id %q", tn.ID)
			}
			creds := tn.CredentialsJSON()
			other := tn.NewTenant()
			for _, p := range tn.Server().Providers() {
				if bytes.Equal(creds[p], other.CredentialsJSON()[p]) {
					t.Errorf("%s: two tenants share credentials %s", p, creds[p])
				}
			}
			// Clock offsets are per tenant.
			before := tn.Advance(0).Clock.ScenarioNow
			res := tn.Advance(90 * time.Minute)
			if d := res.Clock.ScenarioNow.Sub(before); d < 90*time.Minute || d > 91*time.Minute {
				t.Errorf("advance moved scenario time by %v", d)
			}
			if d := other.Advance(0).Clock.ScenarioNow.Sub(before); d > time.Minute {
				t.Errorf("another tenant's clock moved by %v", d)
			}
			if len(tn.Webhooks()) != 0 || len(tn.Runs()) != 0 || len(tn.Requests(fakeprovidertest.Filter{})) != 0 {
				t.Error("a fresh tenant has data")
			}
			tn.Reset()
			if st := tn.State(""); len(st) == 0 {
				t.Error("no state document")
			}
		})
	}
}

func TestSignNeedsProvider(t *testing.T) {
	tn := fakeprovidertest.Shared(t)
	req, _ := http.NewRequest(http.MethodGet, tn.URL("")+"/nothing/here", nil)
	if err := tn.Sign(req, nil); err == nil {
		t.Error("Sign of a path without a provider succeeded")
	}
	if err := tn.SignAs("nope", req, nil); err == nil {
		t.Error("SignAs of an unknown provider succeeded")
	}
	for _, p := range app.Providers() {
		if _, ok := p.(platform.ClientSigner); !ok {
			continue
		}
		req, _ := http.NewRequest(http.MethodGet, tn.URL(p.Name())+"/x", nil)
		if err := tn.Sign(req, nil); err != nil {
			t.Errorf("%s: %v", p.Name(), err)
		}
		if len(req.Header) == 0 {
			t.Errorf("%s: Sign set no header", p.Name())
		}
	}
}

func TestResendUnknownIsControlError(t *testing.T) {
	tn := fakeprovidertest.Shared(t)
	if st := tn.Control(http.MethodPost, "/webhooks/nope/resend", nil, nil); st != http.StatusNotFound {
		t.Errorf("resend of an unknown delivery: %d", st)
	}
}

// TestConnect attaches to a running server (here one started in-process;
// in CI, the binary or a service container through $FAKEPROVIDER_URL).
func TestConnect(t *testing.T) {
	t.Parallel()
	srv := fakeprovidertest.Start(t)
	c := fakeprovidertest.Connect(t, srv.BaseURL+"/")
	if !reflect.DeepEqual(c.Providers(), srv.Providers()) {
		t.Errorf("providers %v, want %v", c.Providers(), srv.Providers())
	}
	for _, p := range srv.Providers() {
		if !reflect.DeepEqual(c.Credentials(p), srv.Credentials(p)) {
			t.Errorf("%s: credentials %#v, want %#v", p, c.Credentials(p), srv.Credentials(p))
		}
	}
	tn := c.NewTenant()
	if tn.Credentials(srv.Providers()[0]) == nil {
		t.Error("no credentials for a tenant minted through Connect")
	}
	for _, p := range app.Providers() {
		ex, ok := p.(platform.Exampler)
		if _, signs := p.(platform.ClientSigner); !ok || !signs {
			continue
		}
		e := ex.Examples()[0]
		resp, body := c.Do(p.Name(), e.Method, e.Path, e.Body)
		if resp.StatusCode >= 300 {
			t.Errorf("%s %s through Connect: %d %s", p.Name(), e.Name, resp.StatusCode, body)
		}
	}
	if err := c.Close(); err != nil {
		t.Error(err)
	}
	// Close of a connected server leaves the server running.
	if resp, err := http.Get(srv.BaseURL + "/_fakeprovider/health"); err != nil || resp.StatusCode != 200 {
		t.Errorf("server after Close of a connection: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

// With a control token the helpers keep working: they send it.
func TestControlToken(t *testing.T) {
	srv := fakeprovidertest.Start(t, fakeprovidertest.WithControlToken("tok-fpt"))
	other := srv.NewTenant()
	other.Advance(time.Minute)
	_ = other.Requests(fakeprovidertest.Filter{})
	other.Reset()
	resp, err := http.Get(srv.BaseURL + "/_fakeprovider/tenants")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("tenants without the token: %d", resp.StatusCode)
	}
}
