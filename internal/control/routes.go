package control

import (
	"net/http"
	"strings"
)

// RouteView is one provider route as GET /_fakeprovider/routes lists it.
type RouteView struct {
	Provider string `json:"provider"`
	// Host is the provider's name for its main host, or the name of the
	// extra host the route is served on.
	Host   string `json:"host"`
	Method string `json:"method"`
	// Path is the real path (on the provider's own listener, or on the
	// shared port for main-host routes); PrefixedPath the same route under
	// /<host>/ on the shared port.
	Path         string `json:"path"`
	PrefixedPath string `json:"prefixed_path"`
	Name         string `json:"name"`
	// Inferred says why the route's contract is inferred rather than
	// documented; absent for documented routes.
	Inferred string `json:"inferred,omitempty"`
}

// routes is GET /routes[?provider=…][&inferred=true]: every provider route
// in declaration order.
func (a *API) routes(r *http.Request) (any, error) {
	q := r.URL.Query()
	only := q.Get("provider")
	inferredOnly := q.Get("inferred") == "true"
	out := []RouteView{}
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
			out = append(out, RouteView{
				Provider: m.Provider(), Host: host, Method: rt.Method, Path: rt.Path,
				PrefixedPath: "/" + host + rt.Path, Name: rt.Name, Inferred: rt.Inferred,
			})
		}
	}
	return map[string]any{"routes": out, "inferred_count": countInferred(out)}, nil
}

func countInferred(rs []RouteView) int {
	n := 0
	for _, r := range rs {
		if strings.TrimSpace(r.Inferred) != "" {
			n++
		}
	}
	return n
}
