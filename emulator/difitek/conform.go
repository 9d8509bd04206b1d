package difitek

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Lenient field types. A value is read as its field's type the way a PHP
// backend reads what PHP clients send:
//
//	number field   JSON number, numeric string ("1500", " 12.5 "), true/false as 1/0
//	integer field  as a number, and integral (12, 12.0, "12")
//	boolean field  true/false, 0/1, "0"/"1", "true"/"false", "yes"/"no", "on"/"off"
//	string field   string; a number as its text; true/false as "1"/"0"
//	object field   JSON object; [] (PHP's empty array) is {}; a list is an
//	               object keyed "0", "1", … (PHP's array)
//	list field     JSON list; an object keyed by numbers is its values in order
//
// null, and "" for anything but a string, is "no value": the field's empty
// value (a create leaves it unset, a PATCH clears it). Anything else is a
// problem naming the field ("investment_amount: must be a number").

// fieldProblem is one field that cannot be used and why.
type fieldProblem struct {
	Field, Problem string
}

// problems collects every field problem of a request so they are reported
// at once.
type problems struct {
	list []fieldProblem
}

func (p *problems) add(field, problem string) {
	p.list = append(p.list, fieldProblem{field, problem})
}

func (p *problems) has(field string) bool {
	for _, fp := range p.list {
		if fp.Field == field {
			return true
		}
	}
	return false
}

// require records a missing field (unless it already has a problem).
func (p *problems) require(field string, present bool) {
	if !present && !p.has(field) {
		p.add(field, "required")
	}
}

// check records an invalid field (unless it already has a problem).
func (p *problems) check(field string, ok bool, problem string) {
	if !ok && !p.has(field) {
		p.add(field, problem)
	}
}

// err is nil without problems; 30002 (Parameter missing) when every
// problem is a missing field; 30003 otherwise. fields names every field.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	fields := map[string]any{}
	var missing, invalid []string
	for _, fp := range p.list {
		fields[fp.Field] = fp.Problem
		if fp.Problem == "required" {
			missing = append(missing, fp.Field)
		} else {
			invalid = append(invalid, fp.Field+": "+fp.Problem)
		}
	}
	if len(invalid) == 0 {
		e := errMissingParam.with("Parameter missing: %s", strings.Join(missing, ", "))
		e.Fields = fields
		return e
	}
	for _, m := range missing {
		invalid = append(invalid, m+": required")
	}
	e := errInvalidParam.with("Invalid parameters: %s", strings.Join(invalid, "; "))
	e.Fields = fields
	return e
}

// fill stores the fields of in into v (a pointer), each conformed to its
// field's type; problems go to p and leave the field unset.
func fill(in map[string]any, v any, p *problems) error {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return errInternal
	}
	out := conformObject(in, t.Elem(), "", p)
	raw, err := json.Marshal(out)
	if err != nil {
		return errInternal
	}
	if err := json.Unmarshal(raw, v); err != nil {
		// conform should have made every value fit; name the field if not.
		return unmarshalProblem(err)
	}
	return nil
}

// unmarshalProblem turns a decoding error into error 30003 naming the field.
func unmarshalProblem(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return errInvalidParam.with("%s: must be %s", te.Field, kindName(te.Type)).withField(te.Field, "must be "+kindName(te.Type))
	}
	return errInvalidParam.with("Invalid parameters")
}

