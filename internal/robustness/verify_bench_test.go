package robustness

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// BenchmarkVerify measures each wired provider's signature verification
// alone: the Verifier of the route an example reaches, on requests signed
// beforehand by the provider's ClientSigner, one sub-benchmark per example
// (so every auth scheme and credential class an example uses: public and
// named users, deposit and read-only keys, reads and signed bodies).
func BenchmarkVerify(b *testing.B) {
	h := startAll(b)
	for _, c := range wired(b) {
		fx := runExamples(b, h, c)
		routes := mountOf(b, h, c.Name()).Routes()
		for _, ex := range fx.resolved {
			rt := routeOf(routes, ex)
			if rt == nil || rt.Verify == nil {
				continue
			}
			name := c.Name() + "/" + ex.Name
			b.Run(name, func(b *testing.B) {
				// A pool of requests signed now, reused in turn: fresh enough
				// for every time window during a benchmark round.
				reqs := make([]*http.Request, min(b.N, 512))
				for i := range reqs {
					r, err := SignedRequest(context.Background(), "http://emulator.test", c, fx.sess.Creds, ex.Method, ex.Path, ex.Body, time.Now())
					if err != nil {
						b.Fatal(err)
					}
					reqs[i] = r
				}
				if _, err := rt.Verify(reqs[0], ex.Body); err != nil {
					b.Fatalf("%s %s does not verify: %v", ex.Method, ex.Path, err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := rt.Verify(reqs[i%len(reqs)], ex.Body); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// routeOf finds the route an example's method and path reach.
func routeOf(routes []platform.Route, ex platform.Example) *platform.Route {
	for i, rt := range routes {
		if rt.Method != ex.Method || rt.Host != ex.Host {
			continue
		}
		if _, ok := matchRoute(rt.Path, ex.Path); ok {
			return &routes[i]
		}
	}
	return nil
}
