package difitek

import (
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// TestInferredRoutesMatchTheREADME: the README's "Inferred routes" table
// lists exactly the routes marked inferred, and documented routes are not.
func TestInferredRoutesMatchTheREADME(t *testing.T) {
	env := newTestEnv(t, vectorTenants())
	marked := map[string]bool{}
	for _, rt := range env.m.Routes() {
		if rt.Inferred != "" {
			marked[rt.Method+" "+rt.Path] = true
		}
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Inferred routes\n")
	if !ok {
		t.Fatal(`README has no "## Inferred routes" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	row := regexp.MustCompile("(?m)^\\| ([A-Z, ]+) \\| `([^`]+)` \\|")
	listed := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		for _, method := range strings.Split(m[1], ",") {
			listed[strings.TrimSpace(method)+" "+m[2]] = true
		}
	}
	for r := range marked {
		if !listed[r] {
			t.Errorf("%s is marked inferred but not listed in the README", r)
		}
	}
	for r := range listed {
		if !marked[r] {
			t.Errorf("README lists %s as inferred but the route is not marked", r)
		}
	}
	for _, r := range []string{"GET /v1/{network}/self", "POST /v1/{network}/offerings/{id}/investments", "POST /v1/{network}/users", "PATCH /v1/{network}/offerings/{id}"} {
		if marked[r] {
			t.Errorf("documented route %s is marked inferred", r)
		}
	}
}

// TestInferredHeader: answers of inferred routes and of single sign-on
// calls carry X-Fakeprovider-Inferred; others do not.
func TestInferredHeader(t *testing.T) {
	env := newTestEnv(t, vectorTenants())
	c := defaultCredentials()
	sso, err := SSOToken(c, c.Username, env.wall, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(user, pw string) string {
		return SignToken(c.APIKey, c.APISecret, user, pw, NewNonce(), CreatedString(env.wall)).String()
	}
	tests := []struct {
		name, path string
		headers    map[string]string
		want       string
	}{
		{"health check", "/v1/" + c.Network, nil, reasonAlive},
		{"cap table", "/v1/" + c.Network + "/capitalizations/3", map[string]string{HeaderCVAuth: sign(c.Username, c.Password)}, reasonCapTable},
		{"documented", "/v1/" + c.Network + "/self", map[string]string{HeaderCVAuth: sign(c.Username, c.Password)}, ""},
		{"single sign-on", "/v1/" + c.Network + "/self", map[string]string{HeaderCVAuth: sign(SocialUsername, SocialUsername), HeaderJWTAuth: sso}, reasonSSO},
		{"single sign-on refused", "/v1/" + c.Network + "/self", map[string]string{HeaderCVAuth: sign(SocialUsername, SocialUsername), HeaderJWTAuth: "x.y.z"}, reasonSSO},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, env.srv.URL+tt.path, nil)
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := resp.Header.Get(platform.InferredHeader); got != tt.want {
				t.Fatalf("%d, %s = %q, want %q", resp.StatusCode, platform.InferredHeader, got, tt.want)
			}
		})
	}
}
