package app

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// A key given by With and again by the call (or twice by the call) is
// written once, the first value winning, in both formats; keys inside a
// group are the group's.
func TestLogKeysOnce(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		var b bytes.Buffer
		var h slog.Handler = slog.NewTextHandler(&b, nil)
		if format == "json" {
			h = slog.NewJSONHandler(&b, nil)
		}
		log := slog.New(BoundLog(h)).With("provider", "difitek")
		log.Info("auth failed", "provider", "difitek", "path", "/a", "path", "/b")
		log.WithGroup("g").Info("grouped", "provider", "inner")
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		if n := strings.Count(lines[0], "provider"); n != 1 {
			t.Errorf("%s: provider %d times in %s", format, n, lines[0])
		}
		if strings.Contains(lines[0], "/b") || !strings.Contains(lines[0], "/a") {
			t.Errorf("%s: the first value must win: %s", format, lines[0])
		}
		if !strings.Contains(lines[1], "inner") {
			t.Errorf("%s: a grouped key was dropped: %s", format, lines[1])
		}
	}
}
