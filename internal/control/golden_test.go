package control_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ with the current output")

// stableKeys keep their values in a shape: they are deterministic in the
// test and part of the contract (HTTP status, method…). Every other value
// is replaced by its JSON type.
var stableKeys = map[string]bool{"status": true, "method": true, "path": true, "provider": true, "route": true, "error": true, "ok": true}

// opaqueKeys are maps whose keys depend on the client (request headers):
// only their type is kept.
var opaqueKeys = map[string]bool{"request_headers": true, "response_headers": true, "header": true}

// shape reduces a decoded JSON value to its keys and types.
func shape(key string, v any) any {
	switch x := v.(type) {
	case map[string]any:
		if opaqueKeys[key] {
			return "<object>"
		}
		out := map[string]any{}
		for k, vv := range x {
			out[k] = shape(k, vv)
		}
		return out
	case []any:
		if len(x) == 0 {
			return []any{}
		}
		// The elements' shapes merged stand for all of them (optional
		// keys of any element appear).
		var merged any
		for _, e := range x {
			merged = merge(merged, shape(key, e))
		}
		return []any{merged}
	case string:
		if stableKeys[key] || (key == "tenant" && x == "default") {
			return x
		}
		return "<string>"
	case float64:
		if stableKeys[key] {
			return x
		}
		return "<number>"
	case bool:
		if stableKeys[key] {
			return x
		}
		return "<bool>"
	case nil:
		return "<null>"
	}
	return "<?>"
}

// merge unions the keys of two shapes; for other values the first wins.
func merge(a, b any) any {
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if !ok1 || !ok2 {
		if a == nil {
			return b
		}
		return a
	}
	for k, v := range bm {
		am[k] = merge(am[k], v)
	}
	return am
}

// checkGolden compares the shape of an answer with testdata/golden/name.json.
func checkGolden(t *testing.T, name string, status int, body []byte) {
	t.Helper()
	var v any
	if len(body) > 0 {
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatalf("%s: answer is not JSON: %q", name, body)
		}
	}
	if len(body) > 0 {
		checkWire(t, name, body)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"status": status, "body": shape("", v)}); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v (run: go test ./internal/control -run %s -update)", name, err, t.Name())
	}
	if string(want) != string(got) {
		t.Errorf("the control API answer %q changed shape; it is a public contract (README \"Control API\").\n"+
			"If the change is intended (an addition, never a rename), run\n\tgo test ./internal/control -update\n"+
			"and commit %s with the README.\n--- want (%s)\n%s\n--- got\n%s\n--- differing lines\n%s",
			name, path, path, want, got, lineDiff(string(want), string(got)))
	}
}

// lineDiff lists the lines only in a (-) or only in b (+).
func lineDiff(a, b string) string {
	count := map[string]int{}
	for _, l := range strings.Split(a, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(b, "\n") {
		count[l]--
	}
	var out []string
	for l, n := range count {
		switch {
		case n > 0:
			out = append(out, "- "+l)
		case n < 0:
			out = append(out, "+ "+l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}
