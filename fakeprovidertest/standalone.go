package fakeprovidertest

import (
	"fmt"
	"io"
	"log/slog"
	"testing"
)

// New starts a server outside a test (a development server, a runnable
// example, a TestMain of your own): the caller must Close it, which removes
// its state. Helpers of a server made by New panic where Start's would call
// t.Fatalf.
func New(opts ...Option) (*Server, error) {
	c := config{opts: appOptions{ExplainAuth: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	for _, o := range opts {
		o(&c)
	}
	s, err := start(c)
	if err != nil {
		return nil, err
	}
	s.Tenant.t = panicTB{}
	return s, nil
}

// panicTB is the testing.TB of handles used outside a test: it implements
// the methods the helpers call; the embedded nil TB is never used.
type panicTB struct{ testing.TB }

func (panicTB) Helper()                           {}
func (panicTB) Log(args ...any)                   {}
func (panicTB) Logf(format string, args ...any)   {}
func (panicTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (panicTB) Errorf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
