package control

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/fakeprovider/fakeprovider/controlapi"
	"github.com/fakeprovider/fakeprovider/internal/clock"
	"github.com/fakeprovider/fakeprovider/internal/faults"
	"github.com/fakeprovider/fakeprovider/internal/outbox"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/scenario"
	"github.com/fakeprovider/fakeprovider/internal/schedule"
	"github.com/fakeprovider/fakeprovider/internal/store"
)

// Async is the control side of the asynchronous machinery: clock,
// scenarios, webhooks and faults.
type Async struct {
	Clock *clock.Clock
	// Schedule runs the fast-forward and saves the clock offsets.
	Schedule *schedule.Scheduler
	Engine   *scenario.Engine
	Outbox   *outbox.Outbox
	Faults   *faults.Set
}

// ControlRoutes implements Module.
func (m *Async) ControlRoutes(r *Routes, a *API) {
	r.Handle("/clock", a.JSON(m.clockState)).Methods(http.MethodGet)
	r.Handle("/clock/advance", a.JSON(m.advance(a))).Methods(http.MethodPost)
	r.Handle("/scenarios", a.JSON(m.listScenarios)).Methods(http.MethodGet)
	r.Handle("/scenarios", a.JSON(m.loadScenario)).Methods(http.MethodPost)
	r.Handle("/scenarios/runs", a.JSON(m.runs)).Methods(http.MethodGet)
	r.Handle("/scenarios/{name}/trigger", a.JSON(m.trigger(a))).Methods(http.MethodPost)
	r.Handle("/scenarios/{name}", a.JSON(m.removeScenario)).Methods(http.MethodDelete)
	r.Handle("/webhooks", a.JSON(m.webhooks)).Methods(http.MethodGet)
	r.Handle("/webhooks/{id}", a.JSON(m.webhook)).Methods(http.MethodGet)
	r.Handle("/webhooks/{id}/resend", a.JSON(m.resend)).Methods(http.MethodPost)
	r.Handle("/faults", a.JSON(m.listFaults)).Methods(http.MethodGet)
	r.Handle("/faults", a.JSON(m.addFault)).Methods(http.MethodPost)
	r.Handle("/faults", a.JSON(m.clearFaults)).Methods(http.MethodDelete)
	r.Handle("/faults/{id}", a.JSON(m.removeFault)).Methods(http.MethodDelete)
}

// view is the clock as GET /clock shows it for tenant ("" the global
// clock).
func (m *Async) view(tenant string) controlapi.Clock {
	snap := m.Clock.Snapshot()
	v := controlapi.Clock{Wall: m.Clock.Now().UTC(), Offset: m.Clock.Offset(tenant).String(), GlobalOffset: snap.Global.String(),
		Tenant: tenant, ScenarioNow: m.Clock.ScenarioNow(tenant).UTC(), Tenants: map[string]string{}}
	for t, d := range snap.Tenants {
		v.Tenants[t] = d.String()
	}
	return v
}

// ResetHook is the scenario engine's part of a reset that the engine's own
// hook leaves: the scenarios loaded at run time for tenant ("" = all of
// them). The scheduler's hook puts scenario time back on the wall clock;
// runs, webhooks and faults are the engine's and the outbox's own hooks.
func (m *Async) ResetHook(tx *store.Tx, tenant string) error {
	_, err := m.Engine.ResetRuntime(tx, tenant)
	return err
}

// removeScenario is DELETE /scenarios/{name}: 204 for a scenario loaded at
// run time, 409 for a built-in or --scenarios one.
func (m *Async) removeScenario(r *http.Request) (any, error) {
	name := mux.Vars(r)["name"]
	sc, err := m.Engine.Remove(r.Context(), name)
	switch {
	case errors.Is(err, scenario.ErrNotFound):
		return nil, platform.ControlNotFound("no scenario %q", name)
	case errors.Is(err, scenario.ErrNotRuntime):
		return nil, &platform.ControlError{Status: http.StatusConflict,
			Message: fmt.Sprintf("scenario %q comes from %s and is loaded again at every start; only scenarios loaded with POST /_fakeprovider/scenarios can be deleted", name, sc.Source)}
	case err != nil:
		return nil, err
	}
	return &Status{Code: http.StatusNoContent}, nil
}

