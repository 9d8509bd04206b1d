package clock_test

import (
	"encoding/json"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/clock"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestOffsets(t *testing.T) {
	type adv struct {
		tenant string
		by     time.Duration
	}
	cases := []struct {
		name     string
		advances []adv
		want     map[string]time.Duration // tenant → total offset
	}{
		{"none", nil, map[string]time.Duration{"": 0, "a": 0}},
		{"global", []adv{{"", time.Hour}}, map[string]time.Duration{"": time.Hour, "a": time.Hour, "b": time.Hour}},
		{"tenant", []adv{{"a", 15 * time.Minute}}, map[string]time.Duration{"": 0, "a": 15 * time.Minute, "b": 0}},
		{"both add up", []adv{{"", time.Hour}, {"a", time.Minute}, {"a", time.Minute}, {"", time.Second}},
			map[string]time.Duration{"": time.Hour + time.Second, "a": time.Hour + 2*time.Minute + time.Second, "b": time.Hour + time.Second}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c0 := clock.New(func() time.Time { return t0 })
			for _, a := range c.advances {
				c0.Advance(a.tenant, a.by)
			}
			if !c0.Now().Equal(t0) {
				t.Errorf("Now moved: %v (auth windows use the wall clock)", c0.Now())
			}
			for tn, want := range c.want {
				if got := c0.Offset(tn); got != want {
					t.Errorf("Offset(%q) = %v, want %v", tn, got, want)
				}
				if got := c0.ScenarioNow(tn); !got.Equal(t0.Add(want)) {
					t.Errorf("ScenarioNow(%q) = %v, want %v", tn, got, t0.Add(want))
				}
			}
		})
	}
}

func TestSnapshotRestore(t *testing.T) {
	c := clock.New(func() time.Time { return t0 })
	c.Advance("", 2*time.Hour)
	c.Advance("a", 5*time.Minute)
	snap := c.Snapshot()
	// The snapshot is a copy.
	c.Advance("a", time.Minute)
	if snap.Tenants["a"] != 5*time.Minute || snap.Global != 2*time.Hour {
		t.Fatalf("snapshot %+v", snap)
	}
	// It survives JSON (it is persisted in the state file).
	raw, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	var back clock.Offsets
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	c2 := clock.New(func() time.Time { return t0 })
	c2.Advance("b", time.Hour) // replaced by Restore
	c2.Restore(back)
	if c2.Offset("a") != 2*time.Hour+5*time.Minute || c2.Offset("b") != 2*time.Hour || c2.Offset("") != 2*time.Hour {
		t.Errorf("after Restore: a %v b %v global %v", c2.Offset("a"), c2.Offset("b"), c2.Offset(""))
	}
	// Restoring mutates neither the source nor shares its map.
	c2.Advance("a", time.Hour)
	if back.Tenants["a"] != 5*time.Minute {
		t.Error("Restore shares the offsets map")
	}
	c2.Restore(clock.Offsets{})
	if c2.Offset("a") != 0 {
		t.Error("Restore of empty offsets")
	}
}

func TestWallDefault(t *testing.T) {
	c := clock.New(nil)
	before := time.Now()
	got := c.Now()
	if got.Before(before) || got.After(time.Now()) {
		t.Errorf("Now %v not the wall clock", got)
	}
}

func TestConcurrent(t *testing.T) {
	c := clock.New(nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				c.Advance("a", time.Millisecond)
				c.Advance("", time.Millisecond)
				c.ScenarioNow("a")
				c.Snapshot()
			}
		}()
	}
	wg.Wait()
	if got := c.Offset("a"); got != 1600*time.Millisecond {
		t.Errorf("offset %v", got)
	}
}

// Scenario time moves at most MaxOffset ahead: CheckAdvance says why an
// advance is refused, and Advance never overflows whatever it is given.
func TestAdvanceBounded(t *testing.T) {
	c := clock.New(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	if err := c.CheckAdvance("", time.Duration(math.MaxInt64)); err == nil {
		t.Error("MaxInt64 accepted")
	}
	if err := c.CheckAdvance("", clock.MaxOffset); err != nil {
		t.Errorf("clock.MaxOffset refused: %v", err)
	}
	c.Advance("t1", clock.MaxOffset-time.Hour)
	if err := c.CheckAdvance("t1", 2*time.Hour); err == nil || !strings.Contains(err.Error(), "past the bound") {
		t.Errorf("tenant past the bound: %v", err)
	}
	if err := c.CheckAdvance("", 2*time.Hour); err == nil {
		t.Error("a global advance that puts t1 past the bound was accepted")
	}
	if err := c.CheckAdvance("t2", 2*time.Hour); err != nil {
		t.Errorf("another tenant refused: %v", err)
	}
	c.Advance("", time.Duration(math.MaxInt64))
	c.Advance("", 24*time.Hour)
	if got := c.Offset(""); got != clock.MaxOffset {
		t.Errorf("global offset %s, want the bound", got)
	}
	if y := c.ScenarioNow("").Year(); y < 2026 || y > 2127 {
		t.Errorf("scenario year %d", y)
	}
	c.Restore(clock.Offsets{Global: -5 * time.Hour, Tenants: map[string]time.Duration{"x": math.MaxInt64}})
	if c.Offset("") != 0 || c.Offset("x") != clock.MaxOffset {
		t.Errorf("restored overflowed offsets: %s %s", c.Offset(""), c.Offset("x"))
	}
}
