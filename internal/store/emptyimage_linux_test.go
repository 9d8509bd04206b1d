//go:build linux

package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// The image a temporary store starts from is the file bbolt itself makes
// for a new database with the store's options.
func TestEmptyImageIsBoltsNewFile(t *testing.T) {
	img, err := emptyImage()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "new.db")
	db, err := openBolt(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(img) != 4*os.Getpagesize() || !bytes.Equal(img, want) {
		t.Fatalf("image of %d bytes differs from bbolt's new file of %d bytes", len(img), len(want))
	}
	// A temporary store opened from it takes writes and reads them back.
	st, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.Update(ctx, func(tx *Tx) error { return tx.System("probe").Put("k", []byte("v")) }); err != nil {
		t.Fatal(err)
	}
	var got []byte
	st.View(ctx, func(tx *Tx) error { got = bytes.Clone(tx.System("probe").Get("k")); return nil })
	if string(got) != "v" {
		t.Errorf("read back %q, want v", got)
	}
}
