package server

import (
	"net/http"
	"sort"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/journal"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// pattern is one registered route template with its handler.
type pattern struct {
	path    string
	method  string
	handler http.Handler
	// mount is the provider serving the route (nil in tests of the
	// dispatcher alone): it answers a wrong method on the path.
	mount *platform.Mount
	// prefix is the mount prefix the template is served under ("/d24",
	// or "" at the real path).
	prefix string
	// names[i] is the variable of segment i of the template ("" for a
	// literal), set by newDispatcher.
	names []string
}

// dispatcher matches a request's escaped path against the route templates
// and serves the first registered template matching path and method. A
// template is a path of literal segments and {name} variables; a variable
// matches one non-empty segment, anything but "/" (as gorilla/mux's
// default pattern, which the templates were written for). Paths are taken
// as escaped and never cleaned: "%2F" stays inside a segment, "//" and
// "/../" are not rewritten, a trailing slash is one more (empty) segment.
// A path some template matches with another method gets the 405 of the
// first such template's provider; any other path a 404.
//
// The templates form a tree of segments, walked along both a literal child
// and the variable child at each step, so the cost of a match grows with
// the path's length, not with the number of routes, and takes no
// allocation.
type dispatcher struct {
	control  http.Handler // /_fakeprovider/…, or nil
	patterns []pattern
	root     *node

	// owners answers unknown paths by their first segment (a provider's
	// prefix or a first segment only it uses) with that provider's own
	// not-found error; only does so for every unknown path (a provider's
	// own listener). Other unknown paths get the neutral 404.
	owners map[string]http.Handler
	only   http.Handler
}

// node is a segment of the template tree.
type node struct {
	literals map[string]*node
	variable *node
	// ends are the templates ending here, as indexes into patterns
	// (ascending: registration order).
	ends []int
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
	d := &dispatcher{control: control, patterns: patterns, root: &node{}}
	for i := range d.patterns {
		p := &d.patterns[i]
		if !strings.HasPrefix(p.path, "/") {
			continue // never matches: a request path starts with "/"
		}
		segs := segments(p.path)
		p.names = make([]string, len(segs))
		n := d.root
		for k, seg := range segs {
			if isVar(seg) {
				p.names[k] = seg[1 : len(seg)-1]
				if n.variable == nil {
					n.variable = &node{}
				}
				n = n.variable
				continue
			}
			if n.literals == nil {
				n.literals = map[string]*node{}
			}
			next := n.literals[seg]
			if next == nil {
				next = &node{}
				n.literals[seg] = next
			}
			n = next
		}
		n.ends = append(n.ends, i)
	}
	return d
}

// match returns the first template (in registration order) matching path
// and method, or -1; any tells whether some template matches the path with
// any method.
func (d *dispatcher) match(path, method string) (best int, any bool) {
	s := search{d: d, method: method, best: -1}
	if strings.HasPrefix(path, "/") {
		s.walk(d.root, path[1:])
	}
	return s.best, s.any
}

// pathMatches lists, in registration order, the templates matching path
// whatever the method (for the 405 answer).
func (d *dispatcher) pathMatches(path string) []int {
	s := search{d: d, best: -1, collect: true}
	if strings.HasPrefix(path, "/") {
		s.walk(d.root, path[1:])
	}
	sort.Ints(s.all)
	return s.all
}

// search is one walk of the template tree for a path.
type search struct {
	d      *dispatcher
	method string
	best   int  // first template matching path and method, or -1
	any    bool // some template matches the path
	// collect: gather every template matching the path in all.
	collect bool
	all     []int
}

// walk visits every node that rest (the path after a "/") leads to from n:
// through the literal child named by the segment and, for a non-empty
// segment, through the variable child.
func (s *search) walk(n *node, rest string) {
	seg, tail, more := strings.Cut(rest, "/")
	if next := n.literals[seg]; next != nil {
		s.step(next, tail, more)
	}
	if n.variable != nil && seg != "" {
		s.step(n.variable, tail, more)
	}
}

func (s *search) step(n *node, tail string, more bool) {
	if more {
		s.walk(n, tail)
		return
	}
	if len(n.ends) == 0 {
		return
	}
	s.any = true
	if s.collect {
		s.all = append(s.all, n.ends...)
		return
	}
	for _, i := range n.ends {
		if s.best >= 0 && i > s.best {
			return
		}
		if s.d.patterns[i].method == s.method {
			s.best = i
			return
		}
	}
}

// methodNotAllowed answers a wrong method in the voice of the provider of
// the first template matching the path, with an Allow header listing that
// provider's methods for the path.
func (d *dispatcher) methodNotAllowed(w http.ResponseWriter, r *http.Request, path string) {
	journal.From(r.Context()).SetUnmatched()
	var owner *platform.Mount
	var allow []string
	seen := map[string]bool{}
	for _, i := range d.pathMatches(path) {
		p := &d.patterns[i]
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
	best, any := d.match(path, r.Method)
	switch {
	case best >= 0:
		p := &d.patterns[best]
		if s := platform.ScopeOf(r); s != nil {
			s.SetRoute(p.names, path, p.prefix)
		} else {
			r = platform.WithRoute(r, p.vars(path), p.prefix)
		}
		p.handler.ServeHTTP(w, r)
	case any:
		d.methodNotAllowed(w, r, path)
	default:
		d.notFound(w, r)
	}
}

// vars returns the variables of path matched by p, as a map.
func (p *pattern) vars(path string) map[string]string {
	out := map[string]string{}
	for i, seg := range segments(path) {
		if i < len(p.names) && p.names[i] != "" {
			out[p.names[i]] = seg
		}
	}
	return out
}
