package server

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/gorilla/mux"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// routeEntry is a provider route with where it is served.
type routeEntry struct {
	mount *platform.Mount
	route *platform.Route
	// host is the provider name for main-host routes, or the extra host's name.
	host string
	// shared: served at its real path on the shared port (main hosts only).
	shared bool
}

// shape is a route template with variable names erased: two routes with one
// method and one shape would answer the same requests.
func shape(path string) string {
	var b strings.Builder
	b.Grow(len(path))
	for {
		open := strings.IndexByte(path, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(path[open:], '}')
		if end < 0 {
			break
		}
		b.WriteString(path[:open+1])
		b.WriteByte('}')
		path = path[open+end+1:]
	}
	b.WriteString(path)
	return strings.TrimSuffix(b.String(), "/")
}

// specificity orders routes so that literal segments win over variables
// (D24's /v1/kyc before Difitek's /v1/{network}), then longer paths first.
func specificity(path string) (literals, segments int) {
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		segments++
		if !strings.Contains(seg, "{") {
			literals++
		}
	}
	return
}

// collectRoutes lists every route and refuses collisions: two providers (or
// one provider twice) claiming the same method and path shape on the same
// listener.
func collectRoutes(mounts []*platform.Mount) ([]routeEntry, error) {
	n := 0
	for _, m := range mounts {
		n += len(m.Routes())
	}
	out := make([]routeEntry, 0, n)
	owner := make(map[string]string, 2*n) // "listener method shape" → provider
	for _, m := range mounts {
		if m.Writer() == nil {
			return nil, fmt.Errorf("provider %s: no writer set in Mount", m.Provider())
		}
		hosts := map[string]bool{}
		for _, h := range m.Hosts() {
			hosts[h.Name] = true
		}
		routes := m.Routes()
		for i := range routes {
			rt := &routes[i]
			if rt.Host != "" && !hosts[rt.Host] {
				return nil, fmt.Errorf("provider %s: route %s %s on undeclared host %q", m.Provider(), rt.Method, rt.Path, rt.Host)
			}
			if rt.Handler == nil && rt.HTTP == nil {
				return nil, fmt.Errorf("provider %s: route %s %s has no handler", m.Provider(), rt.Method, rt.Path)
			}
			if rt.Handler != nil && rt.Verify == nil {
				return nil, fmt.Errorf("provider %s: route %s %s has no verifier (use platform.NoAuth)", m.Provider(), rt.Method, rt.Path)
			}
			if !strings.HasPrefix(rt.Path, "/") {
				return nil, fmt.Errorf("provider %s: route path %q must start with /", m.Provider(), rt.Path)
			}
			e := routeEntry{mount: m, route: rt, host: m.Provider(), shared: rt.Host == ""}
			if rt.Host != "" {
				e.host = rt.Host
			}
			// Real paths share one listener; prefixed and per-host listeners are per host.
			listeners := []string{"host:" + e.host}
			if e.shared {
				listeners = append(listeners, "shared")
			}
			for _, l := range listeners {
				key := l + " " + rt.Method + " " + shape(rt.Path)
				if prev, dup := owner[key]; dup {
					return nil, fmt.Errorf("route collision: %s %s claimed by %s and %s", rt.Method, rt.Path, prev, m.Provider())
				}
				owner[key] = m.Provider()
			}
			out = append(out, e)
		}
	}
	// The keys are computed once, not at every comparison.
	type keyed struct {
		e                  routeEntry
		literals, segments int
	}
	ks := make([]keyed, len(out))
	for i, e := range out {
		l, s := specificity(e.route.Path)
		ks[i] = keyed{e, l, s}
	}
	sort.SliceStable(ks, func(i, j int) bool {
		if ks[i].literals != ks[j].literals {
			return ks[i].literals > ks[j].literals
		}
		return ks[i].segments > ks[j].segments
	})
	for i := range ks {
		out[i] = ks[i].e
	}
	return out, nil
}

// patternsOf returns a route's templates at prefix+path and its
// trailing-slash twin.
func patternsOf(prefix string, e routeEntry) []pattern {
	h := e.mount.ServeRoute(e.route)
	wrapped := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h.ServeHTTP(w, platform.WithRoute(req, mux.Vars(req), prefix))
	})
	path := prefix + e.route.Path
	twin := path + "/"
	if strings.HasSuffix(path, "/") {
		twin = strings.TrimSuffix(path, "/")
	}
	return []pattern{
		{path: path, method: e.route.Method, handler: wrapped, mount: e.mount},
		{path: twin, method: e.route.Method, handler: wrapped, mount: e.mount},
	}
}
