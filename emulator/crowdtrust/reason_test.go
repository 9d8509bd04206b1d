package crowdtrust_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/crowdtrust"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// An auth-failure reason is logged, journaled and shown in the inspector:
// it never holds a secret key or a value of the body.
func TestAuthFailureReasonsHoldNoSecret(t *testing.T) {
	var logs platformtest.LogBuffer
	h := platformtest.New(t, []platform.Provider{crowdtrust.New()}, platformtest.WithLog(&logs))
	c := h.Credentials("crowdtrust").(*crowdtrust.Credentials)
	const ssn = "219-09-9999"
	const submitted = "Pw-Zq9-never-shown"
	body := []byte(`{"firstName":"Jack","lastName":"Smith","dob":"1984-07-10","ssn":"` + ssn + `","password":"` + submitted + `"}`)
	date := time.Now().UTC().Format(http.TimeFormat)
	cases := []map[string]string{
		{"Authorization": c.Live.APIKey + ":" + crowdtrust.Sign("wrong-secret", crowdtrust.KeyModeRaw, "x"), "Content-MD5": crowdtrust.ContentMD5(body)},
		{"Authorization": c.Live.APIKey + ":c2ln", "Content-MD5": "AAAA"},
		{"Authorization": c.Live.APIKey + ":c2ln"},
		{"Authorization": submitted},
	}
	var explained []string
	for _, hd := range cases {
		req, _ := http.NewRequest("POST", h.URL+"/bacapi/checks", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Date", date)
		for k, v := range hd {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 4 {
			t.Fatalf("%v: status %d", hd, resp.StatusCode)
		}
		explained = append(explained, resp.Header.Get(platform.ExplainHeader))
	}
	reasons := h.AuthReasons()
	if len(reasons) != len(cases) {
		t.Fatalf("%d failures journaled, want %d: %q", len(reasons), len(cases), reasons)
	}
	for _, where := range [][]string{reasons, explained, {logs.String()}} {
		for _, s := range where {
			for _, secret := range []string{submitted, ssn, "Smith", c.Live.SecretKey, c.Test.SecretKey} {
				if strings.Contains(s, secret) {
					t.Errorf("%q in %s", secret, s)
				}
			}
		}
	}
}
