// Package scenario plays back scripted provider behaviour: a scenario file
// names the provider event it reacts to, the requests it matches and a
// timeline of steps (change a resource's status, fail or slow the next calls,
// drop or delay its webhooks, stop). Runs are stored in bbolt with the step
// each resource is at, so they resume after a restart; their timers use
// scenario time, which tests fast-forward.
package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/fakeprovider/fakeprovider/internal/lazyre"
)

// CurrentVersion is the newest scenario file format.
const CurrentVersion = 1

// Bounds of one scenario file: a scenario is loaded at run time through the
// control API, kept in memory and replayed for every matching resource, so
// its size is bounded. The built-in scenarios use a small fraction of each.
const (
	// MaxFileBytes is the largest scenario file.
	MaxFileBytes = 256 << 10
	// MaxSteps is the most steps of one scenario.
	MaxSteps = 1000
	// MaxConditions is the most match conditions of one scenario.
	MaxConditions = 50
	// MaxPatternBytes is the longest `matches` regular expression.
	MaxPatternBytes = 1024
	// MaxDuration is the longest duration a file (or an advance) may give:
	// 100 years; longer ones would overflow scenario time.
	MaxDuration = 100 * 365 * 24 * time.Hour
)

// Scenario is one parsed scenario file.
type Scenario struct {
	Version     int         `yaml:"version" json:"version"`
	Name        string      `yaml:"name" json:"name"`
	Description string      `yaml:"description" json:"description,omitempty"`
	Provider    string      `yaml:"provider" json:"provider"`
	On          string      `yaml:"on" json:"on"`
	Default     bool        `yaml:"default" json:"default,omitempty"`
	Priority    int         `yaml:"priority" json:"priority,omitempty"`
	Tenant      string      `yaml:"tenant" json:"tenant,omitempty"`
	Match       []Condition `yaml:"match" json:"match,omitempty"`
	Steps       []Step      `yaml:"steps" json:"steps"`

	// Source says where the scenario came from: "builtin:<path>",
	// "file:<path>" or "runtime".
	Source string `yaml:"-" json:"source"`
	// Raw is the file's text, kept to persist run-time scenarios.
	Raw  []byte `yaml:"-" json:"-"`
	line int
}

// Condition is one match rule over an event's fields.
type Condition struct {
	Field   string `yaml:"field" json:"field,omitempty"`
	Equals  any    `yaml:"equals" json:"equals,omitempty"`
	Matches string `yaml:"matches" json:"matches,omitempty"`
	Range   *Range `yaml:"range" json:"range,omitempty"`
	Tenant  string `yaml:"tenant" json:"tenant,omitempty"`
	re      *regexp.Regexp
	line    int
	hasEq   bool
	opCount int
}

// Range is an inclusive numeric interval; a nil bound is open.
type Range struct {
	Min *float64 `yaml:"min" json:"min,omitempty"`
	Max *float64 `yaml:"max" json:"max,omitempty"`
}

// Step is one point of a scenario's timeline.
type Step struct {
	// After is the wait since the previous step (scenario time).
	After    Duration       `yaml:"after" json:"after,omitempty"`
	Status   string         `yaml:"status" json:"status,omitempty"`
	Fields   map[string]any `yaml:"fields" json:"fields,omitempty"`
	FailNext *FailNext      `yaml:"fail_next" json:"fail_next,omitempty"`
	Latency  *Latency       `yaml:"latency" json:"latency,omitempty"`
	Webhook  *Webhook       `yaml:"webhook" json:"webhook,omitempty"`
	Stop     bool           `yaml:"stop" json:"stop,omitempty"`
	line     int
}

// FailNext makes the next Count matching calls of the tenant fail.
type FailNext struct {
	Count  int    `yaml:"count" json:"count"`
	Status int    `yaml:"status" json:"status"`
	Body   string `yaml:"body" json:"body,omitempty"`
	Method string `yaml:"method" json:"method,omitempty"`
	// Path may contain {id}, replaced by the resource id.
	Path string `yaml:"path" json:"path,omitempty"`
}

// Latency slows the next Count matching calls of the tenant.
type Latency struct {
	Duration Duration `yaml:"duration" json:"duration"`
	Count    int      `yaml:"count" json:"count"`
	Method   string   `yaml:"method" json:"method,omitempty"`
	Path     string   `yaml:"path" json:"path,omitempty"`
}

