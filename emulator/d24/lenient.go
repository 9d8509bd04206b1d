package d24

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// D24's clients serialise bodies in their own dialects: PHP's json_encode
// sends [] for an empty object, null or "" for unset fields and numbers
// where a string is meant (a numeric payer id, a bank code); Jackson sends
// every primitive and a LocalDate as [y,m,d]. The real API reads all of
// them, so bodies are decoded in two steps: the JSON is parsed generically,
// the fields the emulator reads are coerced to the type it expects (or
// reported by name), and only then is the result decoded into a struct.

// kind is the type the emulator reads a field as.
type kind int

const (
	kString  kind = iota // a string
	kText                // an identifier: a string, or a number read as its text (PHP, the docs' numeric payer id)
	kNumber              // a number or a numeric string
	kInteger             // an integer or an integral numeric string
	kBool                // true/false, "true"/"false", 1/0, "1"/"0"
	kObject              // an object; [] (PHP's empty array) is {}
	kDate                // "yyyy-MM-dd" or Jackson's [y,m,d]
)

var kindWords = map[kind]string{
	kString: "a string", kText: "a string", kNumber: "a number", kInteger: "an integer", kBool: "a boolean",
	kObject: "an object", kDate: "a date (yyyy-MM-dd)",
}

// schema maps dotted field paths (payer.address.city) to their kinds.
// Fields it does not name are left as sent (and ignored if unknown).
type schema map[string]kind

// with returns s plus other's fields under prefix ("" for the top level).
func (s schema) with(prefix string, other schema) schema {
	out := make(schema, len(s)+len(other))
	for k, v := range s {
		out[k] = v
	}
	for k, v := range other {
		if prefix != "" {
			k = prefix + "." + k
		}
		out[k] = v
	}
	return out
}

// fieldProblem is a field whose value cannot be read as its kind.
type fieldProblem struct {
	Field string
	Want  kind
}

func (p fieldProblem) String() string { return p.Field + ": must be " + kindWords[p.Want] }

// errNotJSON: the body is not syntactically valid JSON.
var errNotJSON = errors.New("request body: not valid JSON")

// errNotObject: valid JSON, but not an object.
var errNotObject = errors.New("request body: must be a JSON object")

// decodeLenient decodes a JSON object body into out (a struct with json
// tags) after coercing the fields s names. It returns the fields that
// could not be read, sorted by name, or errNotJSON / errNotObject. An
// empty body is an empty object.
func decodeLenient(body []byte, s schema, out any) ([]fieldProblem, error) {
	var v any
	blank := len(bytes.TrimSpace(body)) == 0
	if blank {
		v = map[string]any{}
	} else {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return nil, errNotJSON
		}
		if _, err := dec.Token(); err != io.EOF {
			return nil, errNotJSON
		}
	}
	obj, ok := asObject(v)
	if !ok {
		return nil, errNotObject
	}
	var problems []fieldProblem
	changed := s.coerce("", obj, &problems)
	sort.Slice(problems, func(i, j int) bool { return problems[i].Field < problems[j].Field })
	if len(problems) > 0 {
		return problems, nil
	}
	clean := body
	// Only an object the coercion left as decoded is decoded again from the
	// body itself (it reads exactly as its re-encoding would); a rewritten
	// one, a blank body and a [] standing for {} are encoded again.
	if _, decoded := v.(map[string]any); changed || blank || !decoded {
		var err error
		if clean, err = json.Marshal(obj); err != nil {
			return nil, errNotJSON
		}
	}
	if err := json.Unmarshal(clean, out); err != nil {
		// Only a field the schema does not cover can get here; name it.
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return []fieldProblem{{Field: te.Field, Want: kindOf(te.Type)}}, nil
		}
		return []fieldProblem{{Field: "request body", Want: kObject}}, nil
	}
	return nil, nil
}

// kindOf names a Go type in the API's words.
func kindOf(t reflect.Type) kind {
	switch t.Kind() {
	case reflect.String:
		return kString
	case reflect.Bool:
		return kBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return kInteger
	case reflect.Float32, reflect.Float64:
		return kNumber
	}
	return kObject
}

// asObject reads an object, or PHP's empty array standing for one.
func asObject(v any) (map[string]any, bool) {
	switch t := v.(type) {
	case map[string]any:
		return t, true
	case []any:
		if len(t) == 0 {
			return map[string]any{}, true
		}
	}
	return nil, false
}

// coerce rewrites m's fields in place: absent-meaning values (null, and ""
// for non-strings) are removed, the rest converted or reported. It reports
// whether it changed anything.
func (s schema) coerce(prefix string, m map[string]any, problems *[]fieldProblem) (changed bool) {
	for key, v := range m {
		path := key
		if prefix != "" {
			path = prefix + "." + key
		}
		want, ok := s[path]
		if !ok {
			continue
		}
		nv, keep, good := coerceValue(want, v)
		switch {
		case !good:
			*problems = append(*problems, fieldProblem{Field: path, Want: want})
		case !keep:
			delete(m, key)
			changed = true
		default:
			m[key] = nv
			changed = changed || !unchanged(v, nv)
			if want == kObject && s.coerce(path, nv.(map[string]any), problems) {
				changed = true
			}
		}
	}
	return changed
}

