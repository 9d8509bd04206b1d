package control

import (
	"net/http"
	"strings"

	"github.com/fakeprovider/fakeprovider/controlapi"
)

// routes is GET /routes[?provider=…][&inferred=true]: every provider route
// in declaration order.
func (a *API) routes(r *http.Request) (any, error) {
	q := r.URL.Query()
	only := q.Get("provider")
	inferredOnly := q.Get("inferred") == "true"
	out := []controlapi.Route{}
	for _, m := range a.Mounts {
		if only != "" && m.Provider() != only {
			continue
		}
		for _, rt := range m.Routes() {
			if inferredOnly && rt.Inferred == "" {
				continue
			}
			host := rt.Host
			if host == "" {
				host = m.Provider()
			}
			out = append(out, controlapi.Route{
				Provider: m.Provider(), Host: host, Method: rt.Method, Path: rt.Path,
				PrefixedPath: "/" + host + rt.Path, Name: rt.Name, Inferred: rt.Inferred,
			})
		}
	}
	return controlapi.RouteList{Routes: out, InferredCount: countInferred(out)}, nil
}

func countInferred(rs []controlapi.Route) int {
	n := 0
	for _, r := range rs {
		if strings.TrimSpace(r.Inferred) != "" {
			n++
		}
	}
	return n
}