// conformObject conforms the fields of an object to a struct or map type;
// fields a struct does not have are dropped (the service ignores them).
func conformObject(in map[string]any, t reflect.Type, path string, p *problems) map[string]any {
	out := make(map[string]any, len(in))
	switch t.Kind() {
	case reflect.Struct:
		fields := jsonFields(t)
		for k, v := range in {
			ft, ok := fields[k]
			if !ok {
				continue
			}
			out[k] = conform(v, ft, join(path, k), p)
		}
	case reflect.Map:
		for k, v := range in {
			out[k] = conform(v, t.Elem(), join(path, k), p)
		}
	default:
		return in
	}
	return out
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

var (
	rawMessageType  = reflect.TypeOf(json.RawMessage(nil))
	unmarshalerType = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
)

// conform reads v (as decoded with UseNumber, or a form string) as type t.
func conform(v any, t reflect.Type, field string, p *problems) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil || t == rawMessageType || reflect.PointerTo(t).Implements(unmarshalerType) || t.Kind() == reflect.Interface {
		return v
	}
	if s, ok := v.(string); ok && t.Kind() != reflect.String && strings.TrimSpace(s) == "" {
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		switch x := v.(type) {
		case string:
			return x
		case json.Number:
			return x.String()
		case bool:
			if x {
				return "1"
			}
			return "0"
		}
	case reflect.Bool:
		if b, ok := boolOf(v); ok {
			return b
		}
	case reflect.Float32, reflect.Float64:
		if f, ok := numberOf(v); ok {
			return f
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n, ok := integerOf(v, t); ok {
			return n
		}
	case reflect.Struct, reflect.Map:
		switch x := v.(type) {
		case map[string]any:
			return conformObject(x, t, field, p)
		case []any:
			if len(x) == 0 || t.Kind() == reflect.Map {
				return conformObject(listAsObject(x), t, field, p)
			}
		}
	case reflect.Slice, reflect.Array:
		var list []any
		switch x := v.(type) {
		case []any:
			list = x
		case map[string]any:
			list, _ = objectAsList(x) // nil unless keyed by numbers
		}
		if list != nil {
			out := make([]any, len(list))
			for i, e := range list {
				out[i] = conform(e, t.Elem(), field+"."+strconv.Itoa(i), p)
			}
			return out
		}
	default:
		return v
	}
	p.add(field, "must be "+kindName(t))
	return nil
}

// kindName is how an error names a type: the JSON, not the Go, word.
func kindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "a valid value"
}

func boolOf(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case json.Number:
		switch x.String() {
		case "0", "0.0":
			return false, true
		case "1", "1.0":
			return true, true
		}
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "1", "true", "yes", "on":
			return true, true
		case "0", "false", "no", "off":
			return false, true
		}
	}
	return false, false
}

// numberOf reads a finite number; the literal is kept so no precision is
// lost on the way to the field.
func numberOf(v any) (json.Number, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = strings.TrimSpace(x)
	case bool:
		if x {
			return "1", true
		}
		return "0", true
	default:
		return "", false
	}
	if !decimal(s) {
		return "", false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", false
	}
	if json.Valid([]byte(s)) {
		return json.Number(s), true
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), true // "+5", "5.", ".5"
}

// decimal reports whether s is written in decimal digits (no hex, no
// "Inf"), as a form or PHP string holding a number is.
func decimal(s string) bool {
	if s == "" {
		return false
	}
	digits := false
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case strings.ContainsRune("+-.eE", c):
		default:
			return false
		}
	}
	return digits
}

// integerOf reads an integral number within the range of t.
func integerOf(v any, t reflect.Type) (json.Number, bool) {
	n, ok := numberOf(v)
	if !ok {
		return "", false
	}
	if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
		return json.Number(strconv.FormatInt(i, 10)), fitsInt(i, t)
	}
	f, err := n.Float64()
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
		return "", false
	}
	i := int64(f)
	return json.Number(strconv.FormatInt(i, 10)), fitsInt(i, t)
}

func fitsInt(i int64, t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return i >= 0 && (t.Bits() == 64 || i < 1<<t.Bits())
	}
	return t.Bits() == 64 || (i >= -(1<<(t.Bits()-1)) && i < 1<<(t.Bits()-1))
}

// listAsObject is PHP's view of a list as an array keyed 0, 1, ….
func listAsObject(list []any) map[string]any {
	out := make(map[string]any, len(list))
	for i, v := range list {
		out[strconv.Itoa(i)] = v
	}
	return out
}

// objectAsList reads an object keyed by integers (a PHP array with gaps)
// as its values in key order.
func objectAsList(m map[string]any) ([]any, bool) {
	keys := make([]int, 0, len(m))
	for k := range m {
		i, err := strconv.Atoi(k)
		if err != nil {
			return nil, false
		}
		keys = append(keys, i)
	}
	sort.Ints(keys)
	out := make([]any, len(keys), len(keys)+1) // never nil
	for i, k := range keys {
		out[i] = m[strconv.Itoa(k)]
	}
	return out, true
}

// jsonFields maps the JSON names of a struct's fields to their types;
// fields of embedded structs are promoted unless the outer struct has the
// name, as encoding/json does.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	var embedded []reflect.Type
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				embedded = append(embedded, ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	for _, et := range embedded {
		for name, ft := range jsonFields(et) {
			if _, ok := out[name]; !ok {
				out[name] = ft
			}
		}
	}
	return out
}
