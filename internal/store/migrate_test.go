package store_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/fakeprovider/fakeprovider/internal/store"
)

// testdata/layout1.db was written by the layout that kept every tenant's
// deliveries, runs, policies and clock offsets in shared system buckets:
// tenants "default" and "tn_other", three deliveries, one run and one
// policy each, one idempotency record each, clock offsets of 1h global and
// 90m for tn_other.
func TestMigrateLayout1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.db")
	raw, err := os.ReadFile("testdata/layout1.db")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ { // the second open finds nothing to migrate
		st, err := store.Open(store.Options{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		st.View(ctx, func(tx *store.Tx) error {
			for _, kind := range []string{"outbox", "scenario_runs"} {
				byTenant := map[string][]string{}
				_ = tx.ForEachIndexed(kind, false, func(id, tenant string) error {
					var head struct {
						ID     string `json:"id"`
						Tenant string `json:"tenant"`
					}
					if ok, err := tx.Indexed(tenant, kind).GetJSON(id, &head); !ok || err != nil || head.ID != id || head.Tenant != tenant {
						t.Errorf("%s %s under %s: found %v, %v, %+v", kind, id, tenant, ok, err, head)
					}
					byTenant[tenant] = append(byTenant[tenant], id)
					return nil
				})
				want := map[string]int{"outbox": 3, "scenario_runs": 1}[kind]
				for _, tn := range []string{"default", "tn_other"} {
					if len(byTenant[tn]) != want {
						t.Errorf("%s of %s: %v, want %d", kind, tn, byTenant[tn], want)
					}
				}
			}
			if tx.Records("tn_other", "webhook_policies").Get("d24\x00deposit\x00dep_2") == nil {
				t.Error("tn_other's webhook policy was not moved")
			}
			if got := string(tx.System(store.ClockBucket).Get(store.ClockKey)); got != "3600000000000" {
				t.Errorf("global offset %q", got)
			}
			if got := string(tx.Records("tn_other", store.ClockBucket).Get(store.ClockKey)); got != "5400000000000" {
				t.Errorf("tn_other's offset %q", got)
			}
			if r, _ := tx.In("tn_other", "d24").Idempotency("key-1"); r == nil || r.Status != 201 {
				t.Errorf("idempotency record %+v", r)
			}
			var tenants []string
			_ = tx.System("tenants").ForEach(func(id string, raw []byte) error {
				tenants = append(tenants, id)
				return json.Unmarshal(raw, &map[string]any{})
			})
			sort.Strings(tenants)
			if len(tenants) != 2 {
				t.Errorf("tenants %v", tenants)
			}
			if _, ok := tx.Dump("tn_other", "")["_platform"]; ok {
				t.Error("the dump shows the platform's records as a provider")
			}
			return nil
		})
		// New ids continue the old sequence.
		var next uint64
		st.Update(ctx, func(tx *store.Tx) error {
			next, err = tx.NextID("outbox")
			return err
		})
		if next != uint64(7+round) {
			t.Errorf("round %d: next delivery id %d, want %d", round, next, 7+round)
		}
		st.Close()
	}
}

// A file of a newer layout is refused at open rather than written to.
func TestNewerLayoutRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.db")
	st, err := store.Open(store.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("system")).Put([]byte("layout"), []byte("99")) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if st, err := store.Open(store.Options{Path: path}); err == nil || !strings.Contains(err.Error(), `layout "99"`) {
		if st != nil {
			st.Close()
		}
		t.Fatalf("open of a newer layout: %v", err)
	}
}
