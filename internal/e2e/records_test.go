package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
	"github.com/fakeprovider/fakeprovider/internal/robustness"
	"github.com/fakeprovider/fakeprovider/internal/store"
	"github.com/fakeprovider/fakeprovider/internal/tenant"
)

// TestUndecodableRecordSkippedInLists: one CRM user record that cannot be
// decoded leaves the user list and the state dump answering 200 with the
// other users.
func TestUndecodableRecordSkippedInLists(t *testing.T) {
	h := platformtest.New(t, app.Providers())
	ctx := context.Background()
	var crm robustness.Client
	for _, c := range robustness.Clients(app.Providers()) {
		if c.Name() == "crm" {
			crm = c
		}
	}
	if crm == nil {
		t.Skip("crm is not wired")
	}
	creds, err := robustness.Credentials(ctx, h.URL, []robustness.Client{crm}, "")
	if err != nil {
		t.Fatal(err)
	}
	sess := robustness.NewSession(h.URL, crm, creds["crm"])
	example := func(name string) platform.Example {
		for _, ex := range crm.Examples() {
			if ex.Name == name {
				return ex
			}
		}
		t.Fatalf("crm has no example %q", name)
		return platform.Example{}
	}
	var ids []string
	for range 3 {
		res, err := sess.Run(ctx, example("users.create"))
		if err != nil || res.Status >= 300 {
			t.Fatalf("create user: %v %d %s", err, res.Status, res.Body)
		}
		id, err := robustness.Field(res.Body, "id")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	// The second user's record is damaged: cut in the middle.
	err = h.App.Store.Update(ctx, func(tx *store.Tx) error {
		sc := tx.In(tenant.DefaultID, "crm")
		raw := sc.GetRaw("user", ids[1])
		return sc.PutRaw("user", ids[1], append([]byte(nil), raw[:len(raw)/2]...))
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := sess.Run(ctx, example("users.list"))
	if err != nil || res.Status != http.StatusOK || !strings.Contains(string(res.Body), ids[0]) || !strings.Contains(string(res.Body), ids[2]) {
		t.Fatalf("user list with one damaged record: %v %d %s", err, res.Status, res.Body)
	}
	var state map[string]any
	if st := h.Control("GET", "/state?tenant="+tenant.DefaultID+"&provider=crm", nil, &state); st != http.StatusOK {
		t.Fatalf("state dump with one damaged record: %d", st)
	}
}
