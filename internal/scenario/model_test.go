package scenario

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var testEvents = map[string]map[string]string{
	"d24": {"deposit.created": "deposit"},
}

const validFile = `version: 1
name: d24-deposit-declined
description: declined after 10 seconds
provider: d24
on: deposit.created
priority: 10
match:
  - {field: amount, equals: 13.13}
  - {field: payer.last_name, matches: "^(?i)decline"}
  - {field: amount, range: {min: 1, max: 20}}
steps:
  - after: 10s
    status: DECLINED
    fields: {reason_code: 1}
  - fail_next: {count: 2, status: 500, method: GET, path: "/v3/deposits/{id}"}
  - latency: {duration: 2s, count: 3}
  - webhook: {delay: 1d2h}
  - stop: true
`

func TestParseValid(t *testing.T) {
	sc, err := Parse("valid.yaml", []byte(validFile), testEvents)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "d24-deposit-declined" || len(sc.Match) != 3 || len(sc.Steps) != 5 {
		t.Fatalf("parsed %+v", sc)
	}
	if got := time.Duration(sc.Steps[3].Webhook.Delay); got != 26*time.Hour {
		t.Errorf("1d2h parsed as %s", got)
	}
	if !sc.matches("default", map[string]any{"amount": 13.13, "payer.last_name": "Declineson"}) {
		t.Error("conditions should hold")
	}
	if sc.matches("default", map[string]any{"amount": "13.13", "payer.last_name": "Smith"}) {
		t.Error("matches condition should fail")
	}
	// JSON is YAML too.
	if _, err := Parse("j.json", []byte(`{"version":1,"name":"d24-x","provider":"d24","on":"deposit.created","steps":[{"after":"5s","status":"COMPLETED"}]}`), testEvents); err != nil {
		t.Errorf("json file: %v", err)
	}
}

