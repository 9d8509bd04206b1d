package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fill writes zeros to path until the file system is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil && !errors.Is(err, syscall.ENOSPC) {
		t.Fatal(err)
	}
	if f == nil {
		return
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	for n := 4096; ; { // the last partial blocks
		if _, err := f.Write(chunk[:n]); err != nil {
			if n == 1 {
				return
			}
			n /= 2
		}
	}
}

// TestDiskFull: with the data file on a small tmpfs that fills up, writes
// get D24's own server error and one rate-limited log line, reads keep
// working, writes resume once space returns, and the file opens cleanly
// after a restart with every acknowledged deposit in it. It mounts a tmpfs,
// so it needs root (as in CI).
func TestDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := filepath.Join(t.TempDir(), "small")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	data := filepath.Join(dir, "state.db")
	logs := &syncBuffer{}
	withLog := platformtest.WithOptions(func(o *app.Options) {
		o.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	})
	e := newD24(t, platformtest.WithData(data), withLog)
	rcv := platformtest.NewReceiver(t)
	var ok []int64
	create := func(i int) (int, []byte, int64) {
		st, body := e.signed("POST", "/v3/deposits", map[string]any{"invoice_id": fmt.Sprintf("inv-full-%d", i), "amount": 100, "country": "BR", "currency": "BRL",
			"payment_method": "IX", "notification_url": rcv.URL,
			"payer": map[string]any{"document": "84932568207", "first_name": "Ricardo", "last_name": "Carlos", "email": "r@example.com"}})
		var created struct {
			DepositID int64 `json:"deposit_id"`
		}
		_ = json.Unmarshal(body, &created)
		return st, body, created.DepositID
	}
	for i := range 3 {
		if st, body, id := create(i); st != 200 {
			t.Fatalf("before the disk fills: %d %s", st, body)
		} else {
			ok = append(ok, id)
		}
	}
	filler := filepath.Join(dir, "filler")
	fill(t, filler)
	failed := 0
	var failBody []byte
	for i := 3; i < 3000 && failed < 20; i++ {
		st, body, id := create(i)
		switch st {
		case 200:
			ok = append(ok, id)
		case 500:
			failed++
			failBody = body
		default:
			t.Fatalf("disk full: %d %s", st, body)
		}
	}
	if failed == 0 {
		t.Fatal("no write failed with the disk full")
	}
	var env struct {
		Code        *int   `json:"code"`
		Description string `json:"description"`
	}
	if err := json.Unmarshal(failBody, &env); err != nil || env.Code == nil {
		t.Errorf("disk full answer is not D24's error envelope: %s", failBody)
	}
	if n := strings.Count(logs.String(), "store: commit failed"); n != 1 || !strings.Contains(logs.String(), "no space left on device") {
		t.Errorf("%d failed writes logged %d lines, want 1 (rate-limited) naming the cause:\n%s", failed, n, logs.String())
	}
	if st, body := e.signed("GET", fmt.Sprintf("/v3/deposits/%d", ok[0]), nil); st != 200 {
		t.Errorf("read with the disk full: %d %s", st, body)
	}
	t.Logf("disk full: %d deposits acknowledged, %d writes answered %s; log: %s", len(ok), failed, failBody, strings.TrimSpace(logs.String()))

	// Space returns: writes resume.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if st, body, id := create(9999); st != 200 {
		t.Fatalf("after space returned: %d %s", st, body)
	} else {
		ok = append(ok, id)
	}
	e.h.Stop()

	// Nothing corrupted: the file opens (and passes the check at open) with
	// every acknowledged deposit.
	e = newD24(t, platformtest.WithData(data), withLog)
	for _, id := range ok {
		if st, body := e.signed("GET", fmt.Sprintf("/v3/deposits/%d", id), nil); st != 200 {
			t.Fatalf("deposit %d after the restart: %d %s", id, st, body)
		}
	}
}
