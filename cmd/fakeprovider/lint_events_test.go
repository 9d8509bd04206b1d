package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/scenario"
)

// Every event of every provider declares its fields, and lint refuses, for
// each, a misspelt match field (with a suggestion) and a status its
// resource kind does not take.
func TestLintKnowsEveryEvent(t *testing.T) {
	ctx := context.Background()
	a, err := app.New(ctx, app.Options{NoListen: true}, app.Providers())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	declared := map[string]map[string][]string{}
	for _, p := range app.Providers() {
		if ef, ok := p.(scenario.EventFielder); ok {
			declared[p.Name()] = ef.EventFields()
		}
	}
	var providers []string
	for p := range a.Engine.Events() {
		providers = append(providers, p)
	}
	sort.Strings(providers)
	for _, provider := range providers {
		for event := range a.Engine.Events()[provider] {
			t.Run(provider+"/"+event, func(t *testing.T) {
				fields, ok := declared[provider][event]
				if !ok || len(fields) == 0 {
					t.Fatalf("%s declares no fields for %s", provider, event)
				}
				field := fields[0]
				if field == scenario.OpenFields {
					field = fields[1]
				}
				typo := field + "x"
				lint := func(body string) error {
					file := fmt.Sprintf("version: 1\nname: lint-every\nprovider: %s\non: %s\n%s", provider, event, body)
					_, err := a.Engine.Lint(ctx, "every.yaml", []byte(file))
					return err
				}
				if err := lint(fmt.Sprintf("match:\n  - {field: %q, equals: \"1\"}\nsteps: [{stop: true}]\n", field)); err != nil {
					t.Errorf("declared field %q refused: %v", field, err)
				}
				err := lint(fmt.Sprintf("match:\n  - {field: %q, equals: \"1\"}\nsteps: [{stop: true}]\n", typo))
				if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("did you mean %q", field)) {
					t.Errorf("misspelt field %q: %v, want a suggestion of %q", typo, err, field)
				}
				err = lint("steps:\n  - status: DECLINEDX\n")
				if err == nil || !strings.Contains(err.Error(), `status "DECLINEDX"`) {
					t.Errorf("status DECLINEDX: %v, want it refused", err)
				}
			})
		}
	}
	for provider, events := range declared {
		for event := range events {
			if _, ok := a.Engine.Events()[provider][event]; !ok {
				t.Errorf("%s declares fields for %s, an event it does not publish", provider, event)
			}
		}
	}
}
