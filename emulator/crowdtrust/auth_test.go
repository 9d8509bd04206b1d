package crowdtrust_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	ct "github.com/fakeprovider/fakeprovider/emulator/crowdtrust"
	"time"
)

func TestVectorsSign(t *testing.T) {
	for _, v := range ct.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			if got := ct.ContentMD5([]byte(v.Body)); got != v.MD5 {
				t.Errorf("Content-MD5 = %q, want %q", got, v.MD5)
			}
			sts := ct.StringToSign(v.Method, v.MD5, v.ContentType, v.Date, v.Path)
			if sts != v.STS {
				t.Errorf("string-to-sign = %q, want %q", sts, v.STS)
			}
			if got := ct.Sign(v.Key.SecretKey, ct.KeyModeRaw, sts); got != v.Raw {
				t.Errorf("raw-key signature = %q, want %q", got, v.Raw)
			}
			if got := ct.Sign(v.Key.SecretKey, ct.KeyModeB64, sts); got != v.B64 {
				t.Errorf("b64-key signature = %q, want %q", got, v.B64)
			}
		})
	}
}

// vectorRequest is the vector as sent on the wire with signature sig.
func vectorRequest(v ct.Vector, sig string) http.Header {
	h := http.Header{}
	h.Set("Date", v.Date)
	h.Set("Content-MD5", v.MD5)
	h.Set("Authorization", v.Key.APIKey+":"+sig)
	if v.ContentType != "" {
		h.Set("Content-Type", v.ContentType)
	}
	return h
}

