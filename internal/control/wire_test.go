package control_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/controlapi"
)

// wireTypes names the controlapi type of every golden answer: the server's
// answer must decode into it with no unknown field and encode back to the
// same shape, so a field added to, renamed in or dropped from either side
// fails here.
var wireTypes = map[string]func() any{
	"clock":               func() any { return new(controlapi.Clock) },
	"clock_advance":       func() any { return new(controlapi.AdvanceResult) },
	"credentials":         func() any { return new(controlapi.Tenant) },
	"faults":              func() any { return new(controlapi.FaultList) },
	"faults_post":         func() any { return new(controlapi.Fault) },
	"health":              func() any { return new(controlapi.Health) },
	"requests":            func() any { return new(controlapi.RequestList) },
	"requests_count":      func() any { return new(controlapi.Count) },
	"requests_count_post": func() any { return new(controlapi.Count) },
	"requests_delete":     func() any { return new(controlapi.Removed) },
	"requests_find":       func() any { return new(controlapi.RequestList) },
	"requests_unmatched":  func() any { return new(controlapi.UnmatchedList) },
	"routes":              func() any { return new(controlapi.RouteList) },
	"scenarios_get":       func() any { return new(controlapi.ScenarioList) },
	"scenarios_post":      func() any { return new(controlapi.Scenario) },
	"scenarios_runs":      func() any { return new(controlapi.RunList) },
	"scenarios_trigger":   func() any { return new(controlapi.Run) },
	"state":               func() any { return new(controlapi.State) },
	"tenants_get":         func() any { return new(controlapi.TenantList) },
	"tenants_post":        func() any { return new(controlapi.Tenant) },
	"webhook_get":         func() any { return new(controlapi.Webhook) },
	"webhooks_get":        func() any { return new(controlapi.WebhookList) },
}

func wireType(name string) (func() any, bool) {
	if strings.HasPrefix(name, "error_") {
		return func() any { return new(controlapi.Error) }, true
	}
	fn, ok := wireTypes[name]
	return fn, ok
}

// checkWire decodes an answer strictly into its wire type and compares the
// shape of the type's own encoding with the answer's.
func checkWire(t *testing.T, name string, body []byte) {
	t.Helper()
	newV, ok := wireType(name)
	if !ok {
		t.Fatalf("%s: no controlapi type for this answer: add it to wireTypes", name)
	}
	v := newV()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: the answer does not decode into %T: %v\n%s", name, v, err, body)
	}
	again, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var got, want any
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(again, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(shape("", want), shape("", got)) {
		t.Errorf("%s: %T encodes another shape than the server's answer (a field the server never sends, or one it sends and the type drops)\nserver: %s\ntype:   %s",
			name, v, body, again)
	}
}

// TestEveryGoldenHasAWireType: a new answer gets its wire type.
func TestEveryGoldenHasAWireType(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if _, ok := wireType(name); !ok {
			t.Errorf("%s: no controlapi type in wireTypes", name)
		}
	}
	for name := range wireTypes {
		if _, err := os.Stat(filepath.Join("testdata", "golden", name+".json")); err != nil {
			t.Errorf("wireTypes names %s, which has no golden file", name)
		}
	}
}
