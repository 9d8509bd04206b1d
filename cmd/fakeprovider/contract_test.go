package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/tenant"
)

// The credentials answer's minimum fields per provider (the control API
// contract). A provider not yet listed in internal/app/providers.go is
// skipped; once listed, its credentials must carry these fields, for the
// default tenant and for a minted one.
var credentialFields = map[string][]string{
	"difitek":    {"network", "api_key", "api_secret", "username", "password"},
	"d24":        {"login", "secret_key", "read_only_key", "cashout_login", "cashout_pass", "cashout_secret_key"},
	"crm":        {"api_key"},
	"crowdtrust": {"live.api_key", "live.secret_key", "test.api_key", "test.secret_key"},
}

func TestCredentialsContract(t *testing.T) {
	a, err := app.New(context.Background(), app.Options{NoListen: true}, app.Providers())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	minted, err := a.Tenants.Create(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{tenant.DefaultID, minted.ID} {
		view, _ := a.Tenants.View(id)
		raw, _ := json.Marshal(view)
		var m map[string]any
		json.Unmarshal(raw, &m)
		if m["tenant"] != id {
			t.Errorf("tenant %q in %s", m["tenant"], raw)
		}
		for _, p := range app.Providers() {
			obj, ok := m[p.Name()].(map[string]any)
			if !ok {
				t.Errorf("%s: credentials of %s are not an object: %s", id, p.Name(), raw)
				continue
			}
			for _, field := range credentialFields[p.Name()] {
				v := lookup(obj, field)
				if s, ok := v.(string); !ok || s == "" {
					t.Errorf("%s: %s credentials lack a non-empty %q", id, p.Name(), field)
				}
			}
		}
	}
	for name := range credentialFields {
		found := false
		for _, p := range app.Providers() {
			found = found || p.Name() == name
		}
		if !found {
			t.Logf("%s is not listed in internal/app/providers.go yet: its credentials contract is not checked", name)
		}
	}
}

func lookup(m map[string]any, dotted string) any {
	var v any = m
	for _, part := range strings.Split(dotted, ".") {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[part]
	}
	return v
}
