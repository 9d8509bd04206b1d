package platform_test

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// echoSpec signs with a header naming what it was given, so the test sees
// how the command line was read.
var echoSpec = platform.SignSpec{
	Base:    "http://localhost:8080/echo",
	Path:    "/things",
	Headers: []string{"X-Call", "X-Empty"},
	Flags: func(fs *flag.FlagSet) func(*platform.SignCall) error {
		tag := fs.String("tag", "none", "a provider flag")
		return func(c *platform.SignCall) error {
			c.Header.Set("X-Call", c.Method+" "+c.Path+" "+string(c.Body)+" "+*tag)
			c.Header.Set("X-Empty", "")
			c.Notes = append(c.Notes, "note")
			return nil
		}
	},
}

func TestRunSign(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"defaults", nil, "X-Call: GET /things  none\nX-Empty: \ncurl -sS -X GET -H 'X-Call: GET /things  none' -H 'X-Empty;' 'http://localhost:8080/echo/things'\n# note\n"},
		{"flags", []string{"-method", "put", "-path", "/a?b=1", "-body", `{"x":"it's"}`, "-tag", "t", "-url", "http://h/"},
			"X-Call: PUT /a?b=1 {\"x\":\"it's\"} t\nX-Empty: \ncurl -sS -X PUT -H 'X-Call: PUT /a?b=1 {\"x\":\"it'\\''s\"} t' -H 'X-Empty;' --data-raw '{\"x\":\"it'\\''s\"}' 'http://h/a?b=1'\n# note\n"},
		{"positional path and body: POST", []string{"/p", "{}"}, "X-Call: POST /p {} none\n"},
		{"positional method", []string{"-tag", "x", "DELETE", "/p/1"}, "X-Call: DELETE /p/1  x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := platform.RunSign("echo", echoSpec, tt.args, nil, &out); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(out.String(), tt.want) {
				t.Errorf("got\n%s\nwant prefix\n%s", out.String(), tt.want)
			}
		})
	}
}

func TestRunSignRefuses(t *testing.T) {
	var out bytes.Buffer
	if err := platform.RunSign("echo", echoSpec, []string{"-h"}, nil, &out); !errors.Is(err, flag.ErrHelp) ||
		!strings.Contains(out.String(), "usage: fakeprovider sign echo [flags] [METHOD] PATH [BODY]") || !strings.Contains(out.String(), "-tag") {
		t.Errorf("-h: %v\n%s", err, out.String())
	}
	noPath := echoSpec
	noPath.Path = ""
	for _, args := range [][]string{nil, {"things"}, {"/a", "b", "c"}} {
		if err := platform.RunSign("echo", noPath, args, nil, &out); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}