// Webhook changes the resource's deliveries enqueued from then on.
type Webhook struct {
	Drop  bool     `yaml:"drop" json:"drop,omitempty"`
	Delay Duration `yaml:"delay" json:"delay,omitempty"`
}

// Duration is a time.Duration written "10s", "15m", "2h" or "3d".
type Duration time.Duration

var (
	dayRE      = lazyre.New(`^(\d+)d(.*)$`)
	durationRE = lazyre.New(`^\+?(?:[0-9]+(?:\.[0-9]*)?(?:ns|us|µs|μs|ms|s|m|h))+$`)
)

// fmtDays writes a bound in days ("36500d").
func fmtDays(d time.Duration) string { return strconv.Itoa(int(d/(24*time.Hour))) + "d" }

// ParseDuration parses a Go duration, also accepting a leading whole number
// of days ("3d", "1d12h").
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	orig := s
	tooLong := fmt.Errorf("duration %q is longer than the bound of %s (100 years)", orig, fmtDays(MaxDuration))
	var days time.Duration
	if m := dayRE.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n > int(MaxDuration/(24*time.Hour)) {
			return 0, tooLong
		}
		days, s = time.Duration(n)*24*time.Hour, m[2]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		if strings.Contains(err.Error(), "invalid duration") && !strings.ContainsAny(s, "-") && durationRE.MatchString(s) {
			return 0, tooLong // well formed but past what a Duration holds
		}
		return 0, fmt.Errorf("invalid duration %q (use 10s, 15m, 2h, 3d)", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", s)
	}
	if d > MaxDuration || days+d > MaxDuration {
		return 0, tooLong
	}
	return days + d, nil
}

// UnmarshalYAML reads a duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a duration is a string like 10s", n.Line)
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %v", n.Line, err)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(strconv.Quote(time.Duration(d).String())), nil
}

// UnmarshalYAML records the line of a condition and checks its shape.
func (c *Condition) UnmarshalYAML(n *yaml.Node) error {
	type plain Condition
	var p plain
	if err := decodeStrict(n, &p); err != nil {
		return err
	}
	*c = Condition(p)
	c.line = n.Line
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "equals":
			c.hasEq = true
			c.opCount++
		case "matches", "range", "tenant":
			c.opCount++
		}
	}
	return nil
}

// UnmarshalYAML records the line of a step.
func (s *Step) UnmarshalYAML(n *yaml.Node) error {
	type plain Step
	var p plain
	if err := decodeStrict(n, &p); err != nil {
		return err
	}
	*s = Step(p)
	s.line = n.Line
	return nil
}

// decodeStrict decodes n refusing unknown keys, with line numbers.
func decodeStrict(n *yaml.Node, v any) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: expected a mapping", n.Line)
	}
	known := knownKeys(v)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if known != nil && !known[k.Value] {
			return fmt.Errorf("line %d: unknown key %q", k.Line, k.Value)
		}
	}
	return n.Decode(v)
}

// LintErrors are every problem found in one scenario file, in line order;
// errors.As finds the first *LintError.
type LintErrors []*LintError