// unchanged reports whether coerceValue gave back v itself: the same
// scalar, or the same object (not a [] turned into one).
func unchanged(v, nv any) bool {
	switch a := v.(type) {
	case string:
		b, ok := nv.(string)
		return ok && a == b
	case json.Number:
		b, ok := nv.(json.Number)
		return ok && a == b
	case bool:
		b, ok := nv.(bool)
		return ok && a == b
	case map[string]any:
		b, ok := nv.(map[string]any)
		return ok && reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
	}
	return false
}

// coerceValue converts v to want: keep false means the value stands for
// an absent field; good false means it cannot be read as want.
func coerceValue(want kind, v any) (out any, keep, good bool) {
	if v == nil {
		return nil, false, true
	}
	switch want {
	case kString:
		if t, ok := v.(string); ok {
			return t, true, true
		}
	case kText:
		switch t := v.(type) {
		case string:
			return t, true, true
		case json.Number:
			return t.String(), true, true
		}
	case kNumber, kInteger:
		var n json.Number
		switch t := v.(type) {
		case json.Number:
			n = t
		case string:
			t = strings.TrimSpace(t)
			if t == "" {
				return nil, false, true
			}
			if _, err := strconv.ParseFloat(t, 64); err != nil {
				return nil, false, false
			}
			n = json.Number(t)
		default:
			return nil, false, false
		}
		if want == kInteger {
			f, err := strconv.ParseFloat(n.String(), 64)
			if err != nil || f != float64(int64(f)) {
				return nil, false, false
			}
			n = json.Number(strconv.FormatInt(int64(f), 10))
		}
		return n, true, true
	case kBool:
		switch t := v.(type) {
		case bool:
			return t, true, true
		case json.Number:
			switch t.String() {
			case "0":
				return false, true, true
			case "1":
				return true, true, true
			}
		case string:
			switch strings.ToLower(strings.TrimSpace(t)) {
			case "":
				return nil, false, true
			case "true", "1":
				return true, true, true
			case "false", "0":
				return false, true, true
			}
		}
	case kObject:
		if s, ok := v.(string); ok && s == "" {
			return nil, false, true
		}
		if obj, ok := asObject(v); ok {
			return obj, true, true
		}
	case kDate:
		switch t := v.(type) {
		case string:
			if t == "" {
				return nil, false, true
			}
			return t, true, true
		case []any:
			// Jackson's LocalDate [y,m,d] (LocalDateTime adds h,m[,s]).
			if len(t) < 3 {
				return nil, false, false
			}
			var parts [3]int64
			for i := range parts {
				n, ok := t[i].(json.Number)
				if !ok {
					return nil, false, false
				}
				x, err := n.Int64()
				if err != nil {
					return nil, false, false
				}
				parts[i] = x
			}
			if parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > 31 {
				return nil, false, false
			}
			return fmt.Sprintf("%04d-%02d-%02d", parts[0], parts[1], parts[2]), true, true
		}
	}
	return nil, false, false
}

// problemDetails renders problems as D24's details strings.
func problemDetails(problems []fieldProblem) []string {
	out := make([]string, len(problems))
	for i, p := range problems {
		out[i] = p.String()
	}
	return out
}

// decodeDepositFamily decodes a deposits-family body; an unreadable body
// or field is error 201 naming every field at once.
func decodeDepositFamily(body []byte, s schema, out any) error {
	problems, err := decodeLenient(body, s, out)
	if err != nil {
		return validation(err.Error())
	}
	if len(problems) > 0 {
		return validation(problemDetails(problems)...)
	}
	return nil
}

// decodeCashout decodes a cashout body: not JSON is 502 (the documented
// "check that the JSON is well formatted"); an unreadable field is 300
// naming it (the cashout envelope carries one message).
func decodeCashout(body []byte, s schema, out any) error {
	problems, err := decodeLenient(body, s, out)
	if err != nil {
		return errCashoutBadBody
	}
	if len(problems) > 0 {
		return invalidParam(problems[0].Field, "(must be "+kindWords[problems[0].Want]+")")
	}
	return nil
}

// Schemas of the shared objects.
var (
	addressSchema = schema{"street": kString, "city": kString, "state": kString, "zip_code": kText}
	payerSchema   = schema{
		"id": kText, "document": kText, "document_type": kString, "email": kString,
		"first_name": kString, "last_name": kString, "phone": kText, "birth_date": kDate,
		"address": kObject,
	}.with("address", addressSchema)
	bankAccountSchema = schema{
		"beneficiary": kString, "bank_code": kText, "branch": kText, "account_number": kText, "account_type": kString,
	}
)
