package difitek_test

import (
	"fmt"
	"net/http"
	"testing"
)

// A user's organizations follow creation and membership changes, and
// survive updates of the user record.
func TestUserOrganizationsFollowMemberships(t *testing.T) {
	h, admin := start(t)
	member, memberID := register(t, harness{h}, admin, "mo.member@example.com", "mo-pass-1", "Member")
	var self struct {
		ID            int64   `json:"id"`
		Organizations []int64 `json:"organizations"`
	}
	admin.ok(t, http.MethodGet, "/authenticate", nil).into(t, "user", &self)
	before := len(self.Organizations)
	var created []int64
	for i := range 3 {
		created = append(created, admin.ok(t, http.MethodPost, "/organizations", map[string]any{
			"display_name": fmt.Sprintf("Org %d", i), "visibility": "1",
		}).id(t))
	}
	orgsOf := func(c client, path string) []int64 {
		t.Helper()
		var u struct {
			Organizations []int64 `json:"organizations"`
		}
		c.ok(t, http.MethodGet, path, nil).into(t, "user", &u)
		if u.Organizations == nil {
			t.Fatalf("%s: organizations is null, want a list", path)
		}
		return u.Organizations
	}
	got := orgsOf(admin, "/authenticate")
	if len(got) != before+3 || fmt.Sprint(got[before:]) != fmt.Sprint(created) {
		t.Fatalf("admin organizations %v, want %d earlier ones then %v", got, before, created)
	}
	if got := orgsOf(member, "/authenticate"); len(got) != 0 {
		t.Fatalf("new user organizations %v, want []", got)
	}
	cases := []struct {
		method string
		want   string
	}{
		{http.MethodPost, fmt.Sprint([]int64{created[1]})},
		{http.MethodDelete, "[]"},
	}
	for _, c := range cases {
		admin.ok(t, c.method, fmt.Sprintf("/organizations/%d/members/%d", created[1], memberID), nil)
		if got := fmt.Sprint(orgsOf(admin, fmt.Sprintf("/users/%d", memberID))); got != c.want {
			t.Errorf("after %s member: organizations %s, want %s", c.method, got, c.want)
		}
	}
	// Updating the user keeps the memberships.
	admin.ok(t, http.MethodPatch, "/self", map[string]any{"job_title": "CFO"})
	if got := orgsOf(admin, "/authenticate"); len(got) != before+3 {
		t.Fatalf("after a self update: %v", got)
	}
}
