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
	check := func(name string, got clock.Offsets) {
		t.Helper()
		if got.Global != time.Hour || got.Tenants["a"] != time.Minute || got.Tenants["b"] != 2*time.Minute || len(got.Tenants) != 2 {
			t.Errorf("%s: %+v", name, got)
		}
	}
	check("after save", load())
	for _, tn := range []string{"a", ""} {
		update(func(tx *store.Tx) error {
			if err := tx.ResetTenant(tn); err != nil {
				return err
			}
			return c.SaveAfterReset(tx, tn)
		})
		check("after reset of "+tn, load())
	}
}
