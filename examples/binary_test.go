package examples

import (
	"net/http"
	"testing"

	"github.com/fakeprovider/fakeprovider/fakeprovidertest"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// TestAgainstTheBinary drives the real binary over HTTP with the same
// helpers as the in-process tests (what a docker compose service or a
// GitHub Actions service container gets through $FAKEPROVIDER_URL).
func TestAgainstTheBinary(t *testing.T) {
	p := platformtest.StartBinary(t)
	fp := fakeprovidertest.Connect(t, p.URL)
	tn := fp.NewTenant()
	if len(tn.CredentialsJSON()) == 0 {
		t.Fatal("no credentials")
	}
	resp, body := fp.Do("difitek", http.MethodGet, "/v1/testnetwork/self", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("difitek self: %d %s", resp.StatusCode, body)
	}
	if r := fp.Requests(fakeprovidertest.Filter{Provider: "difitek", Limit: 1}); len(r) != 1 || !r[0].Auth.OK {
		t.Errorf("journal: %+v", r)
	}
	if res := tn.Advance(0); res.Clock.ScenarioNow.IsZero() {
		t.Error("no clock")
	}
}
