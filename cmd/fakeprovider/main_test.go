package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
	"github.com/fakeprovider/fakeprovider/internal/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ with the current output")

// noEnv is an empty environment, so the machine's FAKEPROVIDER_* variables
// do not change defaults.
func noEnv(string) (string, bool) { return "", false }

func envOf(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func runCmd(t *testing.T, env func(string) (string, bool), args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb, env)
	return code, out.String(), errb.String()
}

func TestRunCommands(t *testing.T) {
	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()})
	live := strings.TrimPrefix(h.URL, "http://")
	dead := platformtest.FreeAddr(t)
	cases := []struct {
		name      string
		env       func(string) (string, bool)
		args      []string
		code      int
		stdoutHas string
		stderrHas string
	}{
		{"version", noEnv, []string{"version"}, 0, "fakeprovider " + app.Version + "\n", ""},
		{"--version", noEnv, []string{"--version"}, 0, "fakeprovider " + app.Version + "\n", ""},
		{"version --json", noEnv, []string{"version", "--json"}, 0, `{"arch":"`, ""},
		{"version bad flag", noEnv, []string{"version", "--jsn"}, 2, "", "run \"fakeprovider version -h\" for usage"},
		{"serve negative retry scale", noEnv, []string{"serve", "--webhook-retry-scale", "-1"}, 2, "", "--webhook-retry-scale must be greater than 0"},
		{"serve zero retry scale from env", envOf("FAKEPROVIDER_WEBHOOK_RETRY_SCALE", "0"), []string{"serve"}, 2, "", "--webhook-retry-scale must be greater than 0"},
		{"help", noEnv, []string{"help"}, 0, "fakeprovider health", ""},
		// A leading flag selects serve (the default command), so --help
		// lists the serve flags.
		{"--help", noEnv, []string{"--help"}, 0, "", "FAKEPROVIDER_ADDR"},
		{"unknown command", noEnv, []string{"frobnicate"}, 2, "", `unknown command "frobnicate"; run "fakeprovider help"`},
		{"health live", noEnv, []string{"health", "--addr", live}, 0, "ok " + app.Version, ""},
		{"health live from env", envOf("FAKEPROVIDER_ADDR", live), []string{"health"}, 0, "ok ", ""},
		{"health flag wins over env", envOf("FAKEPROVIDER_ADDR", dead), []string{"health", "--addr", live}, 0, "ok ", ""},
		// The image sets FAKEPROVIDER_ADDR=0.0.0.0:8080; its HEALTHCHECK
		// must still reach the server.
		{"health wildcard addr", envOf("FAKEPROVIDER_ADDR", "0.0.0.0:"+strings.Split(live, ":")[1]), []string{"health"}, 0, "ok ", ""},
		{"health dead port", noEnv, []string{"health", "--addr", dead, "--timeout", "2s"}, 1, "", "unhealthy"},
		{"health bad addr", noEnv, []string{"health", "--addr", "nonsense"}, 2, "", "--addr"},
		{"health bad flag", noEnv, []string{"health", "--nope"}, 2, "", "flag provided but not defined"},
		{"sign no provider", noEnv, []string{"sign"}, 2, "", "fakeprovider sign PROVIDER"},
		{"sign unknown provider", noEnv, []string{"sign", "no-such-provider"}, 2, "", `unknown provider "no-such-provider"`},
		{"sign help", noEnv, []string{"sign", "d24", "-h"}, 0, "usage: fakeprovider sign d24 [flags] [METHOD] PATH [BODY]", ""},
		{"sign positional", noEnv, []string{"sign", "crm", "POST", "/public/v1/users/downlines", `{"id":"ab12cd34"}`}, 0,
			"signature: sha256=5874084a77edbf7e207ca47bb63cbb16de879b5b620647453507741a284bbff5", ""},
		{"sign relative path", noEnv, []string{"sign", "crowdtrust", "bacapi/checks"}, 1, "", "PATH must start with /"},
		{"scenarios without lint", noEnv, []string{"scenarios"}, 2, "", "scenarios lint"},
		{"lint without paths", noEnv, []string{"scenarios", "lint"}, 2, "", "PATH"},
		{"serve unexpected argument", noEnv, []string{"serve", "extra"}, 2, "", `unexpected argument "extra"`},
		{"serve unknown flag", noEnv, []string{"serve", "--nope"}, 2, "", "flag provided but not defined"},
		{"serve bad env value", envOf("FAKEPROVIDER_JOURNAL_SIZE", "lots"), []string{"serve"}, 2, "", "FAKEPROVIDER_JOURNAL_SIZE"},
		{"serve bad log format", noEnv, []string{"serve", "--addr", "127.0.0.1:0", "--log-format", "xml"}, 2, "", "--log-format"},
		{"serve bad log level", noEnv, []string{"serve", "--addr", "127.0.0.1:0", "--log-level", "loud"}, 2, "", "--log-level"},
		{"serve busy port", noEnv, []string{"serve", "--addr", live, "--log-level", "error"}, 1, "", "listen"},
		{"serve credentials from env", envOf("FAKEPROVIDER_CREDENTIALS", `{"no-such-provider":{}}`), []string{"serve", "--addr", "127.0.0.1:0"}, 1, "", `unknown provider "no-such-provider"`},
		{"serve bad credentials", noEnv, []string{"serve", "--addr", "127.0.0.1:0", "--credentials", "{nope"}, 1, "", "credentials"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, c.env, c.args...)
			// A mistake is one line and a hint, never the whole usage.
			if code == 2 && strings.Count(stderr, "\n") > 2 {
				t.Errorf("fakeprovider %s: a usage error of %d lines: %q", strings.Join(c.args, " "), strings.Count(stderr, "\n"), stderr)
			}
			if code != c.code || !strings.Contains(stdout, c.stdoutHas) || !strings.Contains(stderr, c.stderrHas) {
				t.Errorf("fakeprovider %s: exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
					strings.Join(c.args, " "), code, stdout, stderr, c.code, c.stdoutHas, c.stderrHas)
			}
		})
	}
}

