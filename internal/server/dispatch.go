package server

import (
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/gorilla/mux"

	"github.com/fakeprovider/fakeprovider/internal/journal"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// dispatchDepth is how many leading path segments select a bucket.
const dispatchDepth = 4

// pattern is one registered route template with its handler.
type pattern struct {
	path    string
	method  string
	handler http.Handler
	// mount is the provider serving the route (nil in tests of the
	// dispatcher alone): it answers a wrong method on the path.
	mount *platform.Mount
}

// dispatcher picks a small gorilla router by the request's leading path
// segments before gorilla matches. gorilla tries routes one by one (a
// regexp each), so one router holding every provider's routes under every
// prefix costs time linear in all routes. A request's leading segments are
// reduced to a key: a segment stays as is when some template has that
// literal at that position, and becomes "*" otherwise (an id, a network
// name). The key's bucket holds, in the original order, every template that
// could match such a path, so answers (404 and 405 included) are those of
// one big router. Buckets are built on first use: the number of keys is
// bounded by the templates' literals, not by the ids clients send.
type dispatcher struct {
	control  http.Handler // /_fakeprovider/…, or nil
	patterns []pattern
	literals []map[string]bool // literal segments by position

	// owners answers unknown paths by their first segment (a provider's
	// prefix or a first segment only it uses) with that provider's own
	// not-found error; only does so for every unknown path (a provider's
	// own listener). Other unknown paths get the neutral 404.
	owners map[string]http.Handler
	only   http.Handler

	mu      sync.RWMutex
	buckets map[string]*mux.Router
}

// owners maps first path segments to the provider that alone uses them:
// "/<host>" prefixes, and the first literal segment of real paths that no
// other provider shares (D24's "v3", CrowdTrust's "bacapi").
func owners(entries []routeEntry) map[string]http.Handler {
	out := map[string]http.Handler{}
	byFirst := map[string]map[*platform.Mount]bool{}
	for _, e := range entries {
		if _, ok := out[e.host]; !ok {
			out[e.host] = e.mount.NotFound()
		}
		if !e.shared {
			continue
		}
		first := firstSegment(e.route.Path)
		if isVar(first) {
			continue
		}
		if byFirst[first] == nil {
			byFirst[first] = map[*platform.Mount]bool{}
		}
		byFirst[first][e.mount] = true
	}
	for first, ms := range byFirst {
		if _, taken := out[first]; taken || len(ms) != 1 {
			continue
		}
		for m := range ms {
			out[first] = m.NotFound()
		}
	}
	return out
}

// notFound answers a path no route matches.
func (d *dispatcher) notFound(w http.ResponseWriter, r *http.Request) {
	journal.From(r.Context()).SetUnmatched()
	if d.only != nil {
		d.only.ServeHTTP(w, r)
		return
	}
	if h, ok := d.owners[firstSegment(r.URL.EscapedPath())]; ok {
		h.ServeHTTP(w, r)
		return
	}
	neutralNotFound(w, r)
}

// segments splits an escaped path into its segments ("/a/b/" → a, b, "").
func segments(path string) []string {
	return strings.Split(strings.TrimPrefix(path, "/"), "/")
}

// firstSegment is segments(path)[0], without splitting the rest.
func firstSegment(path string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return first
}

func isVar(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// newDispatcher dispatches to patterns (in match order) and routes the
// control API to control.
func newDispatcher(control http.Handler, patterns []pattern) *dispatcher {
	d := &dispatcher{control: control, patterns: patterns, buckets: map[string]*mux.Router{}}
	d.literals = make([]map[string]bool, dispatchDepth)
	for i := range d.literals {
		d.literals[i] = map[string]bool{}
	}
	for _, p := range patterns {
		i := 0
		for seg := range strings.SplitSeq(strings.TrimPrefix(p.path, "/"), "/") {
			if i == dispatchDepth {
				break
			}
			if !isVar(seg) {
				d.literals[i][seg] = true
			}
			i++
		}
	}
	return d
}

// key reduces a request path to its bucket key. A path of at most
// dispatchDepth segments is closed with "$": only templates of exactly that
// many segments can match it.
func (d *dispatcher) key(path string) (key []string) {
	segs := segments(path)
	for i, seg := range segs {
		if i == dispatchDepth {
			return key
		}
		if !d.literals[i][seg] {
			seg = "*"
		}
		key = append(key, seg)
	}
	return append(key, "$")
}

// compatible reports whether template could match a path reduced to key.
// Over-inclusion is harmless (gorilla then does not match); exclusion is
// only for a literal that differs or a length that cannot match.
func compatible(template string, key []string) bool {
	tpl := segments(template)
	for i, k := range key {
		if k == "$" {
			return len(tpl) == i
		}
		if i >= len(tpl) {
			return false
		}
		if seg := tpl[i]; !isVar(seg) && seg != k {
			return false
		}
	}
	return true
}

func (d *dispatcher) bucket(path string) *mux.Router {
	key := d.key(path)
	name := strings.Join(key, "/")
	d.mu.RLock()
	b, ok := d.buckets[name]
	d.mu.RUnlock()
	if ok {
		return b
	}
	b = newRouter()
	b.NotFoundHandler = http.HandlerFunc(d.notFound)
	var paths []pathRoute
	probe := mux.NewRouter().SkipClean(true).UseEncodedPath()
	for _, p := range d.patterns {
		if compatible(p.path, key) {
			b.Handle(p.path, p.handler).Methods(p.method)
			paths = append(paths, pathRoute{route: probe.Path(p.path), method: p.method, mount: p.mount})
		}
	}
	b.MethodNotAllowedHandler = methodNotAllowed(paths)
	d.mu.Lock()
	if prev, ok := d.buckets[name]; ok {
		b = prev
	} else {
		d.buckets[name] = b
	}
	d.mu.Unlock()
	return b
}

// pathRoute is a bucket's template without its method, to find who owns a
// path that was requested with a method it does not serve.
type pathRoute struct {
	route  *mux.Route
	method string
	mount  *platform.Mount
}

// methodNotAllowed answers a wrong method in the voice of the provider of
// the first route matching the path, with an Allow header listing that
// provider's methods for the path.
func methodNotAllowed(paths []pathRoute) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		journal.From(r.Context()).SetUnmatched()
		var owner *platform.Mount
		var allow []string
		seen := map[string]bool{}
		for _, p := range paths {
			if !p.route.Match(r, &mux.RouteMatch{}) {
				continue
			}
			if owner == nil {
				owner = p.mount
			}
			if p.mount == owner && !seen[p.method] {
				seen[p.method] = true
				allow = append(allow, p.method)
			}
		}
		if owner == nil {
			neutralMethodNotAllowed(w, r)
			return
		}
		sort.Strings(allow)
		owner.MethodNotAllowed(allow).ServeHTTP(w, r)
	})
}

// InspectorPath is the web inspector's page.
const InspectorPath = ControlPrefix + "/ui"

// toInspector are the paths a person types for the emulator's page.
var toInspector = map[string]bool{"/": true, ControlPrefix: true, ControlPrefix + "/": true, InspectorPath + "/": true}

func (d *dispatcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	if d.control != nil && toInspector[path] && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		target := InspectorPath
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusFound)
		return
	}
	if d.control != nil && (path == ControlPrefix || strings.HasPrefix(path, ControlPrefix+"/")) {
		d.control.ServeHTTP(w, r)
		return
	}
	d.bucket(path).ServeHTTP(w, r)
}