func (es LintErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap lets errors.As and errors.Is see each error.
func (es LintErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// setFile names the file in every error and sorts them by line.
func (es LintErrors) setFile(file string) {
	for _, e := range es {
		e.File = file
	}
	slices.SortStableFunc(es, func(a, b *LintError) int { return a.Line - b.Line })
}

// LintError is a problem in a scenario file, with its line.
type LintError struct {
	File string
	Line int
	Msg  string
}

func (e *LintError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

var lineRE = lazyre.New(`^(?:yaml: )?line (\d+): (.*)$`)

// Parse reads one scenario file (YAML, or JSON which is YAML too) and checks
// its structure. events lists, per provider, the known event names and
// their resource kinds (nil skips that check).
func Parse(file string, data []byte, events map[string]map[string]string) (*Scenario, error) {
	if len(data) > MaxFileBytes {
		return nil, &LintError{File: file, Msg: fmt.Sprintf("the file is %d bytes; the bound is %d bytes (%d KiB) per scenario file", len(data), MaxFileBytes, MaxFileBytes>>10)}
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &LintError{File: file, Line: 1, Msg: "the file is empty: a scenario has version, name, provider, on and steps"}
		}
		return nil, lintErr(file, 0, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, &LintError{File: file, Line: doc.Line, Msg: "a scenario file is one YAML (or JSON) mapping"}
	}
	root := doc.Content[0]
	version, vline := 0, root.Line
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "version" {
			vline = root.Content[i].Line
			v, err := strconv.Atoi(root.Content[i+1].Value)
			if err != nil {
				return nil, &LintError{File: file, Line: vline, Msg: "version must be an integer"}
			}
			version = v
		}
	}
	if version == 0 {
		return nil, &LintError{File: file, Line: root.Line, Msg: "missing version (the current version is 1)"}
	}
	if version > CurrentVersion {
		return nil, &LintError{File: file, Line: vline, Msg: fmt.Sprintf("version %d is newer than this fakeprovider understands (%d)", version, CurrentVersion)}
	}
	// Older versions would be upgraded here, one version at a time.
	if err := checkCounts(root); err != nil {
		err.File = file
		return nil, err
	}
	var sc Scenario
	if err := decodeStrict(root, &sc); err != nil {
		return nil, decodeErrs(file, root, err)
	}
	sc.line = root.Line
	sc.Raw = append([]byte(nil), data...)
	if err := sc.validate(events, lineOf(root)); err != nil {
		var les LintErrors
		if errors.As(err, &les) {
			les.setFile(file)
			if len(les) == 1 {
				return nil, les[0]
			}
			return nil, les
		}
		return nil, lintErr(file, root.Line, err)
	}
	return &sc, nil
}

// checkCounts bounds the steps and conditions before they are decoded.
func checkCounts(root *yaml.Node) *LintError {
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch {
		case k.Value == "steps" && len(v.Content) > MaxSteps:
			return lineErr(k.Line, "%d steps; the bound is %d steps per scenario", len(v.Content), MaxSteps)
		case k.Value == "match" && len(v.Content) > MaxConditions:
			return lineErr(k.Line, "%d match conditions; the bound is %d conditions per scenario", len(v.Content), MaxConditions)
		}
	}
	return nil
}

// decodeErrs turns a decoding failure into every problem it holds (yaml
// reports each wrongly typed value), in plain words.
func decodeErrs(file string, root *yaml.Node, err error) error {
	te, ok := err.(*yaml.TypeError)
	if !ok || len(te.Errors) == 0 {
		le := lintErr(file, root.Line, err)
		le.Msg = plainType(root, le.Line, le.Msg)
		return le
	}
	var es LintErrors
	for _, msg := range te.Errors {
		le := lintErr(file, root.Line, errors.New(msg))
		le.Msg = plainType(root, le.Line, le.Msg)
		es = append(es, le)
	}
	es.setFile(file)
	if len(es) == 1 {
		return es[0]
	}
	return es
}

var typeErrRE = lazyre.New("^cannot unmarshal !!(\\w+) `?(.*?)`? into (.+)$")

// plainType rewrites yaml's "cannot unmarshal !!str `high` into int" as
// "priority: "high" is not a whole number", naming the key on that line.
func plainType(root *yaml.Node, line int, msg string) string {
	m := typeErrRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	want := m[3]
	switch {
	case strings.HasPrefix(want, "int"), strings.HasPrefix(want, "uint"):
		want = "a whole number"
	case strings.HasPrefix(want, "float"):
		want = "a number"
	case want == "bool":
		want = "true or false"
	case want == "string":
		want = "text"
	case strings.HasPrefix(want, "[]"):
		want = "a list"
	case strings.HasPrefix(want, "map"), strings.HasPrefix(want, "scenario."):
		want = "a mapping"
	}
	got := strconv.Quote(m[2])
	switch m[1] {
	case "seq":
		got = "a list"
	case "map":
		got = "a mapping"
	}
	if key := keyAt(root, line); key != "" {
		return fmt.Sprintf("%s: %s is not %s", key, got, want)
	}
	return fmt.Sprintf("%s is not %s", got, want)
}

// keyAt is the key whose value starts on line, searched through the tree.
func keyAt(n *yaml.Node, line int) string {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i+1].Line == line && n.Content[i+1].Kind == yaml.ScalarNode || (n.Content[i].Line == line && n.Content[i+1].Kind != yaml.ScalarNode) {
				return n.Content[i].Value
			}
		}
	}
	for _, c := range n.Content {
		if k := keyAt(c, line); k != "" {
			return k
		}
	}
	return ""
}

func lineErr(line int, format string, args ...any) *LintError {
	return &LintError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

func lintErr(file string, line int, err error) *LintError {
	msg := err.Error()
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &LintError{File: file, Line: n, Msg: m[2]}
	}
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		if m := lineRE.FindStringSubmatch(te.Errors[0]); m != nil {
			n, _ := strconv.Atoi(m[1])
			return &LintError{File: file, Line: n, Msg: m[2]}
		}
	}
	return &LintError{File: file, Line: line, Msg: msg}
}