// serve in process: it prints the ready line and the credentials block,
// answers, and returns 0 when its context ends (SIGTERM in main).
func TestServeInProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{ready: make(chan struct{})}
	var errb syncBuffer
	done := make(chan int, 1)
	data := filepath.Join(t.TempDir(), "state.db")
	go func() {
		done <- run(ctx, []string{"--log-level", "warn"}, out, &errb,
			envOf("FAKEPROVIDER_ADDR", "127.0.0.1:0", "FAKEPROVIDER_DATA", data))
	}()
	select {
	case <-out.ready:
	case code := <-done:
		t.Fatalf("serve exited %d before ready: %s", code, errb.String())
	case <-time.After(20 * time.Second):
		t.Fatal("serve not ready")
	}
	m := regexp.MustCompile(`fakeprovider ready on (http://127\.0\.0\.1:\d+)\n`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no ready line in %q", out.String())
	}
	if !strings.Contains(out.String(), "default tenant credentials") {
		t.Errorf("no credentials block in %q", out.String())
	}
	if code, stdout, _ := runCmd(t, noEnv, "health", "--addr", strings.TrimPrefix(m[1], "http://")); code != 0 {
		t.Errorf("health of the served instance: %d %s", code, stdout)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit %d after its context ended: %s", code, errb.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := os.Stat(data); err != nil {
		t.Errorf("FAKEPROVIDER_DATA file: %v", err)
	}
}

type syncBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	ready chan struct{}
	once  sync.Once
	// marker closes ready when written (default: the credentials block).
	marker string
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.b.Write(p)
	marker := s.marker
	if marker == "" {
		marker = "default tenant credentials"
	}
	if s.ready != nil && strings.Contains(s.b.String(), marker) {
		s.once.Do(func() { close(s.ready) })
	}
	return n, err
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestScenariosLint(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	broken := write("broken.yaml", "version: 1\nname: [\n")
	unknown := write("unknown.yaml", "version: 1\nname: x-y\nprovider: no-such-provider\non: thing.created\nsteps: [{stop: true}]\n")
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout []string
	}{
		{"broken yaml", []string{broken}, 1, []string{broken + ":2:"}},
		{"unknown provider", []string{unknown}, 1, []string{unknown + ":3:", "unknown provider"}},
		{"directory", []string{dir}, 1, []string{broken + ":2:", unknown + ":3:"}},
		{"missing file", []string{filepath.Join(dir, "nope.yaml")}, 1, nil},
		// Meaning, not just form: a status the provider does not take, every
		// problem of a file with its line, plain words.
		{"unknown status, every error", []string{write("status.yaml",
			"version: 1\nname: st-x\nprovider: d24\non: deposit.created\nsteps:\n  - after: 1m\n    status: DECLINEDX\n  - status: COMPLETED\n  - status: PAIDX\n")},
			1, []string{"status.yaml:6: status \"DECLINEDX\": not a status of the d24 deposit resource", "status.yaml:9: status \"PAIDX\""}},
		{"several problems", []string{write("many.yaml", "version: 1\nname: Bad_Name\nprovider: d24\non: deposit.nope\nsteps: []\n")},
			1, []string{"many.yaml:2: name must be kebab-case", "many.yaml:4: provider d24 has no event \"deposit.nope\"", "many.yaml:5: a scenario needs at least one step"}},
		{"empty file", []string{write("empty.yaml", "")}, 1, []string{"empty.yaml:1: the file is empty"}},
		{"unknown match field", []string{write("field.yaml",
			"version: 1\nname: f-x\nprovider: d24\non: deposit.created\nmatch:\n  - {field: ammount, range: {min: 10}}\nsteps: [{stop: true}]\n")},
			1, []string{`field.yaml:6: match field "ammount": event deposit.created of d24 has no such field; did you mean "amount"?`}},
		{"known match field", []string{write("field-ok.yaml",
			"version: 1\nname: f-ok\nprovider: crowdtrust\non: check.created\nmatch:\n  - {field: ssn.last4, equals: \"1234\"}\nsteps: [{stop: true}]\n")},
			0, []string{"ok "}},
		// A CRM request also carries its type-specific data: other fields pass.
		{"open event's data field", []string{write("open.yaml",
			"version: 1\nname: o-ok\nprovider: crm\non: request.created\nmatch:\n  - {field: beneficiary_email, matches: \"@\"}\nsteps: [{status: approved}]\n")},
			0, []string{"ok "}},
		{"wrong type in plain words", []string{write("prio.yaml", "version: 1\nname: p-x\nprovider: d24\non: deposit.created\npriority: high\nsteps: [{stop: true}]\n")},
			1, []string{`prio.yaml:5: priority: "high" is not a whole number`}},
	}
	if p, ev, ok := anyEvent(t); ok {
		valid := write("valid.yaml", fmt.Sprintf("version: 1\nname: lint-ok\nprovider: %s\non: %s\nsteps:\n  - after: 10s\n    stop: true\n", p, ev))
		cases = append(cases, struct {
			name   string
			args   []string
			code   int
			stdout []string
		}{"valid", []string{valid}, 0, []string{"ok " + valid}})
	} else {
		t.Log("no provider with events is mounted yet: the valid-file case is skipped")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, noEnv, append([]string{"scenarios", "lint"}, c.args...)...)
			if code != c.code {
				t.Errorf("exit %d, want %d; stdout %q stderr %q", code, c.code, stdout, stderr)
			}
			for _, s := range c.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout %q lacks %q", stdout, s)
				}
			}
			for _, raw := range []string{"EOF", "cannot unmarshal", "!!str"} {
				if strings.Contains(stdout, raw) {
					t.Errorf("stdout %q has the parser's %q", stdout, raw)
				}
			}
		})
	}
}

// anyEvent finds an event of a mounted provider, for a valid scenario file.
func anyEvent(t *testing.T) (provider, event string, ok bool) {
	a, err := app.New(context.Background(), app.Options{NoListen: true}, app.Providers())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var ps []string
	for p := range a.Engine.Events() {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	for _, p := range ps {
		var evs []string
		for ev := range a.Engine.Events()[p] {
			evs = append(evs, ev)
		}
		sort.Strings(evs)
		if len(evs) > 0 {
			return p, evs[0], true
		}
	}
	return "", "", false
}

// The built-in scenario files all pass lint.
func TestBuiltinScenariosLint(t *testing.T) {
	code, stdout, stderr := runCmd(t, noEnv, "scenarios", "lint", filepath.Join("..", "..", "scenarios"))
	if code != 0 && !strings.Contains(stderr, "0 of 0") {
		// Files of providers not yet listed in app.Providers() fail with
		// "unknown provider"; only other problems are errors here.
		for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
			if strings.HasPrefix(line, "ok ") || strings.Contains(line, "unknown provider") {
				continue
			}
			t.Errorf("built-in scenario: %s", line)
		}
	}
}