func (m *Async) clockState(r *http.Request) (any, error) {
	return m.view(r.URL.Query().Get("tenant")), nil
}

func (m *Async) advance(a *API) Func {
	return func(r *http.Request) (any, error) {
		var body controlapi.Advance
		if err := DecodeBody(r, &body); err != nil {
			return nil, err
		}
		if body.Tenant == "" {
			body.Tenant = r.URL.Query().Get("tenant")
		}
		if body.Tenant != "" {
			if _, ok := a.Tenants.Get(body.Tenant); !ok {
				return nil, platform.ControlNotFound("no tenant %q", body.Tenant)
			}
		}
		if body.By == "" {
			return nil, platform.BadControl(`body needs "by", e.g. {"by":"15m"}`)
		}
		d, err := scenario.ParseDuration(body.By)
		if err != nil {
			return nil, platform.BadControl("by: %v", err)
		}
		if err := m.Clock.CheckAdvance(body.Tenant, d); err != nil {
			return nil, platform.BadControl("by: %v", err)
		}
		ran, err := m.Schedule.Advance(r.Context(), body.Tenant, d)
		if err != nil {
			return nil, err
		}
		return controlapi.AdvanceResult{Clock: m.view(body.Tenant), StepsRun: ran[scenario.Kind], DeliveryAttempts: ran[outbox.Kind]}, nil
	}
}

func viewScenario(sc *scenario.Scenario) (controlapi.Scenario, error) {
	def, err := json.Marshal(sc)
	if err != nil {
		return controlapi.Scenario{}, err
	}
	return controlapi.Scenario{Name: sc.Name, Description: sc.Description, Provider: sc.Provider, On: sc.On, Default: sc.Default,
		Priority: sc.Priority, Tenant: sc.Tenant, Source: sc.Source, Steps: len(sc.Steps), Definition: def}, nil
}

