package robustness

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// FuzzWiredRoutes sends fuzzed bodies, signed by the provider's
// ClientSigner so the parser is reached, to every route of every wired
// provider: never a 5xx, never an empty answer. The seeds are the
// providers' example bodies and the bad-input sweep's cases.
func FuzzWiredRoutes(f *testing.F) {
	cs := wired(f)
	h := startAll(f)
	type target struct {
		fx *fixture
		rt platform.Route
	}
	var targets []target
	for _, c := range cs {
		fx := runExamples(f, h, c)
		for _, rt := range mountOf(f, h, c.Name()).Routes() {
			if rt.HTTP == nil {
				targets = append(targets, target{fx, rt})
			}
		}
		for _, ex := range fx.resolved {
			if ex.Body != nil {
				f.Add(uint16(len(targets)-1), ex.Body)
			}
		}
	}
	for i, bc := range badCases(http.MethodPost, []byte(`{"name":"x","amount":10}`)) {
		if len(bc.body) < 4096 {
			f.Add(uint16(i), bc.body)
		}
	}
	f.Fuzz(func(t *testing.T, route uint16, body []byte) {
		tg := targets[int(route)%len(targets)]
		prefix := "/" + tg.fx.c.Name()
		if tg.rt.Host != "" {
			prefix = "/" + tg.rt.Host
		}
		req, err := http.NewRequest(tg.rt.Method, h.URL+prefix+fillPath(tg.rt.Path, tg.fx.vars), bytes.NewReader(body))
		if err != nil {
			t.Skip()
		}
		if err := tg.fx.c.SignRequest(req, body, tg.fx.sess.Creds, tg.fx.sess.Now()); err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		resp, err := noRedirect.Do(req.WithContext(ctx))
		if err != nil {
			t.Fatalf("%s %s with %q: %v", tg.rt.Method, tg.rt.Path, body, err)
		}
		ans, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		st := resp.StatusCode
		if st >= 500 {
			t.Fatalf("%s %s with %q: %d %.300s", tg.rt.Method, tg.rt.Path, body, st, ans)
		}
		if len(ans) == 0 && st != http.StatusNoContent {
			t.Fatalf("%s %s with %q: %d and an empty body", tg.rt.Method, tg.rt.Path, body, st)
		}
	})
}
