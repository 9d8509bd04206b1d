package scenario

import (
	"context"
	"errors"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/store"
)

// ErrNotFound is returned for an unknown scenario name.
var ErrNotFound = errors.New("scenario: no such scenario")

// ErrNotRuntime is returned when removing a scenario that was not loaded
// at run time (built-in, or from --scenarios): those come back at every
// start, so removing them would not stick.
var ErrNotRuntime = errors.New("scenario: only scenarios loaded at run time can be removed")

// shadow remembers a built-in default that a user default replaced (e.mu held).
func (e *Engine) shadow(sc *Scenario) {
	if e.shadowed == nil {
		e.shadowed = map[string]*Scenario{}
	}
	e.shadowed[sc.Name] = sc
}

// Remove deletes a scenario loaded at run time, from memory and the store;
// a built-in default it replaced is active again. Runs it had started end,
// at their next step, failed with "scenario … is no longer loaded".
func (e *Engine) Remove(ctx context.Context, name string) (*Scenario, error) {
	sc, ok := e.Get(name)
	if !ok {
		return nil, ErrNotFound
	}
	if sc.Source != "runtime" {
		return sc, ErrNotRuntime
	}
	err := e.store.Update(ctx, func(tx *store.Tx) error {
		_, err := e.RemoveRuntime(tx, func(s *Scenario) bool { return s.Name == name })
		return err
	})
	return sc, err
}

// ResetRuntime removes, in tx, the scenarios loaded at run time for tenant
// (those with tenant: set to it), or every one loaded at run time when
// tenant is "". It returns their names.
func (e *Engine) ResetRuntime(tx *store.Tx, tenant string) ([]string, error) {
	return e.RemoveRuntime(tx, func(s *Scenario) bool { return tenant == "" || s.Tenant == tenant })
}

// RemoveRuntime removes, in tx, the scenarios loaded at run time that
// match; memory follows when tx commits.
func (e *Engine) RemoveRuntime(tx *store.Tx, match func(*Scenario) bool) ([]string, error) {
	var names []string
	for _, sc := range e.List() {
		if sc.Source == "runtime" && match(sc) {
			names = append(names, sc.Name)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	recs := tx.System(bucketScenarios)
	for _, n := range names {
		if err := recs.Delete(n); err != nil {
			return nil, err
		}
	}
	tx.OnCommit(func() {
		e.ensureBuiltins()
		e.mu.Lock()
		defer e.mu.Unlock()
		for _, n := range names {
			if sc, ok := e.scenarios[n]; ok && sc.Source == "runtime" {
				delete(e.scenarios, n)
			}
		}
		e.restoreShadowed()
	})
	return names, nil
}

// restoreShadowed brings back each replaced built-in default whose event
// has no default any more (e.mu held).
func (e *Engine) restoreShadowed() {
	for name, b := range e.shadowed {
		taken := false
		for _, sc := range e.scenarios {
			if sc.Default && sc.Provider == b.Provider && sc.On == b.On {
				taken = true
				break
			}
		}
		if !taken && strings.HasPrefix(b.Source, "builtin:") {
			e.scenarios[name] = b
			delete(e.shadowed, name)
		}
	}
}