// lineOf returns the line of a top-level key (the mapping's line if absent).
func lineOf(root *yaml.Node) func(key string) int {
	return func(key string) int {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == key {
				return root.Content[i].Line
			}
		}
		return root.Line
	}
}

var nameRE = lazyre.New(`^[a-z0-9][a-z0-9-]*$`)

func (sc *Scenario) validate(events map[string]map[string]string, line func(string) int) error {
	var errs LintErrors
	add := func(e *LintError) { errs = append(errs, e) }
	if sc.Name == "" || !nameRE.MatchString(sc.Name) {
		add(lineErr(line("name"), "name must be kebab-case letters, digits and dashes, e.g. d24-deposit-declined"))
	}
	if sc.Provider == "" {
		add(lineErr(line("provider"), "missing provider"))
	}
	if sc.On == "" {
		add(lineErr(line("on"), "missing on: the event the scenario reacts to"))
	}
	if events != nil && sc.Provider != "" {
		known, ok := events[sc.Provider]
		if !ok {
			add(lineErr(line("provider"), "unknown provider %q (known: %s)", sc.Provider, strings.Join(sortedKeys(events), ", ")))
		} else if _, ok := known[sc.On]; !ok && sc.On != "" {
			add(lineErr(line("on"), "provider %s has no event %q (known: %s)", sc.Provider, sc.On, strings.Join(sortedKeys(known), ", ")))
		}
	}
	if sc.Default && (len(sc.Match) > 0 || sc.Tenant != "") {
		add(lineErr(line("default"), "a default scenario applies when no other matches: it takes no match or tenant"))
	}
	for i := range sc.Match {
		c := &sc.Match[i]
		if c.opCount != 1 {
			add(lineErr(c.line, "a condition has exactly one of equals, matches, range or tenant"))
		}
		if c.Tenant == "" && c.Field == "" {
			add(lineErr(c.line, "a condition needs a field"))
		}
		if c.Matches != "" {
			if len(c.Matches) > MaxPatternBytes {
				add(lineErr(c.line, "matches is a %d-byte pattern; the bound is %d bytes per pattern", len(c.Matches), MaxPatternBytes))
			}
			if re, err := regexp.Compile(c.Matches); err != nil {
				add(lineErr(c.line, "matches: %v", err))
			} else {
				c.re = re
			}
		}
		if c.Range != nil && c.Range.Min == nil && c.Range.Max == nil {
			add(lineErr(c.line, "range needs min, max or both"))
		}
	}
	if len(sc.Steps) == 0 {
		add(lineErr(line("steps"), "a scenario needs at least one step"))
	}
	var total time.Duration
	overLong := false
	for i := range sc.Steps {
		st := &sc.Steps[i]
		if total += time.Duration(st.After); total > MaxDuration && !overLong {
			overLong = true
			add(lineErr(st.line, "the steps' afters add up to more than the bound of %s (100 years)", fmtDays(MaxDuration)))
		}
		actions := 0
		if st.Status != "" {
			actions++
		}
		if st.FailNext != nil {
			actions++
			if st.FailNext.Count < 1 {
				add(lineErr(st.line, "fail_next.count must be ≥ 1"))
			}
			if st.FailNext.Status < 100 || st.FailNext.Status > 599 {
				add(lineErr(st.line, "fail_next.status must be an HTTP status"))
			}
		}
		if st.Latency != nil {
			actions++
			if st.Latency.Count < 1 || st.Latency.Duration <= 0 {
				add(lineErr(st.line, "latency needs a duration and a count ≥ 1"))
			}
		}
		if st.Webhook != nil {
			actions++
			if !st.Webhook.Drop && st.Webhook.Delay == 0 {
				add(lineErr(st.line, "webhook needs drop: true or a delay"))
			}
		}
		if st.Stop {
			actions++
		}
		if len(st.Fields) > 0 && st.Status == "" {
			add(lineErr(st.line, "fields go with status"))
		}
		if actions > 1 {
			add(lineErr(st.line, "one action per step: status, fail_next, latency, webhook or stop"))
		}
		if actions == 0 && st.After == 0 {
			add(lineErr(st.line, "a step needs an action or an after"))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// knownKeys lists the yaml keys of the struct v points to.
func knownKeys(v any) map[string]bool {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	keys := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			keys[name] = true
		}
	}
	return keys
}
