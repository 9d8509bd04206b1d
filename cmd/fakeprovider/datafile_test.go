package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// runBinary runs the binary to its exit and returns its exit code and
// stderr.
func runBinary(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(platformtest.Binary(t), append([]string{"--addr", platformtest.FreeAddr(t)}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, stderr.String()
}

// TestBinaryDamagedDataFile: a data file truncated to half, with damaged
// data pages or a damaged meta page makes the binary exit 1 with one line
// that says so, never a panic, and the file is left as it was.
func TestBinaryDamagedDataFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	p := platformtest.StartBinary(t, "--data", path)
	for range 20 {
		resp, err := http.Post(p.URL+"/_fakeprovider/tenants", "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if err := p.Stop(t); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ps := os.Getpagesize()
	damage := map[string]func([]byte) []byte{
		"truncated to half": func(b []byte) []byte { return b[:len(b)/2] },
		"meta page flipped": func(b []byte) []byte { b[ps+16+44] ^= 0x01; return b },
		"data pages flipped": func(b []byte) []byte {
			for p := 2; p*ps < len(b); p++ {
				b[p*ps+8] ^= 0xFF // every page's type
			}
			return b
		},
	}
	for name, fn := range damage {
		t.Run(name, func(t *testing.T) {
			raw := fn(append([]byte(nil), good...))
			bad := filepath.Join(t.TempDir(), "bad.db")
			if err := os.WriteFile(bad, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			code, stderr := runBinary(t, "--data", bad)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code != 1 || len(lines) != 1 || !strings.Contains(stderr, "is damaged:") ||
				!strings.Contains(stderr, "move it away or use another --data") || strings.Contains(stderr, "panic") {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit 1 and one line saying the file is damaged", code, stderr)
			}
			after, _ := os.ReadFile(bad)
			if !bytes.Equal(after, raw) {
				t.Error("the damaged file was modified")
			}
			t.Logf("%s: %s", name, lines[0])
		})
	}
}

// TestBinaryDataFileInUse: a second emulator on the same data file says
// which process holds it.
func TestBinaryDataFileInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	p := platformtest.StartBinary(t, "--data", path)
	code, stderr := runBinary(t, "--data", path)
	want := fmt.Sprintf("is in use by another process (pid %d)", p.PID())
	if code != 1 || !strings.Contains(stderr, want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("exit %d, stderr:\n%s\nwant exit 1 and one line with %q", code, stderr, want)
	}
	t.Log(strings.TrimSpace(stderr))
	p.Stop(t)
}
