package difitek

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Paging defaults ([GAP] in the real API; see README).
const (
	defaultLimit = 100
	maxLimit     = 1000
)

// ListData is the L(x) data shape.
type ListData struct {
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
	Count  int `json:"count"`
	List   any `json:"list"`
}

// listQuery is the paging, sorting, filtering and search of a list call.
type listQuery struct {
	Offset  int
	Limit   int
	OrderBy string
	Desc    bool
	Filter  map[string]string
	Search  string
}

// parseListQuery reads offset (or page, a row offset as the PHP clients
// send it), limit, orderby, sort, filter[field] and search.
func parseListQuery(q url.Values) (listQuery, error) {
	lq := listQuery{Limit: defaultLimit, OrderBy: "id", Filter: map[string]string{}}
	intParam := func(name string) (int, bool, error) {
		s := q.Get(name)
		if s == "" {
			return 0, false, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return 0, false, errInvalidParam.with("%s must be a non-negative integer", name).withField(name, "invalid")
		}
		return n, true, nil
	}
	if n, ok, err := intParam("page"); err != nil {
		return lq, err
	} else if ok {
		lq.Offset = n
	}
	if n, ok, err := intParam("offset"); err != nil {
		return lq, err
	} else if ok {
		lq.Offset = n
	}
	if n, ok, err := intParam("limit"); err != nil {
		return lq, err
	} else if ok && n > 0 {
		lq.Limit = min(n, maxLimit)
	}
	if s := q.Get("orderby"); s != "" {
		lq.OrderBy = s
	}
	switch strings.ToLower(q.Get("sort")) {
	case "", "asc":
	case "desc":
		lq.Desc = true
	default:
		return lq, errInvalidParam.with("sort must be asc or desc").withField("sort", "invalid")
	}
	for k, vs := range q {
		if strings.HasPrefix(k, "filter[") && strings.HasSuffix(k, "]") && len(vs) > 0 {
			lq.Filter[k[len("filter["):len(k)-1]] = vs[0]
		}
	}
	lq.Search = strings.ToLower(strings.TrimSpace(q.Get("search")))
	return lq, nil
}

// paginate filters, searches, sorts and pages items (any JSON-encodable
// records) and returns the list data.
func paginate[T any](items []T, lq listQuery) ListData {
	type row struct {
		item T
		m    map[string]any
	}
	rows := make([]row, 0, len(items))
	for _, it := range items {
		raw, _ := json.Marshal(it)
		m := map[string]any{}
		_ = json.Unmarshal(raw, &m)
		if !matchesFilter(m, lq.Filter) || !matchesSearch(m, lq.Search) {
			continue
		}
		rows = append(rows, row{it, m})
	}
	sort.SliceStable(rows, func(i, j int) bool {
		c := compareValues(rows[i].m[lq.OrderBy], rows[j].m[lq.OrderBy])
		if lq.Desc {
			return c > 0
		}
		return c < 0
	})
	out := make([]T, 0)
	for i := lq.Offset; i < len(rows) && len(out) < lq.Limit; i++ {
		out = append(out, rows[i].item)
	}
	return ListData{Offset: lq.Offset, Limit: lq.Limit, Count: len(rows), List: out}
}

func stringOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

// matchesFilter: every filter[field] equals the field's value
// (case-insensitive string compare).
func matchesFilter(m map[string]any, filter map[string]string) bool {
	for k, want := range filter {
		if !strings.EqualFold(stringOf(m[k]), want) {
			return false
		}
	}
	return true
}

// matchesSearch: the text occurs in any top-level string field.
func matchesSearch(m map[string]any, search string) bool {
	if search == "" {
		return true
	}
	for _, v := range m {
		if s, ok := v.(string); ok && strings.Contains(strings.ToLower(s), search) {
			return true
		}
	}
	return false
}

func compareValues(a, b any) int {
	af, aok := a.(float64)
	bf, bok := b.(float64)
	if aok && bok {
		switch {
		case af < bf:
			return -1
		case af > bf:
			return 1
		}
		return 0
	}
	return strings.Compare(strings.ToLower(stringOf(a)), strings.ToLower(stringOf(b)))
}
