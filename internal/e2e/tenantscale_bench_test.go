package e2e

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/controlapi"
	"github.com/fakeprovider/fakeprovider/internal/outbox"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
	"github.com/fakeprovider/fakeprovider/internal/scenario"
	"github.com/fakeprovider/fakeprovider/internal/store"
)

// BenchmarkTenantScale measures a reset of a tenant that holds 10
// deliveries, 10 runs and 10 provider records, and the listing of that
// tenant's webhooks, while another tenant holds nothing or 100 000
// deliveries and 100 000 runs. Both should cost the same in either case:
// a tenant's reset and listing read that tenant alone.
//
//	go test -run '^$' -bench TenantScale -benchtime 200x ./internal/e2e
func BenchmarkTenantScale(b *testing.B) {
	for _, other := range []int{0, 100_000} {
		b.Run(fmt.Sprintf("other=%d", other), func(b *testing.B) {
			h := platformtest.New(b, []platform.Provider{platformtest.NewWidget()})
			small, big := h.NewTenant(), h.NewTenant()
			st := h.App.Store
			seedPlatform(b, st, big, other)
			seedPlatform(b, st, small, 10)
			var held int
			_ = st.View(context.Background(), func(tx *store.Tx) error {
				return tx.Indexed(big, "outbox").ForEach(func(string, []byte) error { held++; return nil })
			})
			if held != other {
				b.Fatalf("the other tenant holds %d deliveries, want %d", held, other)
			}
			b.Run("reset", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					seedPlatform(b, st, small, 10)
					b.StartTimer()
					if code := h.Control(http.MethodPost, "/reset?tenant="+small, nil, nil); code != http.StatusNoContent {
						b.Fatalf("reset: %d", code)
					}
				}
			})
			seedPlatform(b, st, small, 10)
			b.Run("webhooks", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					var out struct {
						Webhooks []controlapi.Webhook `json:"webhooks"`
					}
					if code := h.Control(http.MethodGet, "/webhooks?tenant="+small, nil, &out); code != http.StatusOK || len(out.Webhooks) != 10 {
						b.Fatalf("webhooks: %d, %d", code, len(out.Webhooks))
					}
				}
			})
		})
	}
}

// seedPlatform stores n settled deliveries, n finished runs and n widget
// records of tenant, in the shapes the outbox and the engine write, in
// transactions of up to 10 000 records.
func seedPlatform(b *testing.B, st *store.Store, tenant string, n int) {
	b.Helper()
	now := time.Now().UTC()
	for done := 0; done < n; {
		chunk := min(n-done, 10_000)
		err := st.Update(context.Background(), func(tx *store.Tx) error {
			for i := 0; i < chunk; i++ {
				seq, err := tx.NextID("outbox")
				if err != nil {
					return err
				}
				d := outbox.Record{ID: fmt.Sprintf("wh_%016x", seq), Tenant: tenant, Provider: "widget", Status: outbox.StatusDelivered, Created: now,
					Delivery: platform.Delivery{URL: "http://127.0.0.1:1/hook", Method: http.MethodPost, Body: []byte(`{"event":"widget.created"}`)},
					Attempts: []outbox.Attempt{{Time: now, ScenarioTime: now, URL: "http://127.0.0.1:1/hook", Method: http.MethodPost, Status: 200}}}
				if err := tx.Indexed(tenant, "outbox").PutJSON(d.ID, &d); err != nil {
					return err
				}
				if seq, err = tx.NextID("scenario_runs"); err != nil {
					return err
				}
				r := scenario.Run{ID: fmt.Sprintf("run_%012d", seq), Tenant: tenant, Provider: "widget", Scenario: "ship", Kind: "widget",
					ResourceID: fmt.Sprint(done + i), Status: scenario.RunDone, Created: now, DueAt: now, History: []scenario.StepOutcome{}}
				if err := tx.Indexed(tenant, "scenario_runs").PutJSON(r.ID, &r); err != nil {
					return err
				}
				if err := tx.In(tenant, "widget").Put("widget", fmt.Sprint(done+i), map[string]any{"id": done + i, "name": "w"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		done += chunk
	}
}
