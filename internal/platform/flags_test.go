package platform_test

import (
	"flag"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

type bindOptions struct {
	Window  time.Duration `flag:"p-window" usage:"a window"`
	Mode    string        `flag:"p-mode" usage:"a mode"`
	On      bool          `flag:"p-on" usage:"a switch"`
	Seed    int           `flag:"p-seed" usage:"a seed"`
	Scale   float64       `flag:"p-scale" usage:"a scale"`
	private int
}

func TestBind(t *testing.T) {
	env := map[string]string{"FAKEPROVIDER_P_MODE": "env", "FAKEPROVIDER_P_SEED": "lots"}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := platform.NewFlagSet(fs, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	opts := bindOptions{Window: 5 * time.Second, Mode: "default", Seed: 1, Scale: 1.5, private: 7}
	f.Bind(&opts)
	if !slices.Equal(f.Names, []string{"p-window", "p-mode", "p-on", "p-seed", "p-scale"}) {
		t.Errorf("names %v", f.Names)
	}
	if len(f.Errs) != 1 {
		t.Errorf("errs %v, want the bad FAKEPROVIDER_P_SEED", f.Errs)
	}
	if opts.Mode != "env" || opts.Seed != 1 || opts.Window != 5*time.Second {
		t.Errorf("before parse: %+v", opts)
	}
	if u := fs.Lookup("p-window").Usage; u != "a window (env FAKEPROVIDER_P_WINDOW)" {
		t.Errorf("usage %q", u)
	}
	if err := fs.Parse([]string{"--p-window", "1m", "--p-on", "--p-scale", "2"}); err != nil {
		t.Fatal(err)
	}
	want := bindOptions{Window: time.Minute, Mode: "env", On: true, Seed: 1, Scale: 2, private: 7}
	if opts != want {
		t.Errorf("after parse: %+v, want %+v", opts, want)
	}
}

func TestBindRefusesUnsupportedTypes(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a []string option")
		}
	}()
	var opts struct {
		List []string `flag:"p-list"`
	}
	platform.NewFlagSet(flag.NewFlagSet("t", flag.ContinueOnError), nil).Bind(&opts)
}
