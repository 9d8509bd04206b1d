package scenario

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/store"
	"github.com/fakeprovider/fakeprovider/internal/textdist"
)

// probeID is a resource id no provider has: a status target asked to move
// it either refuses the status (400, an unknown status) or does not find it
// (404, the status is one it takes).
const probeID = "fakeprovider-lint-probe"

// Lint parses a scenario file and checks its meaning against the
// providers: besides Parse's checks, every step's status must be one the
// provider's status target for the event's resource kind accepts. It
// returns every problem of the file, each with its line.
func (e *Engine) Lint(ctx context.Context, file string, data []byte) (*Scenario, error) {
	sc, err := Parse(file, data, e.events)
	if err != nil {
		return nil, err
	}
	errs := append(e.checkFields(sc), e.checkStatuses(ctx, sc)...)
	if len(errs) > 0 {
		errs.setFile(file)
		if len(errs) == 1 {
			return nil, errs[0]
		}
		return nil, errs
	}
	return sc, nil
}

// checkStatuses checks each status step against the statuses the
// provider's status target for the event's kind declared. A target that
// declared none is asked, in a read-only transaction and for a resource
// that does not exist: one that refuses even a nonsense status before
// looking the resource up is asked about the file's; one that looks the
// resource up first cannot be asked, and its statuses pass (checked when
// the step runs).
func (e *Engine) checkStatuses(ctx context.Context, sc *Scenario) LintErrors {
	m := e.mounts[sc.Provider]
	kind := e.events[sc.Provider][sc.On]
	if m == nil || kind == "" {
		return nil
	}
	var errs LintErrors
	if allowed := m.TargetStatuses(kind); len(allowed) > 0 {
		for _, st := range sc.Steps {
			if st.Status == "" || slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(strings.TrimSpace(st.Status), a) }) {
				continue
			}
			errs = append(errs, lineErr(st.line, "status %q: not a status of the %s %s resource of event %s (it takes: %s)", st.Status, sc.Provider, kind, sc.On, strings.Join(allowed, ", ")))
		}
		return errs
	}
	_ = e.store.View(ctx, func(tx *store.Tx) error {
		ptx := m.NewTx(tx, "")
		refuses := func(status string) (bool, string) {
			err := ptx.SetStatus(kind, probeID, status, map[string]any{})
			var ce *platform.ControlError
			if errors.As(err, &ce) && ce.Status == http.StatusBadRequest {
				return true, ce.Message
			}
			return false, ""
		}
		if ok, _ := refuses("\x00not-a-status"); !ok {
			return nil
		}
		for _, st := range sc.Steps {
			if st.Status == "" {
				continue
			}
			if bad, msg := refuses(st.Status); bad {
				errs = append(errs, lineErr(st.line, "status %q: %s (the %s %s resource of event %s)", st.Status, msg, sc.Provider, kind, sc.On))
			}
		}
		return nil
	})
	return errs
}

// EventFielder is implemented by providers that declare the fields of their
// events: a scenario's match condition on such an event must name one. An
// event whose fields also carry the caller's own data (a CRM request's
// type-specific data) lists OpenFields among them: another name is then
// accepted unless it is a near miss of a declared one.
type EventFielder interface {
	EventFields() map[string][]string
}

// OpenFields, in an event's declared fields, says the event carries other
// fields besides the declared ones.
const OpenFields = "*"

// DeclareFields records the fields of provider's events (event → fields).
func (e *Engine) DeclareFields(provider string, fields map[string][]string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.fields == nil {
		e.fields = map[string]map[string][]string{}
	}
	e.fields[provider] = fields
}

// checkFields checks each match condition's field against the event's
// declared fields (events without a declaration are not checked).
func (e *Engine) checkFields(sc *Scenario) LintErrors {
	e.mu.RLock()
	known, declared := e.fields[sc.Provider][sc.On]
	e.mu.RUnlock()
	if !declared {
		return nil
	}
	open := slices.Contains(known, OpenFields)
	known = slices.DeleteFunc(slices.Clone(known), func(f string) bool { return f == OpenFields })
	var errs LintErrors
	for _, c := range sc.Match {
		if c.Field == "" || slices.Contains(known, c.Field) {
			continue
		}
		if open && nearest(c.Field, known) == "" {
			continue
		}
		msg := fmt.Sprintf("match field %q: event %s of %s has no such field (it has: %s)", c.Field, sc.On, sc.Provider, strings.Join(known, ", "))
		if near := nearest(c.Field, known); near != "" {
			msg = fmt.Sprintf("match field %q: event %s of %s has no such field; did you mean %q? (it has: %s)", c.Field, sc.On, sc.Provider, near, strings.Join(known, ", "))
		}
		errs = append(errs, lineErr(c.line, "%s", msg))
	}
	return errs
}

// nearest is the known name at most two edits from name, if one is.
func nearest(name string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := textdist.Levenshtein(name, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}