// goldenCheck compares got with testdata/name; how tells how to regenerate.
func goldenCheck(t *testing.T, name, got, why string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v\n%s", err, why)
	}
	if string(want) != got {
		t.Errorf("%s\n--- differing lines (- golden, + now)\n%s\n--- now\n%s", why, lineDiff(string(want), got), got)
	}
}

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
		if n > 0 {
			out = append(out, "- "+l)
		} else if n < 0 {
			out = append(out, "+ "+l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// The serve flags and their env vars are a public contract.
func TestServeHelpGolden(t *testing.T) {
	code, stdout, stderr := runCmd(t, noEnv, "serve", "-h")
	if code != 0 || stdout != "" {
		t.Fatalf("serve -h: exit %d stdout %q", code, stdout)
	}
	// Every flag names its environment variable.
	for _, m := range regexp.MustCompile(`(?m)^  -(\S+)`).FindAllStringSubmatch(stderr, -1) {
		if env := platform.EnvName(m[1]); !strings.Contains(stderr, "(env "+env+")") {
			t.Errorf("flag --%s does not name %s", m[1], env)
		}
	}
	goldenCheck(t, "serve-help.golden", stderr,
		"`fakeprovider serve -h` changed: flags and env vars are a public contract (README \"Flags\").\n"+
			"A provider added to internal/app/providers.go adds its --<provider>-addr flag and its own flags, so whoever\n"+
			"adds a provider (or a flag) regenerates this file on purpose:\n"+
			"\tgo test ./cmd/fakeprovider -run TestServeHelpGolden -update\n"+
			"and commits cmd/fakeprovider/testdata/serve-help.golden (and updates the README's flag table).\n"+
			"Renaming or removing a flag breaks users' scripts: do not, add a new one instead.")
}

func TestUsageGolden(t *testing.T) {
	_, stdout, _ := runCmd(t, noEnv, "help")
	goldenCheck(t, "usage.golden", stdout,
		"`fakeprovider help` changed: the commands are a public contract. If intended, run\n"+
			"\tgo test ./cmd/fakeprovider -run TestUsageGolden -update")
}

// The scenario JSON schema (scenarios/schema.json) is a public contract,
// and it must describe the keys the parser accepts.
func TestScenarioSchemaGolden(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "scenarios", "schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
		Defs       map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatalf("scenarios/schema.json is not valid JSON: %v", err)
	}
	// Top-level keys match the Scenario struct's yaml tags.
	want := yamlKeys(reflect.TypeOf(scenario.Scenario{}))
	got := keys(schema.Properties)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("schema properties %v, parser keys %v", got, want)
	}
	// Step and match-condition keys.
	var nested struct {
		Properties struct {
			Steps struct {
				Items struct {
					Properties map[string]json.RawMessage `json:"properties"`
				} `json:"items"`
			} `json:"steps"`
			Match struct {
				Items struct {
					Properties map[string]json.RawMessage `json:"properties"`
				} `json:"items"`
			} `json:"match"`
		} `json:"properties"`
	}
	json.Unmarshal(raw, &nested)
	for _, c := range []struct {
		what  string
		props map[string]json.RawMessage
		typ   reflect.Type
	}{
		{"steps[]", nested.Properties.Steps.Items.Properties, reflect.TypeOf(scenario.Step{})},
		{"match[]", nested.Properties.Match.Items.Properties, reflect.TypeOf(scenario.Condition{})},
	} {
		if g, w := strings.Join(keys(c.props), ","), strings.Join(yamlKeys(c.typ), ","); g != w {
			t.Errorf("schema %s properties %s, parser keys %s", c.what, g, w)
		}
	}
	goldenCheck(t, "scenario-schema.golden.json", string(raw),
		"scenarios/schema.json changed: the scenario format is a public contract (editors and users validate with it).\n"+
			"If the change is intended (additions only within version 1), run\n"+
			"\tgo test ./cmd/fakeprovider -run TestScenarioSchemaGolden -update")
}

