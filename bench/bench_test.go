package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestQuick is the CI smoke run of the whole benchmark (-quick, ~20 s plus
// the build): every workload runs and the report is written. It checks the
// harness works, not the figures (machines are shared and noisy).
func TestQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("the smoke benchmark takes ~30 s")
	}
	out := filepath.Join(t.TempDir(), "bench.md")
	var log bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := run(ctx, []string{"-quick", "-out", out}, &log); err != nil {
		t.Fatalf("bench: %v\n%s", err, log.String())
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	md := string(raw)
	for _, want := range []string{"| baseline", "GET ", "create (temporary)", "create (--data, fsync)", "raw write+fsync", "start to first healthy", "idle RSS", "GET p99 with"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	t.Logf("\n%s", md)
}
