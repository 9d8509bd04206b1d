// Package jsonenctest checks a type's hand-written JSON encoder against
// encoding/json.
package jsonenctest

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"reflect"
	"testing"
	"testing/quick"

	"github.com/fakeprovider/fakeprovider/internal/jsonenc"
)

// Check encodes n random values of sample's type (every field filled,
// pointers nil or not, strings of any runes) plus sample itself and its
// zero value with jsonenc.Marshal and encoding/json, and fails on the
// first difference. sample's type must implement jsonenc.Appender.
func Check(t *testing.T, sample jsonenc.Appender, n int) {
	t.Helper()
	typ := reflect.TypeOf(sample)
	rnd := rand.New(rand.NewSource(1))
	values := []any{sample, reflect.Zero(typ).Interface()}
	for range n {
		v, ok := quick.Value(typ, rnd)
		if !ok {
			t.Fatalf("cannot generate a %v", typ)
		}
		values = append(values, v.Interface())
	}
	for _, v := range values {
		want, werr := json.Marshal(v)
		got, gerr := jsonenc.Marshal(v)
		if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
			t.Fatalf("%v: jsonenc wrote\n%s (%v)\nencoding/json wrote\n%s (%v)", typ, got, gerr, want, werr)
		}
	}
}
