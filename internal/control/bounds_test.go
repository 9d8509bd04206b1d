package control_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/journal"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// A clock advance is bounded: one that would overflow is a 400 that says
// why, and nothing moves; scenario time stays sane afterwards.
func TestAdvanceBounded(t *testing.T) {
	h := newHarness(t)
	adv := func(by string) answer {
		return call(t, "POST", h.URL+"/_fakeprovider/clock/advance", `{"by":"`+by+`"}`, map[string]string{"Content-Type": "application/json"})
	}
	for _, by := range []string{"9223372036854775807ns", "9223372036854775808ns", "106752d", "99999999999999d", "36501d"} {
		a := adv(by)
		if a.status != 400 || !strings.Contains(string(a.body), "bound") {
			t.Errorf("advance %s: %d %s", by, a.status, a.body)
		}
	}
	if a := adv("1d"); a.status != 200 {
		t.Fatalf("advance 1d: %d %s", a.status, a.body)
	}
	var c struct {
		ScenarioNow time.Time `json:"scenario_now"`
	}
	h.Control("GET", "/clock", nil, &c)
	if d := time.Until(c.ScenarioNow); d < 23*time.Hour || d > 25*time.Hour {
		t.Errorf("scenario time %s after a refused overflow and 1d", c.ScenarioNow)
	}
	if a := adv("36499d"); a.status != 200 {
		t.Fatalf("advance to near the bound: %d %s", a.status, a.body)
	}
	if a := adv("2d"); a.status != 400 || !strings.Contains(string(a.body), "past the bound") {
		t.Errorf("advance past the bound: %d %s", a.status, a.body)
	}
}

// A scenario over a bound is a 422 naming the bound, before it costs memory.
func TestScenarioBounds(t *testing.T) {
	h := newHarness(t)
	head := "version: 1\nname: big\nprovider: widget\non: widget.created\nsteps:\n"
	for _, c := range []struct {
		name, body, want string
	}{
		{"4 MB with 120k steps", head + strings.Repeat("  - {after: 1s, status: done}\n", 120000), "per scenario file"},
		{"1001 steps", head + strings.Repeat("  - {after: 1s, status: done}\n", 1001), "1001 steps; the bound is 1000 steps per scenario"},
	} {
		a := call(t, "POST", h.URL+"/_fakeprovider/scenarios", c.body, map[string]string{"Content-Type": "application/yaml"})
		if a.status != 422 || !strings.Contains(string(a.body), c.want) {
			t.Errorf("%s: %d %.300s", c.name, a.status, a.body)
		}
	}
}

// The journal's answer is bounded: limit is capped, and each entry is cut
// (each header value, the auth reason) with a marker; the log line of an
// auth failure carrying a long header is cut too.
func TestJournalAndLogBounded(t *testing.T) {
	var logs platformtest.LogBuffer
	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()}, platformtest.WithLog(&logs),
		platformtest.WithOptions(func(o *app.Options) { o.JournalSize = 1200 }))
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	long := strings.Repeat("k", 30<<10) // two of them fit the 64 KiB header bound
	for i := 0; i < 1100; i++ {
		key := platformtest.WidgetKey
		if i >= 1095 {
			key = long // an unknown key: its value ends up in the reason
		}
		call(t, "GET", h.URL+fmt.Sprintf("/widgets/%d", i), "", map[string]string{"X-Key": key, "X-Pad": long})
	}
	var v struct {
		Requests []journal.Entry `json:"requests"`
	}
	a := call(t, "GET", h.URL+"/_fakeprovider/requests?limit=5000", "", nil)
	decode(t, a, &v)
	if len(v.Requests) != 1000 {
		t.Errorf("limit=5000 gave %d entries, want the cap of 1000", len(v.Requests))
	}
	if len(a.body) > 12<<20 {
		t.Errorf("1000 entries are %d bytes", len(a.body))
	}
	var last struct {
		Requests []journal.Entry `json:"requests"`
	}
	h.Control("GET", "/requests?limit=1", nil, &last)
	e := last.Requests[0] // the newest: an auth failure
	raw, _ := json.Marshal(e)
	if e.Auth.OK || len(raw) > 20<<10 || !strings.Contains(e.Auth.Reason, journal.CutMarker) || !strings.Contains(e.Header["X-Pad"], journal.CutMarker) {
		t.Errorf("entry of %d bytes, reason %.100q…, X-Pad %.40q…", len(raw), e.Auth.Reason, e.Header["X-Pad"])
	}
	ex := call(t, "GET", h.URL+"/widgets/1", "", map[string]string{"X-Key": long}).header.Get(platform.ExplainHeader)
	if len(ex) > journal.MaxReason+64 || !strings.Contains(ex, journal.CutMarker) {
		t.Errorf("explain header of %d bytes: %.100q", len(ex), ex)
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if len(line) > 8<<10 {
			t.Errorf("a log line of %d bytes: %.200s", len(line), line)
			break
		}
	}
}
