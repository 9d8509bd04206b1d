package scenario_test

import (
	"context"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
	"github.com/fakeprovider/fakeprovider/internal/scenario"
)

// builtinWidget is the test widget with built-in scenario files of its own,
// as the real providers get theirs from scenarios/<provider>/.
type builtinWidget struct {
	*platformtest.Widget
	files fs.FS
}

func (b builtinWidget) Mount(m *platform.Mount) error {
	if err := b.Widget.Mount(m); err != nil {
		return err
	}
	m.Scenarios(b.files)
	return nil
}

// widgetScenario is a scenario file of the widget provider moving the
// widget to status after 1 m: the default one of widget.created when def,
// else one for widgets named "special" only.
func widgetScenario(name string, def bool, status string) string {
	d := "match: [{field: name, equals: special}]\n"
	if def {
		d = "default: true\n"
	}
	return "version: 1\nname: " + name + "\nprovider: widget\non: widget.created\n" + d +
		"steps:\n  - after: 1m\n    status: " + status + "\n"
}

func builtins(files map[string]string) fs.FS {
	m := fstest.MapFS{}
	for name, text := range files {
		m[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return m
}

// sources lists the active scenarios as name → source.
func sources(e *scenario.Engine) map[string]string {
	out := map[string]string{}
	for _, sc := range e.List() {
		out[sc.Name] = sc.Source
	}
	return out
}

// statusAfterCreate creates a widget, advances 1 m and returns its status:
// which default scenario ran.
func statusAfterCreate(t *testing.T, h *platformtest.Harness) string {
	t.Helper()
	var w struct{ ID string }
	if st := widgetCall(t, h, http.MethodPost, "/widgets", map[string]any{"name": "gear"}, &w); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	h.Advance(time.Minute)
	return widgetStatus(t, h, w.ID)
}

// The built-in scenarios are parsed on first use; precedence is that of
// loading them first: a user file of the same name replaces the built-in
// one, a user default replaces the built-in default of its event.
func TestBuiltinPrecedenceWithUserFiles(t *testing.T) {
	base := builtins(map[string]string{
		"widget-default.yaml": widgetScenario("widget-default", true, "approved"),
		"widget-named.yaml":   widgetScenario("widget-named", false, "approved"),
		"widget-other.yaml":   widgetScenario("widget-other", false, "approved"),
	})
	tests := []struct {
		name       string
		user       map[string]string
		want       map[string]string // name → source prefix
		wantStatus string
	}{
		{
			name:       "built-ins only",
			want:       map[string]string{"widget-default": "builtin:", "widget-named": "builtin:", "widget-other": "builtin:"},
			wantStatus: "approved",
		},
		{
			name:       "user default shadows the built-in default",
			user:       map[string]string{"mine.yaml": widgetScenario("my-default", true, "declined")},
			want:       map[string]string{"my-default": "file:", "widget-named": "builtin:", "widget-other": "builtin:"},
			wantStatus: "declined",
		},
		{
			name:       "user file replaces the built-in of its name",
			user:       map[string]string{"named.yaml": widgetScenario("widget-named", false, "declined")},
			want:       map[string]string{"widget-default": "builtin:", "widget-named": "file:", "widget-other": "builtin:"},
			wantStatus: "approved",
		},
		{
			name:       "user default of the built-in default's name",
			user:       map[string]string{"d.yaml": widgetScenario("widget-default", true, "declined")},
			want:       map[string]string{"widget-default": "file:", "widget-named": "builtin:", "widget-other": "builtin:"},
			wantStatus: "declined",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var opts []platformtest.Option
			if tc.user != nil {
				opts = append(opts, platformtest.WithScenarios(scenarioDir(t, tc.user)))
			}
			h := platformtest.New(t, []platform.Provider{builtinWidget{platformtest.NewWidget(), base}}, opts...)
			got := sources(h.App.Engine)
			if len(got) != len(tc.want) {
				t.Errorf("scenarios %v, want %v", got, tc.want)
			}
			for name, prefix := range tc.want {
				if !strings.HasPrefix(got[name], prefix) {
					t.Errorf("%s: source %q, want %s…", name, got[name], prefix)
				}
			}
			if st := statusAfterCreate(t, h); st != tc.wantStatus {
				t.Errorf("status after the default scenario %q, want %q", st, tc.wantStatus)
			}
			if err := h.App.Engine.LoadBuiltins(); err != nil {
				t.Errorf("LoadBuiltins: %v", err)
			}
		})
	}
}

// A broken user file still stops the start with its line-numbered error,
// and so do two user files of one name or two user defaults of one event;
// a user file may reuse a built-in's name.
func TestUserFileErrorsStopTheStart(t *testing.T) {
	base := builtins(map[string]string{"widget-default.yaml": widgetScenario("widget-default", true, "approved")})
	tests := []struct {
		name string
		user map[string]string
		want string
	}{
		{"unknown event", map[string]string{"bad.yaml": "version: 1\nname: bad\nprovider: widget\non: widget.nope\nsteps: [{stop: true}]\n"}, "bad.yaml:4"},
		{"duplicate name", map[string]string{"a.yaml": widgetScenario("twin", false, "approved"), "b.yaml": widgetScenario("twin", false, "approved")}, `scenario name "twin" already used by file:`},
		{"two user defaults", map[string]string{"a.yaml": widgetScenario("one", true, "approved"), "b.yaml": widgetScenario("two", true, "approved")}, "already has a default scenario for widget.created"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := app.New(context.Background(), app.Options{NoListen: true, ScenariosDir: scenarioDir(t, tc.user)},
				[]platform.Provider{builtinWidget{platformtest.NewWidget(), base}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("start: %v, want an error with %q", err, tc.want)
			}
		})
	}
}

// A run-time default replaces the built-in default, also after a restart
// (it is stored), and removing it brings the built-in one back.
func TestRuntimeDefaultShadowsBuiltinAcrossRestart(t *testing.T) {
	base := builtins(map[string]string{"widget-default.yaml": widgetScenario("widget-default", true, "approved")})
	data := filepath.Join(t.TempDir(), "state.db")
	provider := func() []platform.Provider {
		return []platform.Provider{builtinWidget{platformtest.NewWidget(), base}}
	}
	h := platformtest.New(t, provider(), platformtest.WithData(data))
	if st := h.Control(http.MethodPost, "/scenarios", []byte(widgetScenario("runtime-default", true, "declined")), nil); st != http.StatusCreated {
		t.Fatalf("load run-time default: %d", st)
	}
	if got := sources(h.App.Engine); got["runtime-default"] != "runtime" || got["widget-default"] != "" {
		t.Fatalf("after loading: %v", got)
	}
	h.Stop()

	h = platformtest.New(t, provider(), platformtest.WithData(data))
	if got := sources(h.App.Engine); got["runtime-default"] != "runtime" || got["widget-default"] != "" {
		t.Errorf("after restart: %v, want the run-time default alone", got)
	}
	if st := statusAfterCreate(t, h); st != "declined" {
		t.Errorf("status %q, want declined (the run-time default)", st)
	}
	if st := h.Control(http.MethodDelete, "/scenarios/runtime-default", nil, nil); st != http.StatusNoContent {
		t.Fatalf("delete: %d", st)
	}
	if got := sources(h.App.Engine); !strings.HasPrefix(got["widget-default"], "builtin:") {
		t.Errorf("after delete: %v, want the built-in default back", got)
	}
	if st := h.Control(http.MethodDelete, "/scenarios/widget-default", nil, nil); st != http.StatusConflict {
		t.Errorf("delete of a built-in: %d, want 409", st)
	}
}

// A broken built-in does not stop the start (the built-ins are parsed on
// first use, and linted by the tests and `scenarios lint`): LoadBuiltins
// reports it, and none of the built-ins is active.
func TestBrokenBuiltinReportedByLoadBuiltins(t *testing.T) {
	base := builtins(map[string]string{
		"good.yaml": widgetScenario("good", false, "approved"),
		"bad.yaml":  "version: 1\nname: bad\nprovider: widget\non: widget.nope\nsteps: [{stop: true}]\n",
	})
	a, err := app.New(context.Background(), app.Options{NoListen: true}, []platform.Provider{builtinWidget{platformtest.NewWidget(), base}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Engine.LoadBuiltins(); err == nil || !strings.Contains(err.Error(), "builtin:widget/bad.yaml:4") {
		t.Errorf("LoadBuiltins: %v, want the line-numbered error of bad.yaml", err)
	}
	if got := sources(a.Engine); len(got) != 0 {
		t.Errorf("scenarios %v, want none", got)
	}
}

// The first uses may come at once (a listing and events): every one sees
// the built-ins.
func TestBuiltinsFirstUseConcurrent(t *testing.T) {
	base := builtins(map[string]string{"widget-default.yaml": widgetScenario("widget-default", true, "approved")})
	h := platformtest.New(t, []platform.Provider{builtinWidget{platformtest.NewWidget(), base}})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if _, ok := h.App.Engine.Get("widget-default"); !ok {
				t.Error("built-in default not found")
			}
		}()
		go func() {
			defer wg.Done()
			widgetCall(t, h, http.MethodPost, "/widgets", map[string]any{"name": "gear"}, nil)
		}()
	}
	wg.Wait()
	var runs struct{ Runs []struct{ Scenario string } }
	h.Control(http.MethodGet, "/scenarios/runs", nil, &runs)
	if len(runs.Runs) != 4 {
		t.Fatalf("runs %+v, want 4 of widget-default", runs.Runs)
	}
	for _, r := range runs.Runs {
		if r.Scenario != "widget-default" {
			t.Errorf("run of %q, want widget-default", r.Scenario)
		}
	}
}