// vectorTime is the instant of a vector's Date.
func vectorTime(t *testing.T, date string) time.Time {
	tm, err := http.ParseTime(date)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// TestVectorsVerify sends every vector, in both key modes, to the running
// emulator (default tenant = vector credentials) with the wall clock at the
// vector's date: each passes auth and gets the answer of its endpoint.
func TestVectorsVerify(t *testing.T) {
	e := start(t)
	// Non-403 answers prove auth passed; the business answer proves the route.
	want := map[string]int{
		"V1 GET LIVE": 404, "V2 POST LIVE check": 400, "V3 POST TEST check": 200, "V4 GET TEST": 404,
		"V5 GET LIVE report with query": 404, "V6 POST LIVE billing": 200, "V7 GET LIVE RFC 850 date": 404, "V8 GET LIVE asctime date": 404,
	}
	t.Run("V2 without billing is the billing error", func(t *testing.T) {
		v := ct.Vectors[1]
		e.clock.set(vectorTime(t, v.Date))
		a := e.send(v.Method, v.URL, []byte(v.Body), vectorRequest(v, v.Raw))
		if string(a.body) != `{"status":400,"message":"Billing information required"}` {
			t.Fatalf("body %s", a.body)
		}
	})
	for _, mode := range []string{ct.KeyModeRaw, ct.KeyModeB64} {
		for _, v := range ct.Vectors {
			t.Run(mode+"/"+v.Name, func(t *testing.T) {
				e.clock.set(vectorTime(t, v.Date).Add(90 * time.Second))
				sig := v.Raw
				if mode == ct.KeyModeB64 {
					sig = v.B64
				}
				a := e.send(v.Method, v.URL, []byte(v.Body), vectorRequest(v, sig))
				if v.Name == "V2 POST LIVE check" && a.status == 200 {
					return // billing was set by V6 in an earlier mode
				}
				mustStatus(t, a, want[v.Name])
			})
		}
	}
}

// TestKeyModeFlag: raw mode refuses doc-variant signatures and b64 mode the
// canonical ones.
func TestKeyModeFlag(t *testing.T) {
	e := start(t)
	v := ct.Vectors[0]
	e.clock.set(vectorTime(t, v.Date))
	for _, tc := range []struct {
		mode, sig string
		want      int
	}{
		{ct.KeyModeRaw, v.Raw, 404}, {ct.KeyModeRaw, v.B64, 403},
		{ct.KeyModeB64, v.B64, 404}, {ct.KeyModeB64, v.Raw, 403},
		{ct.KeyModeBoth, v.Raw, 404}, {ct.KeyModeBoth, v.B64, 404},
	} {
		e.p.SetKeyMode(tc.mode)
		a := e.send(v.Method, v.URL, nil, vectorRequest(v, tc.sig))
		if a.status != tc.want {
			t.Errorf("mode %s sig %s: status %d, want %d", tc.mode, tc.sig, a.status, tc.want)
		}
	}
	e.p.SetKeyMode(ct.KeyModeBoth)
}

const forbiddenBody = `{"status":403,"message":"Forbidden"}`

// TestAuthFailures: every failure is the same 403 body; only the explain
// header says why.
func TestAuthFailures(t *testing.T) {
	e := start(t)
	v1, v2, v3, v5 := ct.Vectors[0], ct.Vectors[1], ct.Vectors[2], ct.Vectors[4]
	resign := func(v ct.Vector, path, md5, date string, kp ct.KeyPair) http.Header {
		h := vectorRequest(v, ct.Sign(kp.SecretKey, ct.KeyModeRaw, ct.StringToSign(v.Method, md5, v.ContentType, date, path)))
		h.Set("Content-MD5", md5)
		h.Set("Date", date)
		h.Set("Authorization", kp.APIKey+":"+ct.Sign(kp.SecretKey, ct.KeyModeRaw, ct.StringToSign(v.Method, md5, v.ContentType, date, path)))
		return h
	}
	cases := []struct {
		name, method, url, body string
		header                  http.Header
		now                     time.Time
		reason                  string
	}{
		{"V1 with the MD5 of the empty string", "GET", v1.URL, "", resign(v1, v1.Path, "1B2M2Y8AsgTpgAmY7PhCfg==", v1.Date, ct.LiveKeys), vectorTime(t, v1.Date), "must be empty"},
		{"V2 body changed by one byte", "POST", v2.URL, strings.Replace(v2.Body, "Jack", "Jacj", 1), vectorRequest(v2, v2.Raw), vectorTime(t, v2.Date), "does not match the body"},
		{"V3 TEST key on the LIVE path", "POST", "/bacapi/checks", v3.Body, resign(v3, "/bacapi/checks", v3.MD5, v3.Date, ct.TestKeys), vectorTime(t, v3.Date), "TEST key"},
		{"LIVE key on the TEST path", "GET", "/bacapi/test/checks/1253", "", resign(v1, "/bacapi/test/checks/1253", "", v1.Date, ct.LiveKeys), vectorTime(t, v1.Date), "LIVE key"},
		{"V5 signed with the query", "GET", v5.URL, "", resign(v5, "/bacapi/checks/1253/report?download=true&x=1", "", v5.Date, ct.LiveKeys), vectorTime(t, v5.Date), "signature mismatch"},
		{"no Authorization", "GET", v1.URL, "", http.Header{"Date": {v1.Date}}, vectorTime(t, v1.Date), "Authorization must be"},
		{"Authorization without colon", "GET", v1.URL, "", http.Header{"Date": {v1.Date}, "Authorization": {"a1b2c3d4e5f6" + v1.Raw}}, vectorTime(t, v1.Date), "Authorization must be"},
		{"HMAC scheme word", "GET", v1.URL, "", http.Header{"Date": {v1.Date}, "Authorization": {"HMAC a1b2c3d4e5f6:" + v1.Raw}}, vectorTime(t, v1.Date), "unknown apiKey"},
		{"unknown key", "GET", v1.URL, "", http.Header{"Date": {v1.Date}, "Authorization": {"ffffffffffff:" + v1.Raw}}, vectorTime(t, v1.Date), "unknown apiKey"},
		{"missing Date", "GET", v1.URL, "", http.Header{"Authorization": {"a1b2c3d4e5f6:" + v1.Raw}}, vectorTime(t, v1.Date), "missing Date"},
		{"ISO date", "GET", v1.URL, "", resign(v1, v1.Path, "", "1994-11-06T08:49:37Z", ct.LiveKeys), vectorTime(t, v1.Date), "not an HTTP-date"},
		{"date 16 minutes old", "GET", v1.URL, "", vectorRequest(v1, v1.Raw), vectorTime(t, v1.Date).Add(16 * time.Minute), "away from the server clock"},
		{"date 16 minutes ahead", "GET", v1.URL, "", vectorRequest(v1, v1.Raw), vectorTime(t, v1.Date).Add(-16 * time.Minute), "away from the server clock"},
		{"wrong secret", "GET", v1.URL, "", resign(v1, v1.Path, "", v1.Date, ct.KeyPair{APIKey: ct.LiveKeys.APIKey, SecretKey: ct.TestKeys.SecretKey}), vectorTime(t, v1.Date), "signature mismatch"},
		{"wrong method signed", "DELETE", v1.URL, "", vectorRequest(v1, v1.Raw), vectorTime(t, v1.Date), ""},
		{"Content-Type sent but not signed", "POST", v2.URL, v2.Body, func() http.Header {
			h := vectorRequest(v2, v2.Raw)
			h.Set("Content-Type", "application/json; charset=UTF-8")
			return h
		}(), vectorTime(t, v2.Date), "signature mismatch"},
		{"missing Content-MD5 with a body", "POST", v2.URL, v2.Body, func() http.Header {
			h := vectorRequest(v2, v2.Raw)
			h.Del("Content-MD5")
			return h
		}(), vectorTime(t, v2.Date), "does not match the body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.clock.set(tc.now)
			a := e.send(tc.method, tc.url, []byte(tc.body), tc.header)
			if tc.method == "DELETE" {
				// No DELETE route: the router answers before auth.
				if a.status == 200 {
					t.Fatalf("DELETE answered 200")
				}
				return
			}
			mustStatus(t, a, 403)
			if string(a.body) != forbiddenBody {
				t.Fatalf("body %q, want %q", a.body, forbiddenBody)
			}
			if ct := a.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if reason := a.header.Get("X-Fakeprovider-Auth-Error"); !strings.Contains(reason, tc.reason) {
				t.Errorf("reason %q, want it to contain %q", reason, tc.reason)
			}
			if bytes.Contains(a.body, []byte("reason")) {
				t.Errorf("body leaks the reason")
			}
		})
	}
}

