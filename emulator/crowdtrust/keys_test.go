package crowdtrust_test

import (
	"net/http"
	"testing"

	ct "github.com/fakeprovider/fakeprovider/emulator/crowdtrust"
)

// TestRuntimeKeysFollowTheStore: a created account's keys and its tosToken
// find their tenant (another than the default) with one lookup; after a
// reset of that tenant they find nothing, and the token can be issued
// again.
func TestRuntimeKeysFollowTheStore(t *testing.T) {
	e := start(t)
	tenant := e.h.NewTenant()
	keys := e.createAccount(t, tenant, "ops@other.example", "")
	live := ct.KeyPair{APIKey: keys.APIKey, SecretKey: keys.SecretKey}
	mustStatus(t, e.signed("POST", "/bacapi/account/billing", []byte(validCard), live), 200)

	var issued ct.TosToken
	if st := e.h.Control("POST", "/crowdtrust/tos-tokens?tenant="+tenant, map[string]string{"token": "abcd1234"}, &issued); st != 200 {
		t.Fatalf("issue: %d", st)
	}
	if st := e.h.Control("POST", "/crowdtrust/tos-tokens", map[string]string{"token": "abcd1234"}, nil); st != http.StatusBadRequest {
		t.Fatalf("the same token issued twice: %d", st)
	}
	if st := e.h.Control("POST", "/reset?tenant="+tenant, nil, nil); st != http.StatusNoContent {
		t.Fatalf("reset: %d", st)
	}
	mustStatus(t, e.signed("POST", "/bacapi/account/billing", []byte(validCard), live), 403)
	if st := e.h.Control("POST", "/crowdtrust/tos-tokens", map[string]string{"token": "abcd1234"}, nil); st != 200 {
		t.Fatalf("token after reset: %d", st)
	}
}
