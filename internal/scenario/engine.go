package scenario

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/faults"
	"github.com/fakeprovider/fakeprovider/internal/outbox"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/schedule"
	"github.com/fakeprovider/fakeprovider/internal/store"
)

// Kind is the kind of the engine's entries (a run's next step) in the
// scheduler.
const Kind = "step"

const (
	bucketRuns      = "scenario_runs"
	bucketScenarios = "scenarios"
)

// Run statuses.
const (
	RunActive = "active"
	RunDone   = "done"
	RunFailed = "failed"
)

// Run is a scenario applied to one resource: the step it is at and when
// that step is due (scenario time).
type Run struct {
	ID         string        `json:"id"`
	Tenant     string        `json:"tenant"`
	Provider   string        `json:"provider"`
	Scenario   string        `json:"scenario"`
	Kind       string        `json:"kind"`
	ResourceID string        `json:"resource_id"`
	Step       int           `json:"step"`
	DueAt      time.Time     `json:"due_at"`
	Status     string        `json:"status"`
	Created    time.Time     `json:"created"`
	History    []StepOutcome `json:"history"`
	Error      string        `json:"error,omitempty"`
}

// StepOutcome records one executed step.
type StepOutcome struct {
	Step   int       `json:"step"`
	Time   time.Time `json:"time"`
	Action string    `json:"action"`
	Error  string    `json:"error,omitempty"`
}

// Clock is the engine's view of time.
type Clock interface {
	Now() time.Time
	ScenarioNow(tenant string) time.Time
}

// Engine loads scenarios, starts runs on provider events and executes due
// steps. A run's next step is an entry of the scheduler; the engine keeps
// no timer of its own.
type Engine struct {
	store  *store.Store
	clock  Clock
	log    *slog.Logger
	faults *faults.Set
	sched  *schedule.Scheduler

	mounts map[string]*platform.Mount
	events map[string]map[string]string // provider → event → kind

	// builtin are the mounts' built-in scenario files, parsed on first
	// use (loadBuiltins): they are linted by the tests and by `scenarios
	// lint`, so a start does not pay for parsing them.
	builtin     []builtinFS
	builtinOnce sync.Once
	builtinErr  error

	mu        sync.RWMutex
	scenarios map[string]*Scenario
	// shadowed are built-in defaults replaced by a user default.
	shadowed map[string]*Scenario
	// fields are the declared fields of events: provider → event → fields.
	fields map[string]map[string][]string
}

// New returns an engine, registered with sched as the handler of its
// steps; call SetMounts, then Load.
func New(st *store.Store, clk Clock, log *slog.Logger, fs *faults.Set, sched *schedule.Scheduler) *Engine {
	e := &Engine{
		store: st, clock: clk, log: log, faults: fs, sched: sched,
		mounts:    map[string]*platform.Mount{},
		events:    map[string]map[string]string{},
		scenarios: map[string]*Scenario{},
	}
	sched.Handle(Kind, e)
	return e
}

// SetMounts gives the engine the providers' declarations (events, status
// targets).
func (e *Engine) SetMounts(mounts []*platform.Mount) {
	for _, m := range mounts {
		e.mounts[m.Provider()] = m
		e.events[m.Provider()] = m.Events()
	}
}

// Events lists every provider's events and their kinds (for lint).
func (e *Engine) Events() map[string]map[string]string { return e.events }

// builtinFS is one mount's folder of built-in scenario files.
type builtinFS struct {
	fsys   fs.FS
	source string // "builtin:<provider>/"
}

// Load reads the user directory (may be "") and the scenarios loaded at
// run time (the pending runs are the scheduler's: Pending), and notes the
// built-in scenarios of every mount, which are parsed on first use. A
// broken user file stops the start with its line-numbered error.
//
// Precedence is that of loading the built-ins first: a user or run-time
// scenario replaces the built-in one of the same name, and a user or
// run-time default replaces the built-in default of its event (until it
// is removed: see restoreShadowed).
func (e *Engine) Load(ctx context.Context, userDir string) error {
	names := make([]string, 0, len(e.mounts))
	for name := range e.mounts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, fsys := range e.mounts[name].ScenarioFS() {
			e.builtin = append(e.builtin, builtinFS{fsys: fsys, source: "builtin:" + name + "/"})
		}
	}
	if userDir != "" {
		if _, err := os.Stat(userDir); err != nil {
			return fmt.Errorf("--scenarios: %w", err)
		}
		if err := e.loadFS(os.DirFS(userDir), "file:"+userDir+string(filepath.Separator)); err != nil {
			return err
		}
	}
	return e.store.View(ctx, func(tx *store.Tx) error {
		return tx.System(bucketScenarios).ForEach(func(k string, v []byte) error {
			sc, err := Parse("runtime:"+k, v, e.events)
			if err != nil {
				e.log.Error("stored scenario no longer valid, skipped", "name", k, "err", err)
				return nil
			}
			sc.Source = "runtime"
			e.scenarios[sc.Name] = sc
			return nil
		})
	})
}

