package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const mb = 1 << 20

// mibs is v MiB in bytes, as anonCurve rounds it.
func mibs(v float64) int64 { return int64(v * mb) }

// anonCurve makes one sample per second with the given RssAnon values.
func anonCurve(vs ...float64) []soakSample {
	out := make([]soakSample, len(vs))
	for i, v := range vs {
		out[i] = soakSample{At: time.Duration(i) * time.Second, Anon: int64(v * mb)}
	}
	return out
}

func TestJudgeFlat(t *testing.T) {
	cases := []struct {
		name     string
		samples  []soakSample
		warm     time.Duration
		judged   bool
		flat     bool
		first    int64
		last     int64
		nJudged  int
		contains string
	}{
		{name: "steady", samples: anonCurve(60, 61, 59, 60, 62, 60, 61, 60, 59), judged: true, flat: true, first: 61 * mb, last: 61 * mb, nJudged: 9},
		{name: "saw-tooth under the first third's peak", samples: anonCurve(50, 70, 52, 68, 51, 69, 50, 70, 52), judged: true, flat: true, first: 70 * mb, last: 70 * mb, nJudged: 9},
		{name: "within 10 %", samples: anonCurve(100, 100, 100, 105, 105, 105, 109, 110, 108), judged: true, flat: true, first: 100 * mb, last: 110 * mb, nJudged: 9},
		{name: "just above 10 %", samples: anonCurve(100, 100, 100, 105, 105, 105, 109, 111, 108), judged: true, flat: false, first: 100 * mb, last: 111 * mb, nJudged: 9, contains: "NOT flat"},
		{name: "steady growth", samples: anonCurve(40, 45, 50, 55, 60, 65, 70, 75, 80), judged: true, flat: false, first: 50 * mb, last: 80 * mb, nJudged: 9, contains: "+60.0 %"},
		{name: "small heap: 1 MiB slack beats 10 %", samples: anonCurve(5, 5, 5, 5.5, 5.5, 5.5, 5.9, 5.9, 5.9), judged: true, flat: true, first: 5 * mb, last: mibs(5.9), nJudged: 9},
		{name: "small heap beyond the slack", samples: anonCurve(5, 5, 5, 5.5, 5.5, 5.5, 6.2, 6, 6), judged: true, flat: false, first: 5 * mb, last: mibs(6.2), nJudged: 9},
		{name: "warm-up climb is not judged", samples: anonCurve(10, 20, 30, 60, 61, 60, 62, 61, 60), warm: 3 * time.Second, judged: true, flat: true, first: 61 * mb, last: 61 * mb, nJudged: 6},
		{name: "warm-up climb judged without warm-up", samples: anonCurve(10, 20, 30, 60, 61, 60, 62, 61, 60), judged: true, flat: false, first: 30 * mb, last: 62 * mb, nJudged: 9},
		{name: "remainder goes to the middle third", samples: anonCurve(60, 60, 90, 90, 60, 60, 60), judged: true, flat: true, first: 60 * mb, last: 60 * mb, nJudged: 7},
		{name: "three samples", samples: anonCurve(60, 99, 70), judged: true, flat: false, first: 60 * mb, last: 70 * mb, nJudged: 3},
		{name: "too few after warm-up", samples: anonCurve(10, 20, 30, 40), warm: 2 * time.Second, judged: false, nJudged: 2, contains: "not judged"},
		{name: "none", samples: nil, judged: false, contains: "not judged"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := judgeFlat(c.samples, c.warm)
			if f.Judged != c.judged || f.Flat != c.flat || f.N != c.nJudged {
				t.Fatalf("judgeFlat = %+v, want judged %v flat %v over %d samples", f, c.judged, c.flat, c.nJudged)
			}
			if c.judged && (f.FirstMax != c.first || f.LastMax != c.last) {
				t.Errorf("peaks %d, %d; want %d, %d", f.FirstMax, f.LastMax, c.first, c.last)
			}
			if c.contains != "" && !strings.Contains(f.String(), c.contains) {
				t.Errorf("verdict %q lacks %q", f, c.contains)
			}
		})
	}
}

// TestJudgeFlatOfLeavesUnknownOut: samples whose measure is unknown (-1,
// the heap profile could not be read) are not judged.
func TestJudgeFlatOfLeavesUnknownOut(t *testing.T) {
	samples := anonCurve(1, 2, 3, 4, 5)
	for i, v := range []int64{10 * mb, -1, 10 * mb, 30 * mb, -1} {
		samples[i].LiveHeap = v
	}
	f := judgeFlatOf("live heap", samples, 0, func(s soakSample) int64 { return s.LiveHeap })
	if !f.Judged || f.Flat || f.N != 3 || f.FirstMax != 10*mb || f.LastMax != 30*mb || !strings.Contains(f.String(), "live heap peak 10.0 MiB") {
		t.Errorf("judgeFlatOf = %+v (%s)", f, f)
	}
}