func (m *Async) listScenarios(r *http.Request) (any, error) {
	provider := r.URL.Query().Get("provider")
	out := []controlapi.Scenario{}
	for _, sc := range m.Engine.List() {
		if provider == "" || sc.Provider == provider {
			v, err := viewScenario(sc)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
	}
	return controlapi.ScenarioList{Scenarios: out}, nil
}

func (m *Async) loadScenario(r *http.Request) (any, error) {
	body, err := ReadBody(r)
	if err != nil {
		return nil, err
	}
	sc, err := m.Engine.AddRuntime(r.Context(), body)
	if err != nil {
		var le *scenario.LintError
		if errors.As(err, &le) {
			// Every problem of the file, one a line.
			return nil, &platform.ControlError{Status: http.StatusUnprocessableEntity, Message: err.Error()}
		}
		return nil, platform.BadControl("%v", err)
	}
	v, err := viewScenario(sc)
	if err != nil {
		return nil, err
	}
	return &Status{Code: http.StatusCreated, Body: v}, nil
}

func (m *Async) runs(r *http.Request) (any, error) {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	runs, err := m.Engine.Runs(r.Context(), q.Get("tenant"), q.Get("provider"), limit)
	if err != nil {
		return nil, err
	}
	out := make([]controlapi.Run, 0, len(runs))
	for i := range runs {
		out = append(out, viewRun(&runs[i]))
	}
	return controlapi.RunList{Runs: out}, nil
}

func (m *Async) trigger(a *API) Func {
	return func(r *http.Request) (any, error) {
		var body controlapi.Trigger
		if err := DecodeBody(r, &body); err != nil {
			return nil, err
		}
		if body.ID == "" {
			return nil, platform.BadControl(`body needs "id": the resource the scenario applies to`)
		}
		tenantID := body.Tenant
		if tenantID == "" {
			var err error
			if tenantID, err = a.TenantParam(r); err != nil {
				return nil, err
			}
		} else if _, ok := a.Tenants.Get(tenantID); !ok {
			return nil, platform.ControlNotFound("no tenant %q", tenantID)
		}
		run, err := m.Engine.Trigger(r.Context(), mux.Vars(r)["name"], tenantID, body.ID)
		if err != nil {
			return nil, err
		}
		return &Status{Code: http.StatusCreated, Body: viewRun(run)}, nil
	}
}

func (m *Async) webhooks(r *http.Request) (any, error) {
	q := r.URL.Query()
	limit, err := LimitParam(r, 100)
	if err != nil {
		return nil, err
	}
	list, err := m.Outbox.List(r.Context(), outbox.Filter{Tenant: q.Get("tenant"), Provider: q.Get("provider"), Status: q.Get("status"), Limit: limit})
	if err != nil {
		return nil, err
	}
	return controlapi.WebhookList{Webhooks: viewWebhooks(list), Clock: controlapi.WebhookClock}, nil
}

func (m *Async) webhook(r *http.Request) (any, error) {
	rec, err := m.Outbox.Get(r.Context(), mux.Vars(r)["id"])
	if errors.Is(err, outbox.ErrNotFound) {
		return nil, platform.ControlNotFound("no webhook delivery %q", mux.Vars(r)["id"])
	}
	if err != nil {
		return nil, err
	}
	return viewWebhook(rec), nil
}

func (m *Async) resend(r *http.Request) (any, error) {
	rec, err := m.Outbox.Resend(r.Context(), mux.Vars(r)["id"])
	if errors.Is(err, outbox.ErrNotFound) {
		return nil, platform.ControlNotFound("no webhook delivery %q", mux.Vars(r)["id"])
	}
	if err != nil {
		return nil, err
	}
	return viewWebhook(rec), nil
}

func (m *Async) listFaults(r *http.Request) (any, error) {
	rules := m.Faults.List()
	out := make([]controlapi.Fault, 0, len(rules))
	for _, rule := range rules {
		out = append(out, viewFault(rule))
	}
	return controlapi.FaultList{Faults: out}, nil
}

func (m *Async) addFault(r *http.Request) (any, error) {
	var rule faults.Rule
	if err := DecodeBody(r, &rule); err != nil {
		return nil, err
	}
	rule.Source = "api"
	added, err := m.Faults.Add(rule)
	if err != nil {
		return nil, platform.BadControl("%v", err)
	}
	return &Status{Code: http.StatusCreated, Body: viewFault(added)}, nil
}

func (m *Async) clearFaults(r *http.Request) (any, error) {
	m.Faults.Clear(strings.TrimSpace(r.URL.Query().Get("tenant")))
	return &Status{Code: http.StatusNoContent}, nil
}

func (m *Async) removeFault(r *http.Request) (any, error) {
	if !m.Faults.Remove(mux.Vars(r)["id"]) {
		return nil, platform.ControlNotFound("no fault rule %q", mux.Vars(r)["id"])
	}
	return &Status{Code: http.StatusNoContent}, nil
}

// viewRun is a scenario run as the control API shows it.
func viewRun(r *scenario.Run) controlapi.Run {
	v := controlapi.Run{ID: r.ID, Tenant: r.Tenant, Provider: r.Provider, Scenario: r.Scenario, Kind: r.Kind,
		ResourceID: r.ResourceID, Step: r.Step, DueAt: r.DueAt, Status: r.Status, Created: r.Created,
		History: make([]controlapi.RunStep, 0, len(r.History)), Error: r.Error}
	for _, h := range r.History {
		v.History = append(v.History, controlapi.RunStep{Step: h.Step, Time: h.Time, Action: h.Action, Error: h.Error})
	}
	return v
}

// viewFault is a fault rule as the control API shows it.
func viewFault(r faults.Rule) controlapi.Fault {
	return controlapi.Fault{ID: r.ID, Provider: r.Provider, Tenant: r.Tenant, Method: r.Method, Path: r.Path,
		Latency: durationText(time.Duration(r.Latency)), Status: r.Status, Body: r.Body, Drop: r.Drop, Count: r.Count,
		Probability: r.Probability, Source: r.Source, Hits: r.Hits}
}
