package difitek

import (
	"net/http"
	"strings"
	"testing"
)

// TestBadInputNeverFails5xx sends malformed bodies and ids to every route
// as the administrator: every answer is a Difitek envelope below 500.
func TestBadInputNeverFails5xx(t *testing.T) {
	env := newTestEnv(t, vectorTenants())
	c := defaultCredentials()
	bodies := []string{"", "null", "[]", `"x"`, "{", `{"id":"x","email":7,"investment_amount":"many","life_cycle_stage":{},"user_id":-1,"secret":[]}`,
		`{"investment_amount":1e308,"payout_amount":-5,"funding_goal":-1,"name":""}`, `{"address":"flat","custom":1,"members":"x","image":"999"}`}
	ids := []string{"abc", "0", "99999999999999999999", "2"}
	var sent, ok int
	for _, rt := range env.m.Routes() {
		if rt.HTTP != nil || (rt.Method == http.MethodDelete && rt.Path == "/v1/{network}/self") {
			continue // deleting the administrator would end the sweep
		}
		for _, id := range ids {
			path := strings.NewReplacer("{network}", c.Network, "{id}", id, "{user_id}", id, "{request_id}", id, "{group_id}", id).Replace(rt.Path)
			for _, body := range bodies {
				if rt.Method == http.MethodGet && body != "" {
					continue
				}
				got := env.as(t, c, c.Username, c.Password, rt.Method, path, []byte(body))
				sent++
				if got.HTTP < 400 {
					ok++
				}
				if got.code() == 10006 {
					t.Fatalf("%s %s %q locked the administrator out", rt.Method, path, body)
				}
				if got.HTTP >= 500 || got.Status != got.HTTP || (got.Outcome != "success" && got.Outcome != "error") {
					t.Errorf("%s %s %q: %d %s", rt.Method, path, body, got.HTTP, got.Data)
				}
			}
		}
	}
	t.Logf("%d requests, %d successes", sent, ok)
}
