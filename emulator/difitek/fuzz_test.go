package difitek

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzParseToken: any header parses or fails cleanly, and what parses
// formats back to a header that parses to the same token.
func FuzzParseToken(f *testing.F) {
	for _, v := range nodeVectors {
		f.Add(v.header)
	}
	f.Add(p1Header)
	f.Add(`AuthToken ApiKey="", TokenDigest="", Nonce="", Created="", Username="", Password=""`)
	f.Add(`AuthToken ApiKey="a" ApiKey="b"`)
	f.Fuzz(func(t *testing.T, h string) {
		tok, err := ParseToken(h)
		if err != nil {
			return
		}
		if strings.Contains(tok.APIKey+tok.TokenDigest+tok.Nonce+tok.Created+tok.Username+tok.Password, `"`) {
			t.Fatalf("quote inside a field: %+v", tok)
		}
		again, err := ParseToken(tok.String())
		if err != nil || again != tok {
			t.Fatalf("round trip %q → %+v → %+v (%v)", h, tok, again, err)
		}
	})
}

// FuzzVerify: the verifier never panics and only succeeds for a valid
// digest.
func FuzzVerify(f *testing.F) {
	for _, v := range nodeVectors {
		f.Add("/v1/"+v.network+"/self", v.header, "")
	}
	f.Add("/v1/testnetwork/public/stats", p2Header, "")
	f.Add("/v1/%zz/self", p1Header, "x.y.z")
	f.Add("/v1/demo4/self", nodeVectors[3].header, "eyJhbGciOiJub25lIn0.e30.")
	env := newTestEnv(f, vectorTenants())
	f.Fuzz(func(t *testing.T, path, header, jwtAuth string) {
		u, err := url.Parse("http://x" + path)
		if err != nil || !strings.HasPrefix(u.Path, "/") {
			return
		}
		r := httptest.NewRequest(http.MethodGet, "http://x/", nil)
		r.URL = u
		r.Header.Set(HeaderCVAuth, header)
		r.Header.Set(HeaderJWTAuth, jwtAuth)
		for _, level := range []access{accessPublic, accessUser, accessAdmin} {
			caller, err := env.p.verify(r, level)
			if err != nil {
				continue
			}
			tok, perr := ParseToken(header)
			creds, _ := caller.Creds.(*Credentials)
			if perr != nil || creds == nil || TokenDigest(tok.Nonce, tok.Created, creds.APISecret) != tok.TokenDigest {
				t.Fatalf("accepted %q on %q without a valid digest", header, path)
			}
		}
	})
}

// FuzzBodies: request bodies of the JSON endpoints never cause a 5xx.
func FuzzBodies(f *testing.F) {
	f.Add("POST", "/users", `{"email":"a@b.c","password":"x"}`)
	f.Add("PATCH", "/self", `{"address":{"city":1},"custom":[],"image":"x"}`)
	f.Add("POST", "/organizations", `{"display_name":"x","visibility":1}`)
	f.Add("POST", "/organizations/1/offerings", `{"name":"n","funding_goal":-1}`)
	f.Add("POST", "/offerings/2/investments", `{"investment_amount":1e309}`)
	f.Add("PATCH", "/offerings/2", `{"life_cycle_stage":7}`)
	f.Add("POST", "/investments/1/payouts", `{"payout_amount":"x"}`)
	f.Add("PATCH", "/dealrooms/1", `[1,2]`)
	f.Add("GET", "/offerings?limit=-1&filter[x=1", ``)
	env := newTestEnv(f, vectorTenants())
	c := defaultCredentials()
	f.Fuzz(func(t *testing.T, method, path, body string) {
		if method != "GET" && method != "POST" && method != "PATCH" && method != "PUT" && method != "DELETE" {
			return
		}
		if _, err := url.ParseRequestURI("/v1/testnetwork" + path); err != nil || strings.ContainsAny(path, "#\\") {
			return
		}
		req, err := http.NewRequest(method, env.srv.URL+"/v1/testnetwork"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set(HeaderCVAuth, SignToken(c.APIKey, c.APISecret, c.Username, c.Password, NewNonce(), CreatedString(env.wall)).String())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s %q: %d", method, path, body, resp.StatusCode)
		}
	})
}

// FuzzListQuery: any query parses or is a 400, and paging stays in range.
func FuzzListQuery(f *testing.F) {
	f.Add("offset=2&limit=3&orderby=name&sort=desc&filter[a]=b&search=x")
	f.Add("page=-1")
	f.Add("limit=99999999999999999999")
	f.Fuzz(func(t *testing.T, q string) {
		vals, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		lq, err := parseListQuery(vals)
		if err != nil {
			return
		}
		data := paginate([]map[string]any{{"id": 1.0, "name": "a"}, {"id": 2.0, "name": "b"}}, lq)
		if data.Limit < 1 || data.Limit > maxLimit || data.Offset < 0 || len(data.List.([]map[string]any)) > data.Limit {
			t.Fatalf("%q: %+v", q, data)
		}
	})
}
