package difitek_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/difitek"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

type binary struct {
	t *testing.T
	p *platformtest.Process
}

func (b binary) url() string { return strings.TrimSuffix(b.p.URL, "/") }

func (b binary) Advance(d time.Duration) {
	b.t.Helper()
	if st := platformtest.DoJSON(b.t, http.MethodPost, b.url()+"/_fakeprovider/clock/advance", map[string]string{"by": d.String()}, nil); st != http.StatusOK {
		b.t.Fatalf("clock advance: %d", st)
	}
}

// TestRealBinary runs the acceptance flow against the built binary, at the
// real paths on --difitek-addr-less shared port, and checks the state
// survives a restart with --data.
func TestRealBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	data := filepath.Join(t.TempDir(), "state.db")
	b := binary{t, platformtest.StartBinary(t, "--data", data)}
	var creds map[string]any
	platformtest.DoJSON(t, http.MethodGet, b.url()+"/_fakeprovider/credentials", nil, &creds)
	if _, ok := creds[difitek.Name]; !ok {
		t.Skip("the binary does not include the difitek provider")
	}
	c := defaultClient(b.url() + "/difitek")
	investmentFlow(t, b, c)
	// Real paths (no /difitek prefix) answer too, with PHP-shaped bodies
	// and trailing slashes.
	c.base = b.url()
	c.ok(t, http.MethodGet, "/self", nil)
	if e := c.send(t, http.MethodPatch, "/self/", "application/json",
		[]byte(`{"custom":[],"image":null,"address":{"id":null,"city":"Leeds"},"web_site":"https:\/\/example.com","phone_1":447700900123}`)); e.http != http.StatusOK {
		t.Fatalf("PHP-shaped PATCH /self/: %d %s", e.http, e.Data)
	}
	if err := b.p.Stop(t); err != nil {
		t.Fatalf("stop: %v", err)
	}

	b2 := binary{t, platformtest.StartBinary(t, "--data", data)}
	c2 := defaultClient(b2.url() + "/difitek")
	c2.as("ivy.investor@example.com", "ivy-pass-1").ok(t, http.MethodGet, "/authenticate", nil)
	var off listView
	c2.ok(t, http.MethodGet, "/offerings?search=acme%20seed", nil).into(t, "", &off)
	if off.Count != 1 || off.List[0]["amount_raised"] != 10000.0 {
		t.Fatalf("offering after restart: %+v", off)
	}
}

func defaultClient(base string) client {
	creds := &difitek.Credentials{Network: difitek.DefaultNetwork, APIKey: difitek.DefaultAPIKey, APISecret: difitek.DefaultAPISecret,
		Username: difitek.DefaultUsername, Password: difitek.DefaultPassword, SSOSecret: difitek.DefaultSSOSecret}
	return client{base: base, creds: creds, user: creds.Username, pw: creds.Password}
}