// Pending implements schedule.Handler: the active runs stored in tx (at
// start).
func (e *Engine) Pending(tx *store.Tx, add func(schedule.Entry)) error {
	return tx.ForEachTenant(bucketRuns, func(tenant string) error {
		return tx.Indexed(tenant, bucketRuns).ForEach(func(_ string, v []byte) error {
			var r Run
			if err := json.Unmarshal(v, &r); err == nil && r.Status == RunActive {
				add(schedule.Entry{Kind: Kind, ID: r.ID, Tenant: r.Tenant, Due: r.DueAt})
			}
			return nil
		})
	})
}

// LoadBuiltins parses the built-in scenarios now, if that has not been
// done, and returns the first problem of a built-in file (`scenarios lint`
// and the tests report it; a running emulator logs it and goes on without
// the built-ins).
func (e *Engine) LoadBuiltins() error {
	e.builtinOnce.Do(e.loadBuiltins)
	return e.builtinErr
}

// ensureBuiltins is called by every reader and writer of e.scenarios,
// before taking e.mu.
func (e *Engine) ensureBuiltins() { e.builtinOnce.Do(e.loadBuiltins) }

// loadBuiltins parses and lints every built-in file, then adds them under
// the user and run-time scenarios already loaded, as if they had been
// loaded first. A broken built-in adds none of them.
func (e *Engine) loadBuiltins() {
	var all []*Scenario
	byName := map[string]*Scenario{}
	for _, b := range e.builtin {
		err := walkScenarios(b.fsys, func(p string, data []byte) error {
			sc, err := e.Lint(context.Background(), b.source+p, data)
			if err != nil {
				return err
			}
			if prev, dup := byName[sc.Name]; dup {
				return fmt.Errorf("%s: scenario name %q already used by %s", b.source+p, sc.Name, prev.Source)
			}
			sc.Source = b.source + p
			for _, other := range all {
				if sc.Default && other.Default && other.Provider == sc.Provider && other.On == sc.On {
					return fmt.Errorf("%s: %s already has a default scenario for %s (%s)", sc.Source, sc.Provider, sc.On, other.Name)
				}
			}
			byName[sc.Name] = sc
			all = append(all, sc)
			return nil
		})
		if err != nil {
			e.builtinErr = err
			e.log.Error("built-in scenarios not loaded", "err", err)
			return
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, sc := range all {
		if _, replaced := e.scenarios[sc.Name]; replaced {
			continue
		}
		if sc.Default && e.hasDefault(sc.Provider, sc.On) {
			e.shadow(sc)
			continue
		}
		e.scenarios[sc.Name] = sc
	}
}

// hasDefault reports whether a default scenario of provider's event is
// active (e.mu held).
func (e *Engine) hasDefault(provider, event string) bool {
	for _, sc := range e.scenarios {
		if sc.Default && sc.Provider == provider && sc.On == event {
			return true
		}
	}
	return false
}

// loadFS reads every user scenario file under fsys.
func (e *Engine) loadFS(fsys fs.FS, source string) error {
	return walkScenarios(fsys, func(p string, data []byte) error {
		sc, err := e.Lint(context.Background(), source+p, data)
		if err != nil {
			return err
		}
		if prev, dup := e.scenarios[sc.Name]; dup && !strings.HasPrefix(prev.Source, "builtin:") {
			return fmt.Errorf("%s: scenario name %q already used by %s", source+p, sc.Name, prev.Source)
		}
		sc.Source = source + p
		// Not add: that would parse the built-ins now; loadBuiltins
		// applies their precedence when they are parsed.
		return e.insert(sc)
	})
}

// walkScenarios calls fn with every .yaml, .yml and .json file under fsys.
func walkScenarios(fsys fs.FS, fn func(p string, data []byte) error) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || !isScenarioFile(p) {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return fn(p, data)
	})
}

func isScenarioFile(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".yaml", ".yml", ".json":
		return !strings.HasSuffix(p, "schema.json")
	}
	return false
}

// add registers a scenario, refusing a second default for one event.
func (e *Engine) add(sc *Scenario) error {
	e.ensureBuiltins()
	return e.insert(sc)
}

