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
	"github.com/fakeprovider/fakeprovider/internal/store"
)

const (
	bucketRuns      = "scenario_runs"
	bucketScenarios = "scenarios"
	bucketClock     = "clock"
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
	Offset(tenant string) time.Duration
	Advance(tenant string, d time.Duration)
}

// Deliveries is the outbox as the engine drives it during fast-forward.
type Deliveries interface {
	NextWait(tenant string) (time.Duration, bool)
	RunDue(ctx context.Context) int
}

// Engine loads scenarios, starts runs on provider events and executes due
// steps.
type Engine struct {
	store  *store.Store
	clock  Clock
	log    *slog.Logger
	faults *faults.Set
	outbox Deliveries

	mounts map[string]*platform.Mount
	events map[string]map[string]string // provider → event → kind

	mu        sync.RWMutex
	scenarios map[string]*Scenario
	pending   map[string]pendingRun
	inflight  map[string]bool
	wake      chan struct{}
	advanceMu sync.Mutex
	// shadowed are built-in defaults replaced by a user default.
	shadowed map[string]*Scenario
	// fields are the declared fields of events: provider → event → fields.
	fields map[string]map[string][]string
}

type pendingRun struct {
	tenant string
	due    time.Time
}

// New returns an engine; call SetMounts, Load, then Run.
func New(st *store.Store, clk Clock, log *slog.Logger, fs *faults.Set, ob Deliveries) *Engine {
	return &Engine{
		store: st, clock: clk, log: log, faults: fs, outbox: ob,
		mounts:    map[string]*platform.Mount{},
		events:    map[string]map[string]string{},
		scenarios: map[string]*Scenario{},
		pending:   map[string]pendingRun{},
		inflight:  map[string]bool{},
		wake:      make(chan struct{}, 1),
	}
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

// Load reads the built-in scenarios of every mount, the user directory
// (may be ""), the scenarios loaded at run time, the pending runs and the
// persisted clock offsets. A broken built-in or user file stops the start
// with its line-numbered error.
func (e *Engine) Load(ctx context.Context, userDir string, restoreClock func(raw []byte) error) error {
	for name, m := range e.mounts {
		for _, fsys := range m.ScenarioFS() {
			if err := e.loadFS(fsys, "builtin:"+name+"/"); err != nil {
				return err
			}
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
		if b, _ := tx.SystemBucket(bucketScenarios); b != nil {
			if err := b.ForEach(func(k, v []byte) error {
				sc, err := Parse("runtime:"+string(k), v, e.events)
				if err != nil {
					e.log.Error("stored scenario no longer valid, skipped", "name", string(k), "err", err)
					return nil
				}
				sc.Source = "runtime"
				e.scenarios[sc.Name] = sc
				return nil
			}); err != nil {
				return err
			}
		}
		if b, _ := tx.SystemBucket(bucketClock); b != nil && restoreClock != nil {
			if raw := b.Get([]byte("offsets")); raw != nil {
				if err := restoreClock(raw); err != nil {
					return err
				}
			}
		}
		b, _ := tx.SystemBucket(bucketRuns)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var r Run
			if err := json.Unmarshal(v, &r); err == nil && r.Status == RunActive {
				e.pending[r.ID] = pendingRun{tenant: r.Tenant, due: r.DueAt}
			}
			return nil
		})
	})
}

// loadFS reads every .yaml, .yml and .json file under fsys.
func (e *Engine) loadFS(fsys fs.FS, source string) error {
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
		sc, err := e.Lint(context.Background(), source+p, data)
		if err != nil {
			return err
		}
		if prev, dup := e.scenarios[sc.Name]; dup && strings.HasPrefix(prev.Source, "builtin:") == strings.HasPrefix(source, "builtin:") {
			return fmt.Errorf("%s: scenario name %q already used by %s", source+p, sc.Name, prev.Source)
		}
		sc.Source = source + p
		return e.add(sc)
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
		b, err := tx.SystemBucket(bucketScenarios)
		if err != nil {
			return err
		}
		return b.Put([]byte(sc.Name), sc.Raw)
	})
	return sc, err
}

