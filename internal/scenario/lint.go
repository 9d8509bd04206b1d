package scenario

import (
	"context"
	"errors"
	"net/http"

	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/store"
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
	if errs := e.checkStatuses(ctx, sc); len(errs) > 0 {
		errs.setFile(file)
		if len(errs) == 1 {
			return nil, errs[0]
		}
		return nil, errs
	}
	return sc, nil
}

// checkStatuses asks the provider's status target, in a read-only
// transaction and for a resource that does not exist, about each status
// step. A target that refuses even a nonsense status before looking the
// resource up is asked about the file's; one that looks the resource up
// first cannot be asked, and its statuses pass (checked when the step runs).
func (e *Engine) checkStatuses(ctx context.Context, sc *Scenario) LintErrors {
	m := e.mounts[sc.Provider]
	kind := e.events[sc.Provider][sc.On]
	if m == nil || kind == "" {
		return nil
	}
	var errs LintErrors
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