func yamlKeys(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	sort.Strings(out)
	return out
}

func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestHealthTLS(t *testing.T) {
	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()}, platformtest.WithOptions(func(o *app.Options) { o.TLS = true }))
	addr := strings.TrimPrefix(h.URL, "https://")
	if code, _, stderr := runCmd(t, noEnv, "health", "--addr", addr, "--tls"); code != 0 {
		t.Errorf("health --tls: %d %s", code, stderr)
	}
	if code, _, stderr := runCmd(t, noEnv, "health", "--addr", addr, "--timeout", "2s"); code != 1 || !strings.Contains(stderr, "speaks HTTPS: use --tls or an https:// URL") {
		t.Errorf("plain http health against an https server: exit %d, %q (want a hint)", code, stderr)
	}
	for _, args := range [][]string{{"--addr", h.URL}, {"--url", h.URL}} {
		if code, stdout, stderr := runCmd(t, noEnv, append([]string{"health"}, args...)...); code != 0 || !strings.HasPrefix(stdout, "ok ") {
			t.Errorf("health %v: %d %s %s", args, code, stdout, stderr)
		}
	}
}

// The plain server answering a TLS health check gets a hint too.
func TestHealthURLAndHint(t *testing.T) {
	h := platformtest.New(t, []platform.Provider{platformtest.NewWidget()})
	for _, args := range [][]string{{"--addr", h.URL}, {"--url", h.URL + "/"}, {"--url", h.URL}} {
		if code, stdout, stderr := runCmd(t, noEnv, append([]string{"health"}, args...)...); code != 0 || !strings.HasPrefix(stdout, "ok ") {
			t.Errorf("health %v: %d %s %s", args, code, stdout, stderr)
		}
	}
	https := "https://" + strings.TrimPrefix(h.URL, "http://")
	if code, _, stderr := runCmd(t, noEnv, "health", "--url", https); code != 1 || !strings.Contains(stderr, "drop --tls or use an http:// URL") {
		t.Errorf("health https against http: %d %q", code, stderr)
	}
	if code, _, stderr := runCmd(t, noEnv, "health", "--url", "ftp://x:1"); code != 2 || !strings.Contains(stderr, "want host:port or an http:// or https:// URL") {
		t.Errorf("health ftp: %d %q", code, stderr)
	}
}

// FAKEPROVIDER_CONTROL_TOKEN protects the control API; health stays open
// (Docker's HEALTHCHECK, `fakeprovider health`), and the ready line says
// where the inspector takes the token.
func TestServeControlToken(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{ready: make(chan struct{})}
	var errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--log-level", "warn"}, out, &errb,
			envOf("FAKEPROVIDER_ADDR", "127.0.0.1:0", "FAKEPROVIDER_CONTROL_TOKEN", "tok-cmd-1"))
	}()
	select {
	case <-out.ready:
	case code := <-done:
		t.Fatalf("serve exited %d before ready: %s", code, errb.String())
	case <-time.After(20 * time.Second):
		t.Fatal("serve not ready")
	}
	m := regexp.MustCompile(`fakeprovider ready on (http://127\.0\.0\.1:\d+)\n`).FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "/_fakeprovider/ui#token=") {
		t.Fatalf("ready lines: %q", out.String())
	}
	if code, stdout, stderr := runCmd(t, noEnv, "health", "--addr", strings.TrimPrefix(m[1], "http://")); code != 0 {
		t.Errorf("health with a control token: %d %s %s", code, stdout, stderr)
	}
	for token, want := range map[string]int{"": 401, "tok-cmd-1": 200} {
		req, _ := http.NewRequest("GET", m[1]+"/_fakeprovider/credentials", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("credentials with token %q: %d, want %d", token, resp.StatusCode, want)
		}
	}
	cancel()
	<-done
}
