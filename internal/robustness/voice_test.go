package robustness

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// An unknown path or a wrong method under a provider's paths answers in that
// provider's own error envelope; paths no provider owns keep the platform's.
func TestUnknownRoutesSpeakTheProvidersVoice(t *testing.T) {
	h := startAll(t)
	cases := []struct {
		name, method, path string
		status             int
		bodyHas            []string
		allow              string
	}{
		{"crm unknown path", "GET", "/crm/public/v1/nothing", 404, []string{`"error":true`, `"type":"not_found"`}, ""},
		{"crm unknown real path", "GET", "/public/v1/nothing/here", 404, []string{`"type":"not_found"`}, ""},
		{"crm wrong method", "DELETE", "/crm/public/v1/users/create", 405, []string{`"error":true`, `"code":405`, `"type":"method_not_allowed"`}, "GET, POST"}, // GET: users/{id}
		{"crm wrong method at the real path", "PUT", "/public/v1/users", 405, []string{`"type":"method_not_allowed"`}, "GET"},
		{"crowdtrust unknown path", "GET", "/crowdtrust/bacapi/nothing", 404, []string{`"status":404`, `"message":"Not Found"`}, ""},
		{"crowdtrust wrong method", "DELETE", "/crowdtrust/bacapi/checks", 405, []string{`"status":405`, `"message":"Method Not Allowed"`}, "POST"},
		{"d24 unknown path", "GET", "/d24/v3/nothing", 404, []string{`"type":"RESOURCE_NOT_FOUND"`}, ""},
		{"d24 wrong method", "DELETE", "/d24/v3/deposits", 405, []string{`"code":200`, `"type":"METHOD_NOT_ALLOWED"`}, "POST"},
		{"difitek unknown path", "GET", "/difitek/nothing", 404, []string{`"outcome":"error"`}, ""},
		{"difitek wrong method", "DELETE", "/difitek/v1/testnetwork", 405, []string{`"outcome":"error"`, `"status":405`}, "GET"},
		{"outside every provider", "GET", "/nothing/here", 404, []string{`"error":"not_found"`}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, h.URL+c.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Fatalf("%s %s: %d %s; want %d", c.method, c.path, resp.StatusCode, body, c.status)
			}
			for _, want := range c.bodyHas {
				if !strings.Contains(string(body), want) {
					t.Errorf("%s %s: body %s lacks %s", c.method, c.path, body, want)
				}
			}
			if strings.Contains(string(body), `"method_not_allowed","message"`) {
				t.Errorf("%s %s: the platform's 405 instead of the provider's: %s", c.method, c.path, body)
			}
			if got := resp.Header.Get("Allow"); c.allow != "" && got != c.allow {
				t.Errorf("%s %s: Allow %q; want %q", c.method, c.path, got, c.allow)
			}
		})
	}
}
