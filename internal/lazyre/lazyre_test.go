package lazyre

import (
	"sync"
	"testing"
)

func TestCompiledOnFirstUse(t *testing.T) {
	r := New(`^(\d+)-(\w+)$`)
	if r.re != nil {
		t.Fatal("compiled at New")
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !r.MatchString("12-ab") || r.MatchString("x") {
				t.Error("MatchString")
			}
		}()
	}
	wg.Wait()
	if m := r.FindStringSubmatch("12-ab"); len(m) != 3 || m[2] != "ab" {
		t.Errorf("FindStringSubmatch: %q", m)
	}
	if got := r.ReplaceAllString("7-x", "$2"); got != "x" {
		t.Errorf("ReplaceAllString: %q", got)
	}
}

func TestInvalidPanicsOnUse(t *testing.T) {
	r := New(`(`)
	defer func() {
		if recover() == nil {
			t.Error("no panic for an invalid expression")
		}
	}()
	r.MatchString("x")
}
