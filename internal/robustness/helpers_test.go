package robustness

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// wired is the list of providers the product mounts that can sign and
// describe requests; tests skip when none is wired yet.
func wired(t testing.TB) []Client {
	t.Helper()
	cs := Clients(app.Providers())
	if len(cs) == 0 {
		t.Skip("no wired provider implements ClientSigner and Exampler yet")
	}
	return cs
}

// startAll runs every wired provider in process.
func startAll(t testing.TB, opts ...platformtest.Option) *platformtest.Harness {
	t.Helper()
	return platformtest.New(t, app.Providers(), opts...)
}

// fixture is one provider's session with every example run once and the
// resolved examples.
type fixture struct {
	c        Client
	sess     *Session
	resolved []platform.Example
	vars     map[string]string
}

// runExamples runs c's examples against h for the default tenant.
func runExamples(t testing.TB, h *platformtest.Harness, c Client) *fixture {
	t.Helper()
	s := NewSession(h.URL, c, h.Credentials(c.Name()))
	f := &fixture{c: c, sess: s}
	for _, ex := range c.Examples() {
		res, err := s.Run(context.Background(), ex)
		if err != nil {
			t.Fatalf("%s example %s: %v", c.Name(), ex.Name, err)
		}
		if res.Status >= 300 {
			t.Fatalf("%s example %s: %s %s → %d %s", c.Name(), ex.Name, res.Example.Method, res.Example.Path, res.Status, res.Body)
		}
		f.resolved = append(f.resolved, res.Example)
	}
	f.vars = routeVars(h, c.Name(), f.resolved)
	return f
}

func mountOf(t testing.TB, h *platformtest.Harness, name string) *platform.Mount {
	t.Helper()
	for _, m := range h.App.Mounts {
		if m.Provider() == name {
			return m
		}
	}
	t.Fatalf("no mount %s", name)
	return nil
}

var varRE = regexp.MustCompile(`\{([^}:]+)(:[^}]*)?\}`)

// routeVars learns path variable values by matching every route template
// against the resolved examples' paths (e.g. {network} → testnetwork).
func routeVars(h *platformtest.Harness, name string, exs []platform.Example) map[string]string {
	vars := map[string]string{}
	var mount *platform.Mount
	for _, m := range h.App.Mounts {
		if m.Provider() == name {
			mount = m
		}
	}
	if mount == nil {
		return vars
	}
	for _, rt := range mount.Routes() {
		for _, ex := range exs {
			if ex.Host != rt.Host {
				continue
			}
			if got, ok := matchRoute(rt.Path, ex.Path); ok {
				for k, v := range got {
					if _, seen := vars[k]; !seen {
						vars[k] = v
					}
				}
			}
		}
	}
	return vars
}

// matchRoute reports whether path (its query ignored) fits the route
// template segment by segment, and the values of the template's variables.
func matchRoute(tmpl, path string) (map[string]string, bool) {
	p, _, _ := strings.Cut(path, "?")
	tsegs, psegs := strings.Split(tmpl, "/"), strings.Split(p, "/")
	if len(psegs) != len(tsegs) {
		return nil, false
	}
	got := map[string]string{}
	for i, ts := range tsegs {
		if m := varRE.FindStringSubmatch(ts); m != nil && m[0] == ts {
			got[m[1]] = psegs[i]
		} else if ts != psegs[i] {
			return nil, false
		}
	}
	return got, true
}

// fillPath replaces a route template's variables with learned values
// ("1" when unknown).
func fillPath(tmpl string, vars map[string]string) string {
	return varRE.ReplaceAllStringFunc(tmpl, func(v string) string {
		m := varRE.FindStringSubmatch(v)
		if x, ok := vars[m[1]]; ok {
			return x
		}
		return "1"
	})
}

// send does req with a client that never follows redirects.
var noRedirect = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// authHeaders are the headers SignRequest sets (Content-Type and
// Content-Length excluded), in a stable order.
func authHeaders(t *testing.T, f *fixture, ex platform.Example) []string {
	t.Helper()
	req, err := http.NewRequest(ex.Method, "http://x"+Prefix(f.c, ex)+ex.Path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.c.SignRequest(req, ex.Body, f.sess.Creds, time.Now()); err != nil {
		t.Fatal(err)
	}
	var out []string
	for k := range req.Header {
		if k == "Content-Type" || k == "Content-Length" {
			continue
		}
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func healthy(t *testing.T, h *platformtest.Harness) {
	t.Helper()
	if st := platformtest.DoJSON(t, http.MethodGet, h.URL+"/_fakeprovider/health", nil, nil); st != http.StatusOK {
		t.Fatalf("health: %d", st)
	}
}
