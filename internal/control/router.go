package control

import (
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/gorilla/mux"
)

// Routes is the control API's route table. Registering a route only
// records it: gorilla compiles a regular expression per route, which for
// some sixty routes was a fifth of the emulator's start. The routes are
// grouped by their first path segment, and each group's gorilla router is
// built when a request first needs it (a health check builds the one of
// /health alone). A request can only match routes whose first segment is
// its own (or a variable), in their registration order, so the answers
// are those of one router holding every route, 404 and 405 included.
//
// Every route is registered before the first request is served.
type Routes struct {
	routes []*Route

	once     sync.Once
	literals map[string]bool // literal first segments of the templates
	mu       sync.RWMutex
	groups   map[string]*mux.Router
	root     *mux.Router
}

// Route is one recorded route: a path template (or prefix) with its
// methods (none: every method) and handler.
type Route struct {
	path    string
	prefix  bool
	methods []string
	handler http.Handler
}

// Handle records a route for the path template (gorilla's syntax).
func (rs *Routes) Handle(path string, h http.Handler) *Route {
	r := &Route{path: path, handler: h}
	rs.routes = append(rs.routes, r)
	return r
}

// HandleFunc records a route for the path template.
func (rs *Routes) HandleFunc(path string, f func(http.ResponseWriter, *http.Request)) *Route {
	return rs.Handle(path, http.HandlerFunc(f))
}

// PathPrefix records a route for every path under prefix; set its handler
// with Handler or HandlerFunc.
func (rs *Routes) PathPrefix(prefix string) *Route {
	r := &Route{path: prefix, prefix: true}
	rs.routes = append(rs.routes, r)
	return r
}

// Methods restricts the route to methods.
func (r *Route) Methods(methods ...string) *Route {
	r.methods = append(r.methods, methods...)
	return r
}

// Handler sets the route's handler.
func (r *Route) Handler(h http.Handler) *Route {
	r.handler = h
	return r
}

// HandlerFunc sets the route's handler.
func (r *Route) HandlerFunc(f func(http.ResponseWriter, *http.Request)) *Route {
	return r.Handler(http.HandlerFunc(f))
}

// addTo registers the route on a gorilla router.
func (r *Route) addTo(m *mux.Router) {
	var gr *mux.Route
	if r.prefix {
		gr = m.PathPrefix(r.path).Handler(r.handler)
	} else {
		gr = m.Handle(r.path, r.handler)
	}
	if len(r.methods) > 0 {
		// A copy: gorilla upper-cases the slice it is given in place, and
		// groups are built concurrently.
		gr.Methods(slices.Clone(r.methods)...)
	}
}

// anyFirst is the group key of first segments no template has literally.
const anyFirst = "\x00"

// firstSegment is a path's first segment ("/a/b" → "a").
func firstSegment(path string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return first
}

// literalFirst is the template's first segment when every path it matches
// starts with exactly that segment, or "" (a variable, or a prefix that
// may end inside the segment).
func (r *Route) literalFirst() string {
	rest := strings.TrimPrefix(r.path, "/")
	first, _, closed := strings.Cut(rest, "/")
	if strings.Contains(first, "{") || (r.prefix && !closed) {
		return ""
	}
	return first
}

// Mount serves the routes on m (the control API's router, whose 404 and
// 405 handlers answer what no route matches), through one route.
func (rs *Routes) Mount(m *mux.Router) {
	rs.match(m)
	rs.mu.Lock()
	rs.root = m
	rs.mu.Unlock()
}

// match adds to m the one route that matches through the groups.
func (rs *Routes) match(m *mux.Router) {
	m.NewRoute().MatcherFunc(func(req *http.Request, match *mux.RouteMatch) bool {
		return rs.group(req.URL.EscapedPath()).Match(req, match)
	})
}

// ServeHTTP serves a request through the router given to Mount (before
// Mount, through a bare router: gorilla's own 404 and 405).
func (rs *Routes) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	rs.mu.RLock()
	root := rs.root
	rs.mu.RUnlock()
	if root == nil {
		root = newRouter()
		rs.match(root)
	}
	root.ServeHTTP(w, req)
}

// Router returns one gorilla router holding every route (to walk them).
func (rs *Routes) Router() *mux.Router {
	m := newRouter()
	for _, r := range rs.routes {
		r.addTo(m)
	}
	return m
}

func newRouter() *mux.Router { return mux.NewRouter().SkipClean(true).UseEncodedPath() }

// group returns the router of the routes a path can match, building it on
// first use. Its 404 and 405 handlers are unset, so that a miss falls
// through to the mounting router's.
func (rs *Routes) group(path string) *mux.Router {
	rs.once.Do(func() {
		rs.literals = map[string]bool{}
		for _, r := range rs.routes {
			if f := r.literalFirst(); f != "" {
				rs.literals[f] = true
			}
		}
	})
	key := firstSegment(path)
	if !rs.literals[key] {
		key = anyFirst
	}
	rs.mu.RLock()
	g, ok := rs.groups[key]
	rs.mu.RUnlock()
	if ok {
		return g
	}
	g = newRouter()
	for _, r := range rs.routes {
		if f := r.literalFirst(); f == "" || f == key {
			r.addTo(g)
		}
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if prev, ok := rs.groups[key]; ok {
		return prev
	}
	if rs.groups == nil {
		rs.groups = map[string]*mux.Router{}
	}
	rs.groups[key] = g
	return g
}
