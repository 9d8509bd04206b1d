package app_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// A data file written by the layout that kept every tenant's deliveries,
// runs and clock offsets in shared buckets (internal/store/testdata, see
// its test) opens, and its records are seen per tenant as before.
func TestDataFileOfTheSharedLayoutOpens(t *testing.T) {
	raw, err := os.ReadFile("../store/testdata/layout1.db")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "state.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ { // migrated, then reopened as is
		h := platformtest.New(t, widgets(), platformtest.WithData(path))
		var hooks struct {
			Webhooks []struct {
				ID     string `json:"id"`
				Tenant string `json:"tenant"`
			} `json:"webhooks"`
		}
		if st := h.Control(http.MethodGet, "/webhooks?tenant=tn_other", nil, &hooks); st != 200 {
			t.Fatalf("webhooks: %d", st)
		}
		want := []string{"wh_0000000000000006", "wh_0000000000000005", "wh_0000000000000004"}
		if len(hooks.Webhooks) != len(want) {
			t.Fatalf("round %d: tn_other's webhooks %+v", round, hooks.Webhooks)
		}
		for i, w := range hooks.Webhooks {
			if w.ID != want[i] || w.Tenant != "tn_other" {
				t.Errorf("round %d: webhook %d: %+v, want %s", round, i, w, want[i])
			}
		}
		var one struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
		if st := h.Control(http.MethodGet, "/webhooks/wh_0000000000000002", nil, &one); st != 200 || one.Status != "delivered" {
			t.Errorf("round %d: webhook 2: %d %+v", round, st, one)
		}
		var all struct {
			Webhooks []struct{ ID string } `json:"webhooks"`
		}
		h.Control(http.MethodGet, "/webhooks", nil, &all)
		if len(all.Webhooks) != 6 || all.Webhooks[0].ID != "wh_0000000000000006" {
			t.Errorf("round %d: every webhook: %+v", round, all.Webhooks)
		}
		var runs struct {
			Runs []struct {
				ID     string `json:"id"`
				Tenant string `json:"tenant"`
			} `json:"runs"`
		}
		h.Control(http.MethodGet, "/scenarios/runs?tenant=tn_other", nil, &runs)
		if len(runs.Runs) != 1 || runs.Runs[0].Tenant != "tn_other" {
			t.Errorf("round %d: tn_other's runs %+v", round, runs.Runs)
		}
		var clk struct {
			Offset  string            `json:"offset"`
			Tenants map[string]string `json:"tenants"`
		}
		h.Control(http.MethodGet, "/clock", nil, &clk)
		if clk.Offset != "1h0m0s" || clk.Tenants["tn_other"] != "1h30m0s" {
			t.Errorf("round %d: clock %+v", round, clk)
		}
		h.Stop()
		http.DefaultClient.CloseIdleConnections()
	}
}
