package control

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/fakeprovider/fakeprovider/controlapi"
	"github.com/fakeprovider/fakeprovider/internal/journal"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/textdist"
)

// registerRequests adds the journal's endpoints: list, count and find by
// criteria, one entry, clearing, and unmatched requests with their nearest
// routes (after WireMock's /__admin/requests family).
func (a *API) registerRequests(r *Routes) {
	r.Handle("/requests", a.JSON(a.requests)).Methods(http.MethodGet)
	r.Handle("/requests", a.JSON(a.clearRequests)).Methods(http.MethodDelete)
	r.Handle("/requests/count", a.JSON(a.countRequests)).Methods(http.MethodGet, http.MethodPost)
	r.Handle("/requests/find", a.JSON(a.findRequests)).Methods(http.MethodPost)
	r.Handle("/requests/unmatched", a.JSON(a.unmatched)).Methods(http.MethodGet)
	r.Handle("/requests/{id}", a.JSON(a.request)).Methods(http.MethodGet)
}

// criteria is the JSON body of POST /requests/count and /requests/find: the
// same names as the query parameters of GET /requests.
type criteria controlapi.Criteria

// filterFromQuery reads the criteria of GET /requests and /requests/count.
func filterFromQuery(q url.Values) (journal.Filter, error) {
	c := criteria{
		Provider: q.Get("provider"), Tenant: q.Get("tenant"), Method: q.Get("method"), Path: q.Get("path"),
		PathPrefix: q.Get("path_prefix"), Auth: q.Get("auth"), Route: q.Get("route"),
		Unmatched: q.Get("unmatched") == "true", Since: q.Get("since"), Until: q.Get("until"), Text: q.Get("text"),
	}
	if s := q.Get("status"); s != "" {
		c.Status = s
	}
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return journal.Filter{}, platform.BadControl("offset must be a non-negative integer, not %q", s)
		}
		c.Offset = n
	}
	return c.filter()
}

// filter checks the criteria and turns them into a journal filter.
func (c criteria) filter() (journal.Filter, error) {
	f := journal.Filter{Provider: c.Provider, Tenant: c.Tenant, Method: strings.ToUpper(c.Method), Path: c.Path,
		PathPrefix: c.PathPrefix, Route: c.Route, Unmatched: c.Unmatched, Text: c.Text, Offset: max(c.Offset, 0)}
	switch v := c.Status.(type) {
	case nil:
	case float64:
		f.Status = int(v)
	case string:
		switch {
		case v == "":
		case len(v) == 3 && strings.HasSuffix(strings.ToLower(v), "xx") && v[0] >= '1' && v[0] <= '5':
			f.StatusClass = int(v[0] - '0')
		default:
			n, err := strconv.Atoi(v)
			if err != nil || n < 100 || n > 599 {
				return f, platform.BadControl(`status must be an HTTP status such as 404 or a class such as "4xx", not %q`, v)
			}
			f.Status = n
		}
	default:
		return f, platform.BadControl(`status must be an HTTP status such as 404 or a class such as "4xx"`)
	}
	switch strings.ToLower(c.Auth) {
	case "":
	case "ok", "true", "passed":
		ok := true
		f.AuthOK = &ok
	case "failed", "false", "fail":
		ok := false
		f.AuthOK = &ok
	default:
		return f, platform.BadControl(`auth must be "ok" or "failed", not %q`, c.Auth)
	}
	for _, t := range []struct {
		name string
		in   string
		out  *time.Time
	}{{"since", c.Since, &f.Since}, {"until", c.Until, &f.Until}} {
		if t.in == "" {
			continue
		}
		v, err := time.Parse(time.RFC3339Nano, t.in)
		if err != nil {
			return f, platform.BadControl("%s must be an RFC 3339 time such as 2026-01-02T15:04:05Z, not %q", t.name, t.in)
		}
		*t.out = v
	}
	if c.Limit < 0 {
		return f, platform.BadControl("limit must be a positive integer")
	}
	f.Limit = min(c.Limit, MaxLimit)
	return f, nil
}

// requests is GET /requests: entries matching the query's criteria, newest
// first, a page of limit after offset; total counts every match.
func (a *API) requests(r *http.Request) (any, error) {
	f, err := filterFromQuery(r.URL.Query())
	if err != nil {
		return nil, err
	}
	if f.Limit, err = LimitParam(r, 100); err != nil {
		return nil, err
	}
	return controlapi.RequestList{Requests: viewEntries(a.Journal.List(f)), Total: a.Journal.Count(f)}, nil
}

func (a *API) bodyFilter(r *http.Request) (journal.Filter, error) {
	var c criteria
	if err := DecodeBody(r, &c); err != nil {
		return journal.Filter{}, err
	}
	return c.filter()
}

// countRequests is GET (query criteria) or POST (JSON criteria) /requests/count.
func (a *API) countRequests(r *http.Request) (any, error) {
	var f journal.Filter
	var err error
	if r.Method == http.MethodPost {
		f, err = a.bodyFilter(r)
	} else {
		f, err = filterFromQuery(r.URL.Query())
	}
	if err != nil {
		return nil, err
	}
	return controlapi.Count{Count: a.Journal.Count(f)}, nil
}

// findRequests is POST /requests/find with JSON criteria.
func (a *API) findRequests(r *http.Request) (any, error) {
	f, err := a.bodyFilter(r)
	if err != nil {
		return nil, err
	}
	if f.Limit == 0 {
		f.Limit = MaxLimit
	}
	return controlapi.RequestList{Requests: viewEntries(a.Journal.List(f)), Total: a.Journal.Count(f)}, nil
}

