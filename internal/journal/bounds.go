package journal

import (
	"sort"
	"strconv"
	"unicode/utf8"
)

// Per-entry bounds: a request may carry up to the server's header limit and
// a body up to --max-body-bytes, but what the journal keeps of one request
// is small, so that --journal-size entries fit in a few tens of MiB
// whatever clients send. Each cut is marked with CutMarker and the size.
const (
	// MaxHeaderValue is the longest header value kept.
	MaxHeaderValue = 1024
	// MaxHeaderTotal bounds the header names and values kept per entry;
	// the headers past it are summarised in one "…" entry.
	MaxHeaderTotal = 8 << 10
	// MaxPath and MaxQuery bound the path and the (redacted) query.
	MaxPath  = 2048
	MaxQuery = 2048
	// MaxReason bounds an auth-failure reason.
	MaxReason = 2048
	// MaxBody bounds each journaled body (request and response).
	MaxBody = 4096
)

// CutMarker starts the note that replaces the end of a cut value.
const CutMarker = "…[cut: "

// Cut returns s when it has at most max bytes; otherwise its first bytes
// (on a UTF-8 boundary) followed by a marker giving the original size, e.g.
// "abc…[cut: 900000 bytes]".
func Cut(s string, max int) string { return cutTo(s, max, len(s)) }

// cutTo is Cut reporting size as the original size (a body scrubbed from a
// prefix only).
func cutTo(s string, max, size int) string {
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + CutMarker + strconv.Itoa(size) + " bytes]"
}

// boundHeaders cuts each value and stops keeping headers once their total
// passes MaxHeaderTotal (in name order, so that what is kept is stable).
func boundHeaders(h map[string]string) map[string]string {
	total := 0
	for k, v := range h {
		total += len(k) + len(v)
	}
	cut := false
	for _, v := range h {
		if len(v) > MaxHeaderValue {
			cut = true
			break
		}
	}
	if !cut && total <= MaxHeaderTotal {
		return h
	}
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make(map[string]string, len(h))
	used, dropped := 0, 0
	for _, k := range names {
		v := Cut(h[k], MaxHeaderValue)
		if used+len(k)+len(v) > MaxHeaderTotal {
			dropped++
			continue
		}
		used += len(k) + len(v)
		out[k] = v
	}
	if dropped > 0 {
		out["…"] = CutMarker + strconv.Itoa(dropped) + " more headers]"
	}
	return out
}
