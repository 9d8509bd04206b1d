package platformtest

import (
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/scenario"
)

// declaredFieldsCheck compares every event a harness's providers publish
// with the fields they declare for it (scenario.EventFielder): lint must
// never refuse a match field an event carries, nor accept one it lacks. An
// event declared open (scenario.OpenFields) may carry others, and is not
// checked.
type declaredFieldsCheck struct {
	mu       sync.Mutex
	problems []string
}

func (c *declaredFieldsCheck) observer(providers []platform.Provider) func(string, platform.Event) {
	declared := map[string]map[string][]string{}
	for _, p := range providers {
		if ef, ok := p.(scenario.EventFielder); ok {
			declared[p.Name()] = ef.EventFields()
		}
	}
	return func(provider string, ev platform.Event) {
		events, ok := declared[provider]
		if !ok {
			return // a provider that declares no fields (test fixtures)
		}
		fields, ok := events[ev.Name]
		if !ok {
			c.add(fmt.Sprintf("%s published %s, whose fields it does not declare", provider, ev.Name))
			return
		}
		if slices.Contains(fields, scenario.OpenFields) {
			return
		}
		var extra, missing []string
		for k := range ev.Fields {
			if !slices.Contains(fields, k) {
				extra = append(extra, k)
			}
		}
		for _, k := range fields {
			if _, ok := ev.Fields[k]; !ok {
				missing = append(missing, k)
			}
		}
		if len(extra)+len(missing) > 0 {
			sort.Strings(extra)
			c.add(fmt.Sprintf("%s published %s without declared fields %v and with undeclared %v (declared: %v)", provider, ev.Name, missing, extra, fields))
		}
	}
}

func (c *declaredFieldsCheck) add(problem string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !slices.Contains(c.problems, problem) {
		c.problems = append(c.problems, problem)
	}
}

func (c *declaredFieldsCheck) report(t testing.TB) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.problems {
		t.Errorf("platformtest: %s", p)
	}
}