// insert is add without parsing the built-ins first.
func (e *Engine) insert(sc *Scenario) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if sc.Default {
		for _, other := range e.scenarios {
			if other.Name != sc.Name && other.Default && other.Provider == sc.Provider && other.On == sc.On {
				if strings.HasPrefix(other.Source, "builtin:") && !strings.HasPrefix(sc.Source, "builtin:") {
					// A user default replaces the built-in one (until it is
					// removed: see restoreShadowed).
					e.shadow(other)
					delete(e.scenarios, other.Name)
					continue
				}
				return fmt.Errorf("%s: %s already has a default scenario for %s (%s)", sc.Source, sc.Provider, sc.On, other.Name)
			}
		}
	}
	e.scenarios[sc.Name] = sc
	return nil
}

// AddRuntime validates a scenario sent at run time, stores it (it survives
// restarts) and activates it.
func (e *Engine) AddRuntime(ctx context.Context, data []byte) (*Scenario, error) {
	sc, err := e.Lint(ctx, "request", data)
	if err != nil {
		return nil, err
	}
	sc.Source = "runtime"
	if err := e.add(sc); err != nil {
		return nil, err
	}
	err = e.store.Update(ctx, func(tx *store.Tx) error {
		return tx.System(bucketScenarios).Put(sc.Name, sc.Raw)
	})
	return sc, err
}

// List returns the scenarios by provider, event, then name.
func (e *Engine) List() []*Scenario {
	e.ensureBuiltins()
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]*Scenario, 0, len(e.scenarios))
	for _, sc := range e.scenarios {
		out = append(out, sc)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Provider != b.Provider {
			return a.Provider < b.Provider
		}
		if a.On != b.On {
			return a.On < b.On
		}
		return a.Name < b.Name
	})
	return out
}

// Get returns a scenario by name.
func (e *Engine) Get(name string) (*Scenario, bool) {
	e.ensureBuiltins()
	e.mu.RLock()
	defer e.mu.RUnlock()
	sc, ok := e.scenarios[name]
	return sc, ok
}

// Publish implements platform.EventSink: the best matching scenario of the
// event starts a run for its resource, stored in tx.
func (e *Engine) Publish(tx *platform.Tx, ev platform.Event) error {
	sc := e.match(tx.Provider(), tx.Tenant, ev)
	if sc == nil {
		return nil
	}
	kind := ev.Kind
	if kind == "" {
		kind = e.events[tx.Provider()][ev.Name]
	}
	r, err := e.startRun(tx.Tx, sc, tx.Tenant, kind, ev.ID, tx.Now())
	if err != nil || sc.Steps[0].After != 0 {
		return err
	}
	// Leading steps due now run inside the publishing transaction, so the
	// API's answer already shows them (a check that completes at once).
	var newFaults []faults.Rule
	if err := e.runDue(tx.Tx, r, sc, r.Created, &newFaults); err != nil {
		return err
	}
	if len(newFaults) > 0 {
		tx.OnCommit(func() {
			for _, f := range newFaults {
				if _, err := e.faults.Add(f); err != nil {
					e.log.Warn("scenario fault rule refused", "run", r.ID, "err", err)
				}
			}
		})
	}
	return putRun(tx.Tx, r)
}

// runDue applies r's steps that are due at now, in tx.
func (e *Engine) runDue(tx *store.Tx, r *Run, sc *Scenario, now time.Time, newFaults *[]faults.Rule) error {
	m := e.mounts[r.Provider]
	for r.Status == RunActive && !r.DueAt.After(now) && r.Step < len(sc.Steps) {
		st := sc.Steps[r.Step]
		action, err := e.apply(tx, m, r, st, newFaults)
		if err != nil {
			return fmt.Errorf("step %d (%s): %w", r.Step+1, action, err)
		}
		r.History = append(r.History, StepOutcome{Step: r.Step + 1, Time: now, Action: action})
		r.Step++
		if st.Stop || r.Step >= len(sc.Steps) {
			r.Status = RunDone
			break
		}
		r.DueAt = r.DueAt.Add(time.Duration(sc.Steps[r.Step].After))
	}
	return nil
}

func (e *Engine) match(provider, tenant string, ev platform.Event) *Scenario {
	e.ensureBuiltins()
	e.mu.RLock()
	defer e.mu.RUnlock()
	var best, def *Scenario
	for _, sc := range e.scenarios {
		if sc.Provider != provider || sc.On != ev.Name {
			continue
		}
		if sc.Default {
			def = sc
			continue
		}
		if sc.Tenant != "" && sc.Tenant != tenant {
			continue
		}
		if !sc.matches(tenant, ev.Fields) {
			continue
		}
		if best == nil || sc.Priority > best.Priority || (sc.Priority == best.Priority && sc.Name < best.Name) {
			best = sc
		}
	}
	if best != nil {
		return best
	}
	return def
}

