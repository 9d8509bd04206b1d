package difitek

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// mergeObjects merges a patch object into the current one, one level deep
// (PATCH {"address":{"city":"Leeds"}} keeps the rest of the address); any
// other value replaces the current one.
func mergeObjects(cur, patch json.RawMessage) json.RawMessage {
	var c, p map[string]json.RawMessage
	if json.Unmarshal(cur, &c) != nil || json.Unmarshal(patch, &p) != nil || c == nil || p == nil {
		return patch
	}
	for k, v := range p {
		c[k] = v
	}
	out, err := json.Marshal(c)
	if err != nil {
		return patch
	}
	return out
}

// patchRecord overlays the allowed fields of the request body onto rec (see
// patchFields) and returns the body's fields as sent.
func patchRecord[T any](rec T, req *platform.Request, allowedKeys ...string) (T, map[string]any, error) {
	in, err := bodyFields(req.Header.Get("Content-Type"), req.Body)
	if err != nil {
		return rec, nil, err
	}
	return patchFields(rec, in, allowedKeys...)
}

// patchFields overlays the allowed keys of in onto rec; other keys are
// ignored, as the service ignores unknown and read-only fields. Each value
// is read leniently as its field's type (conform); every value that cannot
// be is reported at once as error 30003.
func patchFields[T any](rec T, in map[string]any, allowedKeys ...string) (T, map[string]any, error) {
	raw, err := json.Marshal(rec)
	if err != nil {
		return rec, nil, err
	}
	cur := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &cur); err != nil {
		return rec, nil, err
	}
	types := jsonFields(reflect.TypeOf(rec))
	var p problems
	keys := make([]string, 0, len(allowedKeys))
	for _, k := range allowedKeys {
		if _, ok := in[k]; ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys) // problems in a stable order
	for _, k := range keys {
		ft, ok := types[k]
		if !ok {
			continue
		}
		v, err := json.Marshal(conform(in[k], ft, k, &p))
		if err != nil {
			return rec, nil, errInternal
		}
		cur[k] = mergeObjects(cur[k], v)
	}
	if err := p.err(); err != nil {
		return rec, nil, err
	}
	merged, _ := json.Marshal(cur)
	var out T
	if err := json.Unmarshal(merged, &out); err != nil {
		return rec, nil, unmarshalProblem(err)
	}
	return out, in, nil
}

// stageOf reads a life_cycle_stage as sent: null and "" are no stage (the
// PHP SDK sends null for an entity it has not loaded).
func stageOf(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		s := strings.TrimSpace(x)
		return s, s != ""
	case json.Number:
		return x.String(), true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	case nil:
		return "", false
	}
	return "[object]", true
}

// idOf reads a record id sent as a number or a numeric string (PHP sends
// ids as they came from a URL), or an object with an id (a whole record);
// null and "" are no id.
func idOf(v any) (id int64, given, ok bool) {
	if m, isObject := v.(map[string]any); isObject {
		v = m["id"]
	}
	var p problems
	n := conform(v, reflect.TypeOf(int64(0)), "id", &p)
	if len(p.list) > 0 {
		return 0, true, false
	}
	num, isNumber := n.(json.Number)
	if !isNumber {
		return 0, false, true
	}
	i, err := num.Int64()
	return i, true, err == nil && i > 0
}
