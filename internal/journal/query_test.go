package journal

import (
	"net/http/httptest"
	"testing"
	"time"
)

func fill(j *Journal, tenants ...string) {
	for i, tn := range tenants {
		r := httptest.NewRequest("GET", "/p/"+tn, nil)
		rec := j.Start(r, time.Unix(int64(i), 0))
		rec.SetTenant(tn)
		j.Finish(rec, 200+i, time.Millisecond)
	}
}

func tenantsOf(es []Entry) string {
	s := ""
	for _, e := range es {
		s += e.Tenant
	}
	return s
}

// Clearing one tenant keeps the others' entries in order, also after the
// ring wrapped; new entries then go after them.
func TestClearTenant(t *testing.T) {
	for _, c := range []struct {
		name      string
		size      int
		in        []string
		clear     string
		removed   int
		left, add string
	}{
		{"not full", 5, []string{"a", "b", "a"}, "a", 2, "b", "cb"},
		{"wrapped", 3, []string{"a", "b", "a", "c", "b"}, "b", 1, "ca", "cca"},
		{"every entry", 3, []string{"a", "a", "a", "a"}, "a", 3, "", "c"},
		{"none", 2, []string{"a", "b", "c"}, "z", 0, "cb", "cc"},
		{"all tenants", 3, []string{"a", "b"}, "", 2, "", "c"},
	} {
		t.Run(c.name, func(t *testing.T) {
			j := New(c.size, nil)
			fill(j, c.in...)
			if n := j.Clear(c.clear); n != c.removed {
				t.Errorf("removed %d, want %d", n, c.removed)
			}
			if got := tenantsOf(j.List(Filter{})); got != c.left {
				t.Errorf("left %q (newest first), want %q", got, c.left)
			}
			fill(j, "c")
			if got := tenantsOf(j.List(Filter{})); len(got) > c.size || got[:min(len(got), len(c.add))] != c.add[:min(len(c.add), c.size)] {
				t.Errorf("after one more: %q, want %q", got, c.add)
			}
		})
	}
}

// Offset and Limit page over the matches; Count ignores both.
func TestPagingAndCount(t *testing.T) {
	j := New(10, nil)
	fill(j, "a", "b", "a", "a", "b")
	f := Filter{Tenant: "a", Limit: 2, Offset: 1}
	if got := j.List(f); len(got) != 2 || got[0].Status != 202 || got[1].Status != 200 {
		t.Errorf("page %+v", got)
	}
	if n := j.Count(f); n != 3 {
		t.Errorf("count %d", n)
	}
	ok := false
	if n := j.Count(Filter{AuthOK: &ok}); n != 0 {
		t.Errorf("failed auth: %d", n)
	}
	if n := j.Count(Filter{StatusClass: 2, Since: time.Unix(3, 0)}); n != 2 {
		t.Errorf("since: %d", n)
	}
}
