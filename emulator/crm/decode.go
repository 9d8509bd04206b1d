package crm

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// decodeBody parses a JSON object body into v (a pointer to a struct),
// accepting what the CRM's PHP and JavaScript integrations send for a field:
// null or "" for an absent value, [] for an empty object, numbers written as
// strings ("100") and strings written as numbers, 0/1 and "true"/"false" for
// booleans. A field of another type is refused naming the field and what it
// must be; every such field is reported at once.
func decodeBody(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return invalid("request body is required")
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return invalid("request body is not valid JSON" + syntaxOffset(err))
	}
	if dec.More() {
		return invalid("request body is not valid JSON: data after the top-level value")
	}
	if list, ok := tree.([]any); ok && len(list) == 0 {
		tree = map[string]any{} // PHP's json_encode of an empty array
	}
	if _, ok := tree.(map[string]any); !ok {
		return invalid("request body must be a JSON object")
	}
	var problems []string
	tree = coerce(tree, reflect.TypeOf(v).Elem(), "", &problems)
	if len(problems) > 0 {
		sort.Strings(problems)
		return invalid(strings.Join(problems, "; "))
	}
	normal, err := json.Marshal(tree)
	if err != nil {
		return invalid("request body is not valid JSON")
	}
	dec = json.NewDecoder(bytes.NewReader(normal))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return invalid(te.Field + " must be " + kindName(te.Type))
		}
		return invalid("request body does not fit this endpoint")
	}
	return nil
}

func syntaxOffset(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return " (at byte " + strconv.FormatInt(se.Offset, 10) + ")"
	}
	return ""
}

var (
	numberType      = reflect.TypeOf(json.Number(""))
	rawMessageType  = reflect.TypeOf(json.RawMessage(nil))
	unmarshalerType = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
)

// coerce rewrites a decoded JSON value toward the Go type t, recording the
// fields whose value cannot mean a t in problems.
func coerce(val any, t reflect.Type, path string, problems *[]string) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if val == nil || t == rawMessageType || t.Kind() == reflect.Interface ||
		reflect.PointerTo(t).Implements(unmarshalerType) && t != numberType {
		return val
	}
	fail := func() any {
		*problems = append(*problems, fieldName(path)+" must be "+kindName(t))
		return nil
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		obj, ok := val.(map[string]any)
		if !ok {
			if list, isList := val.([]any); isList && len(list) == 0 {
				return map[string]any{}
			}
			if s, isStr := val.(string); isStr && s == "" {
				return nil
			}
			return fail()
		}
		for k, member := range obj {
			var mt reflect.Type
			if t.Kind() == reflect.Map {
				mt = t.Elem()
			} else if f, ok := fieldByJSONName(t, k); ok {
				mt = f.Type
			} else {
				continue
			}
			obj[k] = coerce(member, mt, join(path, k), problems)
		}
		return obj
	case reflect.Slice, reflect.Array:
		list, ok := val.([]any)
		if !ok {
			if s, isStr := val.(string); isStr && s == "" {
				return nil
			}
			return fail()
		}
		for i, el := range list {
			list[i] = coerce(el, t.Elem(), path+"["+strconv.Itoa(i)+"]", problems)
		}
		return list
	case reflect.String:
		switch x := val.(type) {
		case string:
			if t == numberType {
				s := strings.TrimSpace(x)
				if s == "" {
					return nil
				}
				if _, err := strconv.ParseFloat(s, 64); err != nil {
					return fail()
				}
				return json.Number(s)
			}
			return x
		case json.Number:
			return x.String()
		}
		return fail()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := numberOf(val)
		if !ok {
			return fail()
		}
		if n == "" {
			return nil
		}
		if _, err := strconv.ParseInt(n, 10, 64); err != nil {
			// 100.0 is a whole number too.
			f, ferr := strconv.ParseFloat(n, 64)
			if ferr != nil || f != float64(int64(f)) {
				return fail()
			}
			n = strconv.FormatInt(int64(f), 10)
		}
		return json.Number(n)
	case reflect.Float32, reflect.Float64:
		n, ok := numberOf(val)
		if !ok {
			return fail()
		}
		if n == "" {
			return nil
		}
		if _, err := strconv.ParseFloat(n, 64); err != nil {
			return fail()
		}
		return json.Number(n)
	case reflect.Bool:
		switch x := val.(type) {
		case bool:
			return x
		case json.Number:
			switch x.String() {
			case "0":
				return false
			case "1":
				return true
			}
		case string:
			switch strings.ToLower(strings.TrimSpace(x)) {
			case "":
				return nil
			case "1", "true":
				return true
			case "0", "false":
				return false
			}
		}
		return fail()
	}
	return val
}

// numberOf is a number's text from a JSON number or a numeric string; ""
// (absent) for an empty string.
func numberOf(val any) (string, bool) {
	switch x := val.(type) {
	case json.Number:
		return x.String(), true
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return "", true
		}
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return "", false
		}
		return s, true
	}
	return "", false
}

// fieldByJSONName finds the struct field (embedded ones included) that
// encoding/json fills from key.
func fieldByJSONName(t reflect.Type, key string) (reflect.StructField, bool) {
	var fold reflect.StructField
	found := false
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if inner, ok := fieldByJSONName(ft, key); ok {
					return inner, true
				}
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		if name == key {
			return f, true
		}
		if !found && strings.EqualFold(name, key) {
			fold, found = f, true
		}
	}
	return fold, found
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func fieldName(path string) string {
	if path == "" {
		return "request body"
	}
	return path
}

// kindName says in words what a value of Go type t is in JSON, for error
// messages that never name a Go type.
func kindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == numberType:
		return "a number"
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Bool:
		return "a boolean (true or false)"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "a whole number"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "a number"
	case t.Kind() == reflect.Struct || t.Kind() == reflect.Map:
		return "an object"
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return "an array"
	}
	return "a JSON value"
}

// problems collects the validation failures of one request, so that a client
// learns every missing or wrong field at once.
type problems []string

// add records err's message when err is a validation failure; other errors
// are kept as their text.
func (p *problems) add(err error) {
	if err == nil {
		return
	}
	var ae *APIError
	if errors.As(err, &ae) && ae.Message != "" {
		*p = append(*p, ae.Message)
		return
	}
	*p = append(*p, err.Error())
}

// err is one invalid_request naming every problem, or nil.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return invalid(strings.Join(p, "; "))
}
