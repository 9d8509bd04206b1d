package journal

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// walkRedact is the straightforward reference: decode into maps, replace
// values under sensitive keys, scrub the rest, encode again. The one-pass
// redactor must give a document with the same meaning.
func walkRedact(r *Redactor, body []byte) any {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err.Error()
	}
	var walk func(key string, v any, depth int) any
	walk = func(key string, v any, depth int) any {
		switch x := v.(type) {
		case map[string]any:
			for k, vv := range x {
				x[k] = walk(k, vv, depth+1)
			}
			return x
		case []any:
			for i, vv := range x {
				x[i] = walk(key, vv, depth+1)
			}
			return x
		case string:
			return r.value(key, x)
		case json.Number:
			if r.sensitive(key) {
				return Redacted
			}
			if s := scrub(x.String()); s != x.String() {
				return s
			}
			return x
		default:
			if key != "" && r.sensitive(key) && v != nil {
				return Redacted
			}
			return v
		}
	}
	return walk("", v, 0)
}

func decodeNumbers(t testing.TB, s string) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("redacted output is not JSON: %v\n%s", err, s)
	}
	return v
}

var scanSeeds = []string{
	`{"password":"hunter2","user":{"email":"a@b.c","Card_Number":"4111 1111 1111 1111"}}`,
	`[{"cvv":123},{"cvv":null},{"cvv":true},{"cvv":""},{"cvv":[1,"2",{"x":"3"}]}]`,
	`{"note":"ssn 123-45-6789 card 4111-1111-1111-1111 ok","amount":4111111111111111}`,
	`{"pass\u0077ord":"x","k":"\u0034111111111111111","nested":{"a":{"b":{"secret":{"c":1}}}}}`,
	` { "tax-id" : "12-3456789" , "list" : [ [ "5500005555555559" ] ] } `,
	`"4111111111111111"`, `12345678901234`, `null`, `[]`, `{}`, `{"a":{},"b":[],"password":{}}`,
	`{"ünïcode":"4012888888881881","PASSWORD":"X","pan":1e3,"otp":-0.5}`,
	`{"a":"\"quoted\" 4111111111111111 \\ end"}`,
	`{"k":"\u0034\u0031\u0031\u0031\u0031\u0031\u0031\u0031\u0031\u0031\u0031\u0031\u0031\u0031\u0031\u0031"}`,
}

func TestRedactValidJSONMatchesDecodeWalk(t *testing.T) {
	r := NewRedactor()
	for _, s := range scanSeeds {
		got := decodeNumbers(t, r.JSON([]byte(s)))
		want := walkRedact(r, []byte(s))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s\n got  %#v\n want %#v", s, got, want)
		}
	}
}

func TestRedactValidJSONKeepsUntouchedBytes(t *testing.T) {
	r := NewRedactor()
	in := "{\n  \"z\": 1,\n  \"a\": \"<b>&\",\n  \"password\": \"x\"\n}"
	want := "{\n  \"z\": 1,\n  \"a\": \"<b>&\",\n  \"password\": \"[redacted]\"\n}"
	if got := r.JSON([]byte(in)); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func FuzzRedactJSONMatchesDecodeWalk(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	r := NewRedactor()
	f.Fuzz(func(t *testing.T, body []byte) {
		if !json.Valid(body) {
			return
		}
		got := decodeNumbers(t, r.JSON(body))
		want := walkRedact(r, body)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q\n got  %#v\n want %#v", body, got, want)
		}
	})
}

func BenchmarkRedactResponse(b *testing.B) {
	r := NewRedactor()
	body := []byte(`{"status":200,"outcome":"OK","data":{"id":1042,"name":"Acme Holdings Ltd","description":"A company","visibility":"Open","members":[1,2,3],"created_at":"2026-11-25T08:00:00Z","custom":{"industry":"fintech","employees":42},"email":"ops@acme.example","phone":"+44 20 7946 0958"}}`)
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Body("application/json", body, 4096)
	}
}