// clearRequests is DELETE /requests[?tenant=]: 200 with how many went.
func (a *API) clearRequests(r *http.Request) (any, error) {
	id := r.URL.Query().Get("tenant")
	if id != "" {
		if _, ok := a.Tenants.Get(id); !ok {
			return nil, platform.ControlNotFound("no tenant %q", id)
		}
	}
	return controlapi.Removed{Removed: a.Journal.Clear(id)}, nil
}

func (a *API) request(r *http.Request) (any, error) {
	id := mux.Vars(r)["id"]
	for _, e := range a.Journal.List(journal.Filter{}) {
		if e.ID == id {
			return viewEntry(&e), nil
		}
	}
	return nil, platform.ControlNotFound("no request %q in the journal (it keeps the last --journal-size requests)", id)
}

// nearRoute is a provider route close to a request no route matched, with
// its rank.
type nearRoute struct {
	controlapi.NearRoute
	score int
}

// viewEntry is a journal entry as the control API shows it.
func viewEntry(e *journal.Entry) controlapi.Request {
	return controlapi.Request{ID: e.ID, Time: e.Time, Provider: e.Provider, Tenant: e.Tenant, Route: e.Route,
		Method: e.Method, Path: e.Path, Query: e.Query, Status: e.Status, DurationMS: e.DurationMS,
		Auth: controlapi.RequestAuth{OK: e.Auth.OK, Reason: e.Auth.Reason}, Fault: e.Fault, Unmatched: e.Unmatched,
		RequestHeaders: e.Header, ResponseHeaders: e.RespHeader, RequestBody: e.Body, ResponseBody: e.Response}
}

func viewEntries(list []journal.Entry) []controlapi.Request {
	out := make([]controlapi.Request, 0, len(list))
	for i := range list {
		out = append(out, viewEntry(&list[i]))
	}
	return out
}

// unmatched is GET /requests/unmatched[?provider=&tenant=&limit=]: requests
// that no provider route matched, newest first, each with up to three
// nearest routes (after WireMock's near misses).
func (a *API) unmatched(r *http.Request) (any, error) {
	f, err := filterFromQuery(r.URL.Query())
	if err != nil {
		return nil, err
	}
	if f.Limit, err = LimitParam(r, 100); err != nil {
		return nil, err
	}
	f.Unmatched = true
	out := []controlapi.UnmatchedRequest{}
	for _, e := range a.Journal.List(f) {
		out = append(out, controlapi.UnmatchedRequest{Request: viewEntry(&e), Nearest: a.nearest(e.Method, e.Path, 3)})
	}
	return controlapi.UnmatchedList{Requests: out}, nil
}

// nearest ranks every provider route (at its real and its prefixed path)
// by how much of the request it matches: equal segments count, a variable
// segment matches anything, a segment one or two edits away half counts,
// the method counts too.
func (a *API) nearest(method, path string, n int) []controlapi.NearRoute {
	var all []nearRoute
	reqSegs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for _, m := range a.Mounts {
		for _, rt := range m.Routes() {
			host := rt.Host
			if host == "" {
				host = m.Provider()
			}
			best := nearRoute{score: -1 << 30}
			for _, p := range []string{rt.Path, "/" + host + rt.Path} {
				c := compareRoute(method, reqSegs, rt.Method, p)
				if c.score > best.score {
					best = c
				}
			}
			best.Provider, best.Method, best.Name = m.Provider(), rt.Method, rt.Name
			all = append(all, best)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score > all[j].score })
	if len(all) > n {
		all = all[:n]
	}
	out := make([]controlapi.NearRoute, len(all))
	for i := range all {
		out[i] = all[i].NearRoute
	}
	return out
}

func compareRoute(method string, req []string, routeMethod, routePath string) nearRoute {
	tpl := strings.Split(strings.TrimPrefix(routePath, "/"), "/")
	nr := nearRoute{NearRoute: controlapi.NearRoute{Path: routePath, Differences: []string{}}}
	for i := 0; i < max(len(req), len(tpl)); i++ {
		switch {
		case i >= len(req):
			nr.Differences = append(nr.Differences, "the route has more segments: "+strings.Join(tpl[i:], "/"))
			nr.score -= 2 * (len(tpl) - i)
			i = len(tpl)
		case i >= len(tpl):
			nr.Differences = append(nr.Differences, "the request has extra segments: "+strings.Join(req[i:], "/"))
			nr.score -= 2 * (len(req) - i)
			i = len(req)
		case strings.HasPrefix(tpl[i], "{") && strings.HasSuffix(tpl[i], "}"):
			nr.score += 2
		case tpl[i] == req[i]:
			nr.score += 3
		case len(tpl[i]) <= 64 && len(req[i]) <= 64 && textdist.Levenshtein(tpl[i], req[i]) <= 2: // long segments are never near
			nr.score++
			nr.Differences = append(nr.Differences, "segment "+strconv.Itoa(i+1)+": "+strconv.Quote(req[i])+" here, "+strconv.Quote(tpl[i])+" in the route")
		default:
			nr.score -= 2
			nr.Differences = append(nr.Differences, "segment "+strconv.Itoa(i+1)+": "+strconv.Quote(req[i])+" here, "+strconv.Quote(tpl[i])+" in the route")
		}
	}
	if strings.EqualFold(method, routeMethod) {
		nr.score += 2
	} else {
		nr.Differences = append(nr.Differences, "method: "+method+" here, "+routeMethod+" in the route")
	}
	return nr
}