// List returns the scenarios by provider, event, then name.
func (e *Engine) List() []*Scenario {
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
	b, err := tx.SystemBucket(bucketRuns)
	if err != nil {
		return err
	}
	var newFaults []faults.Rule
	if err := e.runDue(tx.Tx, r, sc, r.Created, &newFaults); err != nil {
		return err
	}
	if len(newFaults) > 0 {
		tx.Bolt().OnCommit(func() {
			for _, f := range newFaults {
				if _, err := e.faults.Add(f); err != nil {
					e.log.Warn("scenario fault rule refused", "run", r.ID, "err", err)
				}
			}
		})
	}
	return putRun(b, r)
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
	b, err := tx.SystemBucket(bucketRuns)
	if err != nil {
		return nil, err
	}
	seq, err := b.NextSequence()
	if err != nil {
		return nil, err
	}
	r := &Run{
		ID: fmt.Sprintf("run_%012d", seq), Tenant: tenant, Provider: sc.Provider, Scenario: sc.Name,
		Kind: kind, ResourceID: id, Status: RunActive, Created: now,
		DueAt: now.Add(time.Duration(sc.Steps[0].After)), History: []StepOutcome{},
	}
	if err := putRun(b, r); err != nil {
		return nil, err
	}
	runID, due := r.ID, r.DueAt
	tx.Bolt().OnCommit(func() {
		e.mu.Lock()
		e.pending[runID] = pendingRun{tenant: tenant, due: due}
		e.mu.Unlock()
		e.Wake()
	})
	return r, nil
}

func putRun(b interface{ Put([]byte, []byte) error }, r *Run) error {
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return b.Put([]byte(r.ID), raw)
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
	err := e.store.View(ctx, func(tx *store.Tx) error {
		b, _ := tx.SystemBucket(bucketRuns)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var r Run
			if json.Unmarshal(v, &r) != nil {
				continue
			}
			if (tenant != "" && r.Tenant != tenant) || (provider != "" && r.Provider != provider) {
				continue
			}
			out = append(out, r)
			if limit > 0 && len(out) >= limit {
				break
			}
		}
		return nil
	})
	return out, err
}

// Wake makes the runner look for due steps now.
func (e *Engine) Wake() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Run executes due steps until ctx ends.
func (e *Engine) Run(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		e.RunDue(ctx)
		wait, ok := e.NextWait("")
		if !ok || wait > time.Hour {
			wait = time.Hour
		}
		if wait < time.Millisecond {
			wait = time.Millisecond
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-e.wake:
		case <-timer.C:
		}
	}
}

// NextWait is how long until the earliest pending step of tenant ("" =
// any) is due in its tenant's scenario time.
func (e *Engine) NextWait(tenant string) (time.Duration, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var best time.Duration
	found := false
	for _, p := range e.pending {
		if tenant != "" && p.tenant != tenant {
			continue
		}
		w := p.due.Sub(e.clock.ScenarioNow(p.tenant))
		if !found || w < best {
			best, found = w, true
		}
	}
	return best, found
}

// RunDue executes every due step (synchronously) and returns how many runs
// it advanced.
func (e *Engine) RunDue(ctx context.Context) int {
	total := 0
	for {
		e.mu.Lock()
		var due []string
		for id, p := range e.pending {
			if !e.inflight[id] && !p.due.After(e.clock.ScenarioNow(p.tenant)) {
				due = append(due, id)
				e.inflight[id] = true
			}
		}
		e.mu.Unlock()
		if len(due) == 0 {
			return total
		}
		sort.Strings(due)
		for _, id := range due {
			e.step(ctx, id)
			e.mu.Lock()
			delete(e.inflight, id)
			e.mu.Unlock()
		}
		total += len(due)
	}
}