func (sc *Scenario) matches(tenant string, fields map[string]any) bool {
	for i := range sc.Match {
		if !sc.Match[i].holds(tenant, fields) {
			return false
		}
	}
	return true
}

func (c *Condition) holds(tenant string, fields map[string]any) bool {
	if c.Tenant != "" {
		return c.Tenant == tenant
	}
	v, ok := fields[c.Field]
	if !ok || v == nil {
		return false
	}
	switch {
	case c.hasEq:
		if a, okA := toFloat(v); okA {
			if b, okB := toFloat(c.Equals); okB {
				return a == b
			}
		}
		return fmt.Sprint(v) == fmt.Sprint(c.Equals)
	case c.re != nil:
		return c.re.MatchString(fmt.Sprint(v))
	case c.Range != nil:
		f, ok := toFloat(v)
		if !ok {
			return false
		}
		return (c.Range.Min == nil || f >= *c.Range.Min) && (c.Range.Max == nil || f <= *c.Range.Max)
	}
	return false
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

// startRun stores a new run in tx; it is scheduled once tx commits.
func (e *Engine) startRun(tx *store.Tx, sc *Scenario, tenant, kind, id string, now time.Time) (*Run, error) {
	seq, err := tx.NextID(bucketRuns)
	if err != nil {
		return nil, err
	}
	r := &Run{
		ID: fmt.Sprintf("run_%012d", seq), Tenant: tenant, Provider: sc.Provider, Scenario: sc.Name,
		Kind: kind, ResourceID: id, Status: RunActive, Created: now,
		DueAt: now.Add(time.Duration(sc.Steps[0].After)), History: []StepOutcome{},
	}
	if err := putRun(tx, r); err != nil {
		return nil, err
	}
	next := schedule.Entry{Kind: Kind, ID: r.ID, Tenant: tenant, Due: r.DueAt}
	// A run that a fast-forward's step starts is waited for by it.
	ctx := tx.Context()
	tx.OnCommit(func() { e.sched.ScheduleFrom(ctx, next) })
	return r, nil
}

func putRun(tx *store.Tx, r *Run) error {
	return tx.Indexed(r.Tenant, bucketRuns).PutJSON(r.ID, r)
}

// getRun reads run id in tx; nil when it is not stored (reset).
func getRun(tx *store.Tx, id string) (*Run, error) {
	tenant, ok := tx.Locate(bucketRuns, id)
	if !ok {
		return nil, nil
	}
	var r Run
	if ok, err := tx.Indexed(tenant, bucketRuns).GetJSON(id, &r); !ok || err != nil {
		return nil, err
	}
	return &r, nil
}

// Trigger applies a scenario to an existing resource now.
func (e *Engine) Trigger(ctx context.Context, name, tenant, id string) (*Run, error) {
	sc, ok := e.Get(name)
	if !ok {
		return nil, platform.ControlNotFound("no scenario %q", name)
	}
	if _, ok := e.mounts[sc.Provider]; !ok {
		return nil, platform.BadControl("provider %q is not mounted", sc.Provider)
	}
	kind := e.events[sc.Provider][sc.On]
	var run *Run
	err := e.store.Update(ctx, func(tx *store.Tx) error {
		var err error
		run, err = e.startRun(tx, sc, tenant, kind, id, e.clock.ScenarioNow(tenant))
		return err
	})
	return run, err
}

// Runs lists runs, newest first.
func (e *Engine) Runs(ctx context.Context, tenant, provider string, limit int) ([]Run, error) {
	out := []Run{}
	keep := func(raw []byte) error {
		var r Run
		if json.Unmarshal(raw, &r) != nil || (provider != "" && r.Provider != provider) {
			return nil
		}
		out = append(out, r)
		if limit > 0 && len(out) >= limit {
			return store.ErrStop
		}
		return nil
	}
	err := e.store.View(ctx, func(tx *store.Tx) error {
		if tenant != "" {
			// One tenant's runs are read from its bucket alone.
			return tx.Indexed(tenant, bucketRuns).ForEachReverse(func(_ string, raw []byte) error { return keep(raw) })
		}
		return tx.ForEachIndexed(bucketRuns, true, func(id, t string) error {
			if raw := tx.Indexed(t, bucketRuns).Get(id); raw != nil {
				return keep(raw)
			}
			return nil
		})
	})
	return out, err
}

// Run implements schedule.Handler: it executes the due steps of each run,
// in order, synchronously.
func (e *Engine) Run(ctx context.Context, due []schedule.Entry) {
	for _, en := range due {
		e.step(ctx, en.ID)
		e.sched.Done(Kind, en.ID)
	}
}

// step runs the due steps of one run in one transaction: the resource's
// change, its notification and the run's progress commit together.
func (e *Engine) step(ctx context.Context, id string) {
	var newFaults []faults.Rule
	var next *schedule.Entry
	err := e.store.Update(ctx, func(tx *store.Tx) error {
		newFaults, next = nil, nil
		r, err := getRun(tx, id)
		if r == nil || err != nil {
			return err
		}
		if r.Status != RunActive {
			return nil
		}
		sc, ok := e.Get(r.Scenario)
		if !ok {
			r.Status, r.Error = RunFailed, "scenario "+r.Scenario+" is no longer loaded"
			return putRun(tx, r)
		}
		if err := e.runDue(tx, r, sc, e.clock.ScenarioNow(r.Tenant), &newFaults); err != nil {
			return err
		}
		if r.Status == RunActive {
			next = &schedule.Entry{Kind: Kind, ID: r.ID, Tenant: r.Tenant, Due: r.DueAt}
		}
		return putRun(tx, r)
	})
	if err != nil {
		e.log.Warn("scenario step failed", "run", id, "err", err)
		e.fail(ctx, id, err)
		next = nil
	} else {
		for _, f := range newFaults {
			if _, err := e.faults.Add(f); err != nil {
				e.log.Warn("scenario fault rule refused", "run", id, "err", err)
			}
		}
	}
	if next != nil {
		e.sched.ScheduleFrom(ctx, *next)
	} else {
		e.sched.Remove(Kind, id)
	}
}

func (e *Engine) apply(tx *store.Tx, m *platform.Mount, r *Run, st Step, newFaults *[]faults.Rule) (string, error) {
	expand := func(p string) string { return strings.ReplaceAll(p, "{id}", r.ResourceID) }
	switch {
	case st.Status != "":
		if m == nil {
			return "status " + st.Status, fmt.Errorf("provider %s is not mounted", r.Provider)
		}
		fields := st.Fields
		if fields == nil {
			fields = map[string]any{}
		}
		return "status " + st.Status, m.NewTx(tx, r.Tenant).SetStatus(r.Kind, r.ResourceID, st.Status, fields)
	case st.FailNext != nil:
		f := st.FailNext
		*newFaults = append(*newFaults, faults.Rule{Provider: r.Provider, Tenant: r.Tenant, Method: f.Method, Path: expand(f.Path),
			Status: f.Status, Body: f.Body, Count: f.Count, Source: "scenario:" + r.Scenario})
		return fmt.Sprintf("fail_next %d × %d", f.Count, f.Status), nil
	case st.Latency != nil:
		l := st.Latency
		*newFaults = append(*newFaults, faults.Rule{Provider: r.Provider, Tenant: r.Tenant, Method: l.Method, Path: expand(l.Path),
			Latency: faults.Duration(l.Duration), Count: l.Count, Source: "scenario:" + r.Scenario})
		return fmt.Sprintf("latency %s × %d", time.Duration(l.Duration), l.Count), nil
	case st.Webhook != nil:
		p := outbox.Policy{Drop: st.Webhook.Drop, Delay: time.Duration(st.Webhook.Delay)}
		action := "webhook delay " + p.Delay.String()
		if p.Drop {
			action = "webhook drop"
		}
		return action, outbox.SetPolicy(tx, r.Tenant, r.Provider, r.Kind, r.ResourceID, p)
	case st.Stop:
		return "stop", nil
	}
	return "wait", nil
}

// fail marks a run failed with err in a transaction of its own (the failed
// step's transaction was rolled back).
func (e *Engine) fail(ctx context.Context, id string, cause error) {
	err := e.store.Update(ctx, func(tx *store.Tx) error {
		r, err := getRun(tx, id)
		if r == nil || err != nil {
			return err
		}
		r.Status, r.Error = RunFailed, cause.Error()
		r.History = append(r.History, StepOutcome{Step: r.Step + 1, Time: e.clock.ScenarioNow(r.Tenant), Action: "error", Error: cause.Error()})
		return putRun(tx, r)
	})
	if err != nil {
		e.log.Error("recording failed scenario run", "run", id, "err", err)
	}
}

// Reset follows, in tx, a reset of tenant ("" = all): its runs went with
// its bucket (store.Tx.ResetTenant) and their entries with the
// scheduler's reset; the scenarios' fault rules follow on commit.
func (e *Engine) Reset(tx *store.Tx, tenant string) error {
	tx.OnCommit(func() { e.faults.Clear(tenant) })
	return nil
}
