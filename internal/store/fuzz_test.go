package store_test

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/fakeprovider/fakeprovider/internal/store"
)

// Whatever names a request carries into a record's path, a write either
// fails cleanly or reads back, and a failed write leaves nothing.
func FuzzPutGet(f *testing.F) {
	f.Add("default", "d24", "deposit", "42", "x")
	f.Add("", "p", "k", "1", "v")
	f.Add("t", "p", "_seq_k", "", "v")
	f.Add("t/../x", "p", "k\x00", "id with spaces", `{"a":1}`)
	st, err := store.Open(store.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	f.Fuzz(func(t *testing.T, tenant, provider, kind, id, value string) {
		if !utf8.ValidString(value) {
			return // JSON replaces invalid UTF-8: not a store matter
		}
		err := st.Update(ctx, func(tx *store.Tx) error {
			return tx.In(tenant, provider).Put(kind, id, value)
		})
		err2 := st.View(ctx, func(tx *store.Tx) error {
			var got string
			ok, gerr := tx.In(tenant, provider).Get(kind, id, &got)
			if err == nil && (!ok || gerr != nil || got != value) {
				t.Errorf("written %q, read %q ok=%v err=%v", value, got, ok, gerr)
			}
			raw, _ := json.Marshal(tx.Dump(tenant, provider))
			_ = raw
			return nil
		})
		if err2 != nil {
			t.Fatal(err2)
		}
		st.Update(ctx, func(tx *store.Tx) error { return tx.ResetTenant(tenant) })
	})
}
