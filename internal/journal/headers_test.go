package journal

import (
	"maps"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The flat header lists the ring keeps read back as the redacted, bounded
// maps: credentials masked, long values cut, the excess summarised.
func TestHeaderListReadsAsRedactedBoundedMap(t *testing.T) {
	many := http.Header{}
	for i := 0; i < 40; i++ {
		many.Set("X-Pad-"+strconv.Itoa(i), strings.Repeat("v", 300))
	}
	cases := []struct {
		name string
		h    http.Header
		want map[string]string
	}{
		{"empty", http.Header{}, nil},
		{"plain and multi-valued", http.Header{"Accept": {"a/b"}, "X-Multi": {"1", "2"}},
			map[string]string{"Accept": "a/b", "X-Multi": "1, 2"}},
		{"credentials masked", http.Header{"Authorization": {"Bearer sk_live_abcdef"}, "Cookie": {"ab"}},
			map[string]string{"Authorization": "Bearer sk_l…" + Redacted, "Cookie": Redacted}},
		{"long value cut", http.Header{"X-Long": {strings.Repeat("x", MaxHeaderValue+10)}},
			map[string]string{"X-Long": strings.Repeat("x", MaxHeaderValue) + CutMarker + strconv.Itoa(MaxHeaderValue+10) + " bytes]"}},
		{"too many", many, boundHeaders(NewRedactor().Headers(many))},
	}
	r := NewRedactor()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := r.headerList(c.h).toMap()
			if !maps.Equal(got, c.want) {
				t.Errorf("got %v\nwant %v", got, c.want)
			}
			if c.name == "too many" && got["…"] == "" {
				t.Errorf("no summary of the dropped headers: %d kept", len(got))
			}
		})
	}
}

// An entry listed carries both header maps, built from what was kept.
func TestListedEntryHasHeaders(t *testing.T) {
	j := New(4, nil)
	req, _ := http.NewRequest("GET", "http://x/v3/deposits/1", nil)
	req.Header.Set("Authorization", "Bearer secret-token")
	rec := j.Start(req, time.Now())
	j.SetResponseHeaders(rec, http.Header{"Content-Type": {"application/json"}, "Set-Cookie": {"s=1"}})
	j.Finish(rec, 200, time.Millisecond)
	e := j.List(Filter{})[0]
	if e.Header["Authorization"] != "Bearer secr…"+Redacted || e.RespHeader["Content-Type"] != "application/json" || e.RespHeader["Set-Cookie"] != Redacted {
		t.Errorf("headers %v, response headers %v", e.Header, e.RespHeader)
	}
	if got := rec.IDHeader(); len(got) != 1 || cap(got) != 1 || got[0] != e.ID || !strings.HasPrefix(e.ID, "req_") {
		t.Errorf("IDHeader %q (cap %d), id %q", got, cap(got), e.ID)
	}
}
