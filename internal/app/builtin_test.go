package app

import (
	"context"
	"strings"
	"testing"
)

// The built-in scenarios are parsed on first use, not at start: every one
// of every provider must lint, and each provider has some.
func TestBuiltinScenariosLint(t *testing.T) {
	a, err := New(context.Background(), Options{NoListen: true}, Providers())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Engine.LoadBuiltins(); err != nil {
		t.Fatalf("built-in scenarios: %v", err)
	}
	per := map[string]int{}
	for _, sc := range a.Engine.List() {
		if !strings.HasPrefix(sc.Source, "builtin:"+sc.Provider+"/") {
			t.Errorf("%s: source %q", sc.Name, sc.Source)
		}
		per[sc.Provider]++
	}
	for _, p := range Providers() {
		if per[p.Name()] == 0 {
			t.Errorf("provider %s: no built-in scenario loaded", p.Name())
		}
	}
}
