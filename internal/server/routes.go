package server

import (
	"fmt"
	"sort"
	"strings"

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

// checkTemplate refuses what the dispatcher's matcher does not support: a
// segment is a literal without braces or a whole {name} variable (no
// regexp patterns, no variable inside a segment).
func checkTemplate(path string) error {
	for _, seg := range segments(path) {
		if strings.ContainsAny(seg, "{}") && !isNameVar(seg) {
			return fmt.Errorf("segment %q: a variable is a whole segment {name}, without a pattern", seg)
		}
	}
	return nil
}

// isNameVar reports whether seg is {name}, name an identifier.
func isNameVar(seg string) bool {
	if len(seg) < 3 || seg[0] != '{' || seg[len(seg)-1] != '}' {
		return false
	}
	name := seg[1 : len(seg)-1]
	for i, c := range name {
		if c != '_' && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
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
			if err := checkTemplate(rt.Path); err != nil {
				return nil, fmt.Errorf("provider %s: route %s %s: %w", m.Provider(), rt.Method, rt.Path, err)
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
	path := prefix + e.route.Path
	twin := path + "/"
	if strings.HasSuffix(path, "/") {
		twin = strings.TrimSuffix(path, "/")
	}
	return []pattern{
		{path: path, method: e.route.Method, handler: h, mount: e.mount, prefix: prefix},
		{path: twin, method: e.route.Method, handler: h, mount: e.mount, prefix: prefix},
	}
}
