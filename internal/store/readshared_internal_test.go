package store

import (
	"context"
	"path/filepath"
	"testing"
)

// A second ReadShared of an unchanged record opens no transaction; after
// any write transaction it opens one again.
func TestReadSharedWithoutTransaction(t *testing.T) {
	st, err := Open(Options{Path: filepath.Join(t.TempDir(), "s.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	type rec struct{ Name string }
	write := func(name string) {
		t.Helper()
		if err := st.Update(ctx, func(tx *Tx) error { return tx.In("a", "p").Put("k", "1", rec{name}) }); err != nil {
			t.Fatal(err)
		}
	}
	read := func() (string, int) {
		t.Helper()
		before := st.db.Stats().TxN
		var v rec
		if ok, err := st.ReadShared(ctx, "a", "p", "k", "1", &v); err != nil || !ok {
			t.Fatalf("ReadShared: %v %v", ok, err)
		}
		return v.Name, st.db.Stats().TxN - before
	}
	write("one")
	if name, txs := read(); name != "one" || txs != 1 {
		t.Fatalf("first read: %q in %d transactions, want one in 1", name, txs)
	}
	if name, txs := read(); name != "one" || txs != 0 {
		t.Fatalf("second read: %q in %d transactions, want one in 0", name, txs)
	}
	write("two")
	if name, txs := read(); name != "two" || txs != 1 {
		t.Fatalf("read after a write: %q in %d transactions, want two in 1", name, txs)
	}
	if name, txs := read(); name != "two" || txs != 0 {
		t.Fatalf("second read after a write: %q in %d transactions", name, txs)
	}
}
