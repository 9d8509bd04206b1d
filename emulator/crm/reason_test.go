package crm_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// An auth-failure reason is logged, journaled and shown in the inspector:
// it never holds the API key, the pay token or a value of the body (a
// password the client submitted), in any auth mode.
func TestAuthFailureReasonsHoldNoSecret(t *testing.T) {
	var logs platformtest.LogBuffer
	e := newEnv(t, platformtest.WithLog(&logs))
	const password = "Pw-Zq9-never-shown"
	body := []byte(`{"email":"ann@example.com","password":"` + password + `","first_name":"Ann"}`)
	var explained []string
	for _, mode := range []string{"v1", "v2", "both"} {
		e.control(t, "PUT", "/settings/auth-mode", map[string]string{"mode": mode}, nil)
		a := e.raw(t, "POST", "/public/v1/users/downlines", body, http.Header{"Key": {e.creds.APIKey}, "Signature": {"0BADC0DE"}})
		if a.Status != 403 {
			t.Fatalf("mode %s: status %d: %s", mode, a.Status, a.Body)
		}
		explained = append(explained, a.Header.Get("X-Fakeprovider-Auth-Error"))
	}
	psp, _ := json.Marshal(map[string]any{"merchant_id": e.creds.PSPMerchantID, "order_no": "o1", "password": password, "amount": 1, "sign": "WRONG"})
	if a := e.raw(t, "POST", "/pay/callback", psp, http.Header{"Crm-Pay-Token": {e.creds.PSPToken}}); a.Status/100 != 4 {
		t.Fatalf("psp: status %d: %s", a.Status, a.Body)
	} else {
		explained = append(explained, a.Header.Get("X-Fakeprovider-Auth-Error"))
	}
	reasons := e.h.AuthReasons()
	if len(reasons) != 4 {
		t.Fatalf("%d failures journaled, want 4: %q", len(reasons), reasons)
	}
	if !strings.Contains(reasons[1], "password=<18 bytes>") {
		t.Errorf("v1 reason does not describe the pairs: %s", reasons[1])
	}
	for _, where := range [][]string{reasons, explained, {logs.String()}} {
		for _, s := range where {
			for _, secret := range []string{password, e.creds.APIKey, e.creds.PSPToken, "ann@example.com"} {
				if strings.Contains(s, secret) {
					t.Errorf("%q in %s", secret, s)
				}
			}
		}
	}
}