// Every broken file is refused with the line of the problem.
func TestParseErrorsHaveLines(t *testing.T) {
	cases := []struct {
		name, file string
		line       int
		msg        string
	}{
		{"no version", "name: x\n", 1, "missing version"},
		{"future version", "version: 9\nname: x\n", 1, "newer"},
		{"unknown key", "version: 1\nname: d24-x\nprovider: d24\non: deposit.created\nsteeps: []\n", 5, `unknown key "steeps"`},
		{"bad event", "version: 1\nname: d24-x\nprovider: d24\non: deposit.made\nsteps: [{stop: true}]\n", 4, "no event"},
		{"bad provider", "version: 1\nname: d24-x\nprovider: nope\non: x\nsteps: [{stop: true}]\n", 3, "unknown provider"},
		{"bad duration", "version: 1\nname: d24-x\nprovider: d24\non: deposit.created\nsteps:\n  - after: soon\n    status: X\n", 6, "invalid duration"},
		{"two actions", "version: 1\nname: d24-x\nprovider: d24\non: deposit.created\nsteps:\n  - status: X\n    stop: true\n", 6, "one action per step"},
		{"bad regexp", "version: 1\nname: d24-x\nprovider: d24\non: deposit.created\nmatch:\n  - {field: a, matches: \"(\"}\nsteps: [{stop: true}]\n", 6, "matches"},
		{"two ops", "version: 1\nname: d24-x\nprovider: d24\non: deposit.created\nmatch:\n  - {field: a, equals: 1, matches: x}\nsteps: [{stop: true}]\n", 6, "exactly one"},
		{"unknown step key", "version: 1\nname: d24-x\nprovider: d24\non: deposit.created\nsteps:\n  - after: 1s\n    statu: X\n", 7, `unknown key "statu"`},
		{"bad yaml", "version: 1\nname: [\n", 2, "did not find expected"},
		{"default with match", "version: 1\nname: d24-x\nprovider: d24\non: deposit.created\ndefault: true\nmatch: [{field: a, equals: 1}]\nsteps: [{stop: true}]\n", 5, "default"},
		{"no steps", "version: 1\nname: d24-x\nprovider: d24\non: deposit.created\n", 1, "at least one step"},
		{"bad name", "version: 1\nname: Bad Name\nprovider: d24\non: deposit.created\nsteps: [{stop: true}]\n", 2, "kebab-case"},
		{"fail_next status", "version: 1\nname: d24-x\nprovider: d24\non: deposit.created\nsteps:\n  - fail_next: {count: 1, status: 42}\n", 6, "HTTP status"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(c.file), testEvents)
			var le *LintError
			if !errors.As(err, &le) {
				t.Fatalf("error %v, want a LintError", err)
			}
			if le.Line != c.line || !strings.Contains(le.Msg, c.msg) {
				t.Errorf("got %q (line %d), want line %d containing %q", le.Error(), le.Line, c.line, c.msg)
			}
			if !strings.HasPrefix(le.Error(), "f.yaml:") {
				t.Errorf("error %q does not name the file", le.Error())
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	cases := map[string]time.Duration{"10s": 10 * time.Second, "15m": 15 * time.Minute, "3d": 72 * time.Hour, "1d12h": 36 * time.Hour, "0s": 0}
	for in, want := range cases {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "soon", "-5s", "d"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

// FuzzParse: the scenario loader never panics, and what it accepts is
// consistent (has a name and at least one step).
func FuzzParse(f *testing.F) {
	f.Add([]byte(validFile))
	f.Add([]byte("version: 1\nname: [\n"))
	f.Add([]byte(`{"version":1,"name":"d24-x","provider":"d24","on":"deposit.created","steps":[{"after":"5s"}]}`))
	f.Add([]byte("version: 1\nsteps:\n  - &a {after: 1s}\n  - *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse("fuzz.yaml", data, testEvents)
		if err == nil && (sc.Name == "" || len(sc.Steps) == 0) {
			t.Fatalf("accepted an incomplete scenario: %+v", sc)
		}
	})
}

// Every bound of a scenario file is enforced before the file costs memory,
// with an error that names it.
func TestParseBounds(t *testing.T) {
	head := "version: 1\nname: bounded\nprovider: widget\non: widget.created\n"
	steps := func(n int) string {
		return "steps:\n" + strings.Repeat("  - {after: 1s, status: done}\n", n)
	}
	conds := func(n int) string {
		return "match:\n" + strings.Repeat("  - {field: name, equals: x}\n", n)
	}
	cases := []struct {
		name, file, want string
	}{
		{"size", head + steps(1) + "description: " + strings.Repeat("x", MaxFileBytes) + "\n", "bound is 262144 bytes"},
		{"steps", head + steps(MaxSteps+1), "1001 steps; the bound is 1000 steps"},
		{"conditions", head + conds(MaxConditions+1) + steps(1), "51 match conditions; the bound is 50"},
		{"pattern", head + "match:\n  - {field: name, matches: '" + strings.Repeat("a", MaxPatternBytes+1) + "'}\n" + steps(1), "1025-byte pattern; the bound is 1024 bytes"},
		{"duration", head + "steps:\n  - {after: 9223372036854775807ns, status: done}\n", "longer than the bound of 36500d"},
		{"days", head + "steps:\n  - {after: 99999999999d, status: done}\n", "longer than the bound"},
		{"overflowing duration", head + "steps:\n  - {after: 99999999999h, status: done}\n", "longer than the bound"},
		{"afters add up", head + "steps:\n" + strings.Repeat("  - {after: 36000d, status: done}\n", 2), "add up to more than the bound"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(c.file), nil)
			var le *LintError
			if !errors.As(err, &le) || !strings.Contains(le.Error(), c.want) {
				t.Errorf("got %v, want a lint error with %q", err, c.want)
			}
		})
	}
	if _, err := Parse("f.yaml", []byte(head+steps(MaxSteps)), nil); err != nil {
		t.Errorf("%d steps refused: %v", MaxSteps, err)
	}
}
