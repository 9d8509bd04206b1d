package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// damagedFixture writes a closed store with records of several kinds and
// returns its path and bytes.
func damagedFixture(t *testing.T, records int) (string, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(Options{Path: path, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	val := map[string]string{"name": strings.Repeat("x", 300)}
	for i := 0; i < records; i += 100 {
		err := s.Update(context.Background(), func(tx *Tx) error {
			for j := i; j < i+100 && j < records; j++ {
				if err := tx.In("t1", "crm").Put(fmt.Sprintf("kind%d", j%3), fmt.Sprintf("%08d", j), val); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, raw
}

// openDamaged opens raw written to a file and checks that the answer is a
// DamagedError (never a panic) and that the file is left as it was.
func openDamaged(t *testing.T, raw []byte) error {
	t.Helper()
	path := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("open panicked: %v", p)
			}
		}()
		var s *Store
		s, err = Open(Options{Path: path, NoSync: true})
		if err == nil {
			s.Close()
		}
	}()
	after, _ := os.ReadFile(path)
	if err != nil && !bytes.Equal(after, raw) {
		t.Errorf("a damaged file was modified by the failed open")
	}
	return err
}

func wantDamaged(t *testing.T, err error, reason string) {
	t.Helper()
	var d *DamagedError
	if !errors.As(err, &d) || !strings.Contains(err.Error(), reason) || !strings.Contains(err.Error(), "move it away or use another --data") {
		t.Fatalf("open: %v; want a DamagedError about %q", err, reason)
	}
}

func TestOpenDamagedFile(t *testing.T) {
	_, raw := damagedFixture(t, 3000)
	ps := os.Getpagesize()
	t.Run("truncated to half", func(t *testing.T) {
		wantDamaged(t, openDamaged(t, raw[:len(raw)/2]), "cut short")
	})
	t.Run("truncated inside the meta pages", func(t *testing.T) {
		wantDamaged(t, openDamaged(t, raw[:ps+100]), "cut short")
	})
	t.Run("empty header", func(t *testing.T) {
		b := append([]byte(nil), raw...)
		copy(b, make([]byte, 2*ps))
		wantDamaged(t, openDamaged(t, b), "neither meta page")
	})
	t.Run("not a bbolt file", func(t *testing.T) {
		wantDamaged(t, openDamaged(t, []byte(`{"tenants":[]}`+strings.Repeat(" ", 9000))), "neither meta page")
	})
	for _, meta := range []int{0, 1} {
		t.Run(fmt.Sprintf("bit flipped in meta page %d", meta), func(t *testing.T) {
			b := append([]byte(nil), raw...)
			b[meta*ps+pageHeaderSize+44] ^= 0x10 // inside the high-water mark
			wantDamaged(t, openDamaged(t, b), fmt.Sprintf("meta page %d is invalid (checksum mismatch)", meta))
		})
	}
	t.Run("bits flipped in data pages", func(t *testing.T) {
		// Every page past the meta pages in turn: the header of a page in
		// use is found by the check; a free page is harmless. Never a panic.
		found, pages := 0, int(readMeta(raw).hwm)
		for p := 2; p < pages; p += 3 {
			b := append([]byte(nil), raw...)
			for i := 0; i < 16; i++ {
				b[p*ps+i] ^= 0xA5
			}
			if err := openDamaged(t, b); err != nil {
				var d *DamagedError
				if !errors.As(err, &d) {
					t.Fatalf("page %d: %v, want a DamagedError", p, err)
				}
				found++
			}
		}
		t.Logf("%d of %d damaged page headers found at open", found, (pages-2+2)/3)
		if found == 0 {
			t.Fatal("no damaged page found")
		}
	})
}

func TestOpenInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(Options{Path: path, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = Open(Options{Path: path, NoSync: true})
	var inUse *InUseError
	if !errors.As(err, &inUse) || !strings.Contains(err.Error(), "is in use by another process") {
		t.Fatalf("second open: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("second open took %s", d)
	}
}

// TestUndecodableRecordSkipped: a list walk and the state dump leave out a
// record that cannot be decoded (and log it) instead of failing.
func TestUndecodableRecordSkipped(t *testing.T) {
	var logged bytes.Buffer
	s := openTestStore(t, &logged)
	ctx := context.Background()
	err := s.Update(ctx, func(tx *Tx) error {
		sc := tx.In("t1", "crm")
		for _, id := range []string{"1", "3"} {
			if err := sc.Put("user", id, map[string]string{"id": id}); err != nil {
				return err
			}
		}
		if err := sc.PutRaw("user", "2", []byte(`{"id":"2","na`)); err != nil {
			return err
		}
		return sc.PutRaw("user", "4", []byte(`{"id":4}`)) // valid JSON of the wrong type
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	err = s.View(ctx, func(tx *Tx) error {
		return tx.In("t1", "crm").ForEach("user", func(id string, raw []byte) error {
			var u struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(raw, &u); err != nil {
				return err
			}
			ids = append(ids, u.ID)
			return nil
		})
	})
	if err != nil || strings.Join(ids, ",") != "1,3" {
		t.Fatalf("walk: %v %v, want 1,3", ids, err)
	}
	var dumped int
	_ = s.View(ctx, func(tx *Tx) error {
		dumped = len(tx.Dump("t1", "")["crm"]["user"])
		return nil
	})
	if dumped != 3 {
		t.Errorf("dump has %d users, want 3 (the malformed one left out)", dumped)
	}
	if !strings.Contains(logged.String(), "skipped a record that cannot be decoded") || !strings.Contains(logged.String(), "t1/crm/user/2") {
		t.Errorf("log: %s", logged.String())
	}
}

func openTestStore(t *testing.T, log *bytes.Buffer) *Store {
	t.Helper()
	s, err := Open(Options{Logger: slog.New(slog.NewTextHandler(log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
