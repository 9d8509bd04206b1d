package clock_test

import (
	"context"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/clock"
	"github.com/fakeprovider/fakeprovider/internal/store"
)

// Offsets saved after a fast-forward come back at the next start, and a
// reset of a tenant (its bucket deleted) does not move its scenario time.
func TestSaveLoadAndReset(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := clock.New(nil)
	update := func(fn func(tx *store.Tx) error) {
		t.Helper()
		if err := st.Update(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	c.Advance("", time.Hour)
	c.Advance("a", time.Minute)
	c.Advance("b", 2*time.Minute)
	for _, tn := range []string{"", "a", "b"} {
		update(func(tx *store.Tx) error { return c.Save(tx, tn) })
	}
	load := func() clock.Offsets {
		t.Helper()
		c2 := clock.New(nil)
		if err := st.View(ctx, c2.Load); err != nil {
			t.Fatal(err)
		}
		return c2.Snapshot()
	}
	check := func(name string, got clock.Offsets, global time.Duration, tenants map[string]time.Duration) {
		t.Helper()
		if got.Global != global || len(got.Tenants) != len(tenants) {
			t.Errorf("%s: %+v, want global %v and %v", name, got, global, tenants)
		}
		for tn, d := range tenants {
			if got.Tenants[tn] != d {
				t.Errorf("%s: tenant %s offset %v, want %v", name, tn, got.Tenants[tn], d)
			}
		}
	}
	check("after save", load(), time.Hour, map[string]time.Duration{"a": time.Minute, "b": 2 * time.Minute})
	// A reset puts scenario time back on the wall clock: the tenant's own
	// offset (a reset of one tenant) or every offset (a reset of all),
	// in the store and in memory.
	reset := func(tn string) {
		t.Helper()
		update(func(tx *store.Tx) error {
			if err := tx.ResetTenant(tn); err != nil {
				return err
			}
			return c.ClearAfterReset(tx, tn)
		})
	}
	reset("a")
	check("stored, after reset of a", load(), time.Hour, map[string]time.Duration{"b": 2 * time.Minute})
	check("in memory, after reset of a", c.Snapshot(), time.Hour, map[string]time.Duration{"b": 2 * time.Minute})
	reset("")
	check("stored, after reset of all", load(), 0, nil)
	check("in memory, after reset of all", c.Snapshot(), 0, nil)
}