// heapText is a runtime/pprof heap profile in text form (debug=1), cut
// down: two records sampled at 512 KiB, then part of the MemStats block.
const heapText = `heap profile: 3: 1536 [10: 8192] @ heap/1048576
1: 1024 [2: 2048] @ 0x4a1 0x4a2
#	0x4a1	main.f+0x1	/src/x.go:1
#	0x4a2	main.main+0x2	/src/x.go:9

2: 512 [8: 6144] @ 0x4b3
#	0x4b3	main.g+0x3	/src/x.go:2


# runtime.MemStats
# Alloc = 123456
# TotalAlloc = 999999
# Sys = 8000000
# HeapAlloc = 123456
# HeapSys = 4000000
# NumGC = 12
`

func TestParseHeapText(t *testing.T) {
	alloc, live := parseHeapText(heapText)
	// live: 1024/(1-exp(-1024/524288)) + 512/(1-exp(-256/524288)),
	// computed with python3's math module: 1573632.1875.
	if alloc != 123456 || live != 1573632 {
		t.Errorf("parseHeapText = %d, %d; want 123456, 1573632", alloc, live)
	}
	if a, l := parseHeapText("404 page not found\n"); a != -1 || l != -1 {
		t.Errorf("parseHeapText(not a profile) = %d, %d; want -1, -1", a, l)
	}
}

func TestSoakFlags(t *testing.T) {
	for _, args := range [][]string{{"-soak", "-1s"}, {"-soak", "1m", "-soak-every", "0s"}, {"-soak", "1m", "-soak-rate", "-5"}} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted it", args)
		}
	}
	c, err := parseFlags([]string{"-soak", "10m", "-soak-data"}, io.Discard)
	if err != nil || c.soak != 10*time.Minute || c.soakEvery != 30*time.Second || !c.soakData {
		t.Errorf("parseFlags = %+v, %v", c, err)
	}
}

// TestSoak runs a 3 s soak at 1 000 req/s with a sample every 500 ms
// through the command line and checks the curve: samples at the start, during the load and at
// the end, memory figures read, requests served and webhooks received.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("the soak builds the binary and runs for several seconds")
	}
	out := filepath.Join(t.TempDir(), "soak.md")
	var log bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// Paced: under an unpaced load deliveries fall behind, and an advance
	// waits for those due when it began, which may take longer than 3 s.
	if err := run(ctx, []string{"-soak", "3s", "-soak-every", "500ms", "-soak-rate", "1000", "-out", out}, &log); err != nil {
		t.Fatalf("bench: %v\n%s", err, log.String())
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	md := string(raw)
	if !strings.Contains(md, "Verdict: **") || !strings.Contains(md, "The same rule on the live heap") || strings.Contains(md, "not judged") {
		t.Errorf("report has no judged verdict:\n%s", md)
	}
	var rows [][]string
	for _, line := range strings.Split(md, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) == 14 && strings.HasSuffix(strings.TrimSpace(cells[1]), "s") {
			rows = append(rows, cells[1:13])
		}
	}
	// Start, about six during the load, end.
	if len(rows) < 5 {
		t.Fatalf("%d samples, want at least 5:\n%s", len(rows), md)
	}
	num := func(row []string, col int) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(row[col]), 64)
		if err != nil {
			t.Fatalf("column %d of %q: %v", col, row, err)
		}
		return v
	}
	for _, row := range rows {
		// VmRSS, RssAnon, Go heap, live heap, goroutines, store file.
		for _, col := range []int{1, 2, 3, 4, 5, 10} {
			if num(row, col) <= 0 {
				t.Errorf("sample %q: column %d is not positive", row, col)
			}
		}
	}
	last := rows[len(rows)-1]
	if num(rows[1], 6) <= 0 {
		t.Errorf("no requests served in the first interval: %q", rows[1])
	}
	advances := 0.0
	for _, row := range rows {
		advances += num(row, 7)
	}
	if advances <= 0 {
		t.Errorf("no clock advance answered:\n%s", md)
	}
	if num(last, 8) <= 0 || num(last, 9) <= 0 {
		t.Errorf("no notifying create sent or no webhook received by the end: %q\n%s", last, md)
	}
	if num(last, 10) <= num(rows[0], 10) {
		t.Errorf("store file did not grow under creates: %q → %q", rows[0], last)
	}
	t.Logf("\n%s", md)
}
