package difitek_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/difitek"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// An auth-failure reason is logged, journaled and shown in the inspector:
// it never holds the API secret, the user's password or the password the
// client submitted.
func TestAuthFailureReasonsHoldNoSecret(t *testing.T) {
	var logs platformtest.LogBuffer
	h := platformtest.New(t, []platform.Provider{difitek.New()}, platformtest.WithLog(&logs))
	c := h.Credentials("difitek").(*difitek.Credentials)
	const submitted = "Pw-Zq9-never-shown"
	now := difitek.CreatedString(time.Now())
	nonce := difitek.NewNonce()
	tokens := map[string]difitek.Token{
		"wrong password": difitek.SignToken(c.APIKey, c.APISecret, c.Username, submitted, nonce, now),
		"wrong digest":   difitek.SignToken(c.APIKey, "not-the-secret", c.Username, submitted, difitek.NewNonce(), now),
		"unknown user":   difitek.SignToken(c.APIKey, c.APISecret, "nobody@example.com", submitted, difitek.NewNonce(), now),
	}
	var explained []string
	for name, tok := range tokens {
		req, _ := http.NewRequest("GET", h.URL+"/v1/"+c.Network+"/self", nil)
		req.Header.Set(difitek.HeaderCVAuth, tok.String())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 4 {
			t.Fatalf("%s: status %d", name, resp.StatusCode)
		}
		explained = append(explained, resp.Header.Get(platform.ExplainHeader))
	}
	reasons := h.AuthReasons()
	if len(reasons) != len(tokens) {
		t.Fatalf("%d failures journaled, want %d: %q", len(reasons), len(tokens), reasons)
	}
	for _, where := range [][]string{reasons, explained, {logs.String()}} {
		for _, s := range where {
			for _, secret := range []string{submitted, c.APISecret, c.Password} {
				if strings.Contains(s, secret) {
					t.Errorf("%q in %s", secret, s)
				}
			}
		}
	}
}