// step runs the due steps of one run in one transaction: the resource's
// change, its notification and the run's progress commit together.
func (e *Engine) step(ctx context.Context, id string) {
	var newFaults []faults.Rule
	var next *pendingRun
	err := e.store.Update(ctx, func(tx *store.Tx) error {
		newFaults, next = nil, nil
		b, err := tx.SystemBucket(bucketRuns)
		if err != nil {
			return err
		}
		var r Run
		raw := b.Get([]byte(id))
		if raw == nil {
			return nil
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		if r.Status != RunActive {
			return nil
		}
		sc, ok := e.Get(r.Scenario)
		if !ok {
			r.Status, r.Error = RunFailed, "scenario "+r.Scenario+" is no longer loaded"
			return putRun(b, &r)
		}
		if err := e.runDue(tx, &r, sc, e.clock.ScenarioNow(r.Tenant), &newFaults); err != nil {
			return err
		}
		if r.Status == RunActive {
			next = &pendingRun{tenant: r.Tenant, due: r.DueAt}
		}
		return putRun(b, &r)
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
	e.mu.Lock()
	if next != nil {
		e.pending[id] = *next
	} else {
		delete(e.pending, id)
	}
	e.mu.Unlock()
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
		b, err := tx.SystemBucket(bucketRuns)
		if err != nil {
			return err
		}
		var r Run
		raw := b.Get([]byte(id))
		if raw == nil {
			return nil
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		r.Status, r.Error = RunFailed, cause.Error()
		r.History = append(r.History, StepOutcome{Step: r.Step + 1, Time: e.clock.ScenarioNow(r.Tenant), Action: "error", Error: cause.Error()})
		return putRun(b, &r)
	})
	if err != nil {
		e.log.Error("recording failed scenario run", "run", id, "err", err)
	}
}

// Reset deletes the runs of tenant ("" = all) in tx.
func (e *Engine) Reset(tx *store.Tx, tenant string) error {
	b, err := tx.SystemBucket(bucketRuns)
	if err != nil {
		return err
	}
	var del [][]byte
	if err := b.ForEach(func(k, v []byte) error {
		var r Run
		if tenant == "" || (json.Unmarshal(v, &r) == nil && r.Tenant == tenant) {
			del = append(del, append([]byte(nil), k...))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range del {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	tx.Bolt().OnCommit(func() {
		e.mu.Lock()
		for id, p := range e.pending {
			if tenant == "" || p.tenant == tenant {
				delete(e.pending, id)
			}
		}
		e.mu.Unlock()
		e.faults.Clear(tenant)
	})
	return nil
}

// AdvanceResult says what a fast-forward did.
type AdvanceResult struct {
	StepsRun           int `json:"steps_run"`
	DeliveriesAttempts int `json:"delivery_attempts"`
}

// Advance moves scenario time forward by d for tenant ("" = every tenant),
// stopping at each due step or delivery on the way to run it (so retries
// that fall inside the window happen, in order), and returns when
// everything due by the end has run. save persists the clock offsets.
func (e *Engine) Advance(ctx context.Context, tenant string, d time.Duration, save func() error) (AdvanceResult, error) {
	e.advanceMu.Lock()
	defer e.advanceMu.Unlock()
	var res AdvanceResult
	remaining := d
	for i := 0; ; i++ {
		if i > 100000 {
			return res, fmt.Errorf("fast-forward stopped after %d iterations", i)
		}
		res.StepsRun += e.RunDue(ctx)
		res.DeliveriesAttempts += e.outbox.RunDue(ctx)
		wait, ok := e.nextWait(tenant)
		if !ok || wait > remaining {
			break
		}
		if wait > 0 {
			e.clock.Advance(tenant, wait)
			remaining -= wait
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
	}
	e.clock.Advance(tenant, remaining)
	res.StepsRun += e.RunDue(ctx)
	res.DeliveriesAttempts += e.outbox.RunDue(ctx)
	if save != nil {
		if err := save(); err != nil {
			return res, err
		}
	}
	return res, nil
}

// nextWait is the earliest wait among steps and deliveries.
func (e *Engine) nextWait(tenant string) (time.Duration, bool) {
	a, okA := e.NextWait(tenant)
	b, okB := e.outbox.NextWait(tenant)
	switch {
	case okA && okB:
		return min(a, b), true
	case okA:
		return a, true
	case okB:
		return b, true
	}
	return 0, false
}

// SaveClock stores the clock offsets (raw JSON) in tx.
func SaveClock(tx *store.Tx, raw []byte) error {
	b, err := tx.SystemBucket(bucketClock)
	if err != nil {
		return err
	}
	return b.Put([]byte("offsets"), raw)
}