// TestContentMD5HeaderAbsent: a GET without the Content-MD5 header at all
// equals one with an empty value.
func TestContentMD5HeaderAbsent(t *testing.T) {
	e := start(t)
	v := ct.Vectors[0]
	e.clock.set(vectorTime(t, v.Date))
	h := vectorRequest(v, v.Raw)
	h.Del("Content-MD5")
	mustStatus(t, e.send(v.Method, v.URL, nil, h), 404)
}

// TestAuthFailureStatusFlag: the 401 setting changes every failure alike.
func TestAuthFailureStatusFlag(t *testing.T) {
	e := start(t)
	e.p.SetAuthStatus(401)
	a := e.send("GET", "/bacapi/checks/1", nil, http.Header{})
	if a.status != 401 || string(a.body) != `{"status":401,"message":"Unauthorized"}` {
		t.Fatalf("%d %s", a.status, a.body)
	}
}

// TestPrefixedPath: a client whose base URL has the /crowdtrust prefix signs
// the full path it used, and the environment still comes from the real path.
func TestPrefixedPath(t *testing.T) {
	e := start(t)
	creds := e.defaultCreds()
	a := e.signed("POST", "/crowdtrust/bacapi/test/checks", []byte(ct.CheckV2), creds.Test)
	mustStatus(t, a, 200)
	a = e.signed("GET", "/crowdtrust/bacapi/test/checks/1001", nil, creds.Test)
	mustStatus(t, a, 200)
	// Signed over the real path only: refused.
	h := ct.SignedHeaders("GET", "/bacapi/test/checks/1001", nil, creds.Test, e.clock.now().Format(http.TimeFormat))
	mustStatus(t, e.send("GET", "/crowdtrust/bacapi/test/checks/1001", nil, h), 403)
	// The prose form of the path (no leading slash) is accepted.
	h = ct.SignedHeaders("GET", "bacapi/test/checks/1001", nil, creds.Test, e.clock.now().Format(http.TimeFormat))
	mustStatus(t, e.send("GET", "/bacapi/test/checks/1001", nil, h), 200)
	e.p.SetLenientPath(false)
	mustStatus(t, e.send("GET", "/bacapi/test/checks/1001", nil, h), 403)
}
