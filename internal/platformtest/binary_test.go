package platformtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Binaries of test processes that are gone are removed; those of live
// processes and other directories stay.
func TestReapBinaries(t *testing.T) {
	tmp := t.TempDir()
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Skip("no true(1):", err)
	}
	dead := filepath.Join(tmp, binDirPrefix+strconv.Itoa(gone.Process.Pid)+"-1")
	live := filepath.Join(tmp, binDirPrefix+strconv.Itoa(os.Getpid())+"-2")
	oldUnnamed := filepath.Join(tmp, binDirPrefix+"abc")
	newUnnamed := filepath.Join(tmp, binDirPrefix+"def")
	other := filepath.Join(tmp, "something-else")
	for _, d := range []string{dead, live, oldUnnamed, newUnnamed, other} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(oldUnnamed, old, old)
	reapBinaries(tmp)
	for d, want := range map[string]bool{dead: false, live: true, oldUnnamed: false, newUnnamed: true, other: true} {
		if _, err := os.Stat(d); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(d), err == nil, want)
		}
	}
}
