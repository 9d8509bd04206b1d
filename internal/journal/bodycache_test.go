package journal

import (
	"fmt"
	"strings"
	"testing"
)

// A repeated body is answered from the cache with the same redacted form;
// keys added later are masked in a body redacted before; the cache keeps
// no clear secret and stays bounded.
func TestBodyCache(t *testing.T) {
	r := NewRedactor()
	j := New(10, r)
	body := []byte(`{"password":"hunter2","note":"plain","pin":"4321"}`)
	first := j.RedactBody("application/json", body)
	if strings.Contains(first, "hunter2") || !strings.Contains(first, "4321") {
		t.Fatalf("first redaction %s", first)
	}
	if again := j.RedactBody("application/json", body); again != first {
		t.Fatalf("cached redaction %s, want %s", again, first)
	}
	r.AddKeys("pin")
	if after := j.RedactBody("application/json", body); strings.Contains(after, "4321") || strings.Contains(after, "hunter2") {
		t.Fatalf("after AddKeys(pin): %s", after)
	}
	other := []byte(`{"password":"hunter3","note":"plain","pin":"4321"}`)
	if got := j.RedactBody("application/json", other); strings.Contains(got, "hunter3") {
		t.Fatalf("a body of the same length: %s", got)
	}
	for k, v := range j.bodies.m {
		if strings.Contains(v, "hunter") || strings.Contains(k.ct, "hunter") {
			t.Fatalf("clear secret kept in the cache: %q", v)
		}
	}
	for i := range 3 * bodyCacheEntries {
		j.RedactBody("application/json", fmt.Appendf(nil, `{"n":%d}`, i))
	}
	if n := len(j.bodies.m); n > bodyCacheEntries {
		t.Fatalf("%d cached bodies, bound %d", n, bodyCacheEntries)
	}
	big := []byte(`{"password":"` + strings.Repeat("x", bodyCacheMax) + `"}`)
	if got := j.RedactBody("application/json", big); strings.Contains(got, "xxxx") {
		t.Fatalf("large body not redacted: %.80s", got)
	}
}
