package jsonenc_test

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/jsonenc"
	"github.com/fakeprovider/fakeprovider/internal/jsonenc/jsonenctest"
)

type inner struct {
	A string  `json:"a"`
	N float64 `json:"n,omitempty"`
}

func (v inner) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.StringField("a", v.A)
	if v.N != 0 {
		w.FloatField("n", v.N)
	}
	w.Close()
}

type outer struct {
	ID    int64          `json:"id"`
	OK    bool           `json:"ok"`
	Ptr   *inner         `json:"ptr"`
	List  []inner        `json:"list"`
	Opt   *float64       `json:"opt,omitempty"`
	Other map[string]int `json:"other"`
}

func (v outer) AppendJSON(w *jsonenc.Writer) {
	w.Open()
	w.IntField("id", v.ID)
	w.BoolField("ok", v.OK)
	w.Key("ptr")
	if v.Ptr == nil {
		w.Null()
	} else {
		v.Ptr.AppendJSON(w)
	}
	w.Key("list")
	if v.List == nil {
		w.Null()
	} else {
		w.OpenArray()
		for _, e := range v.List {
			e.AppendJSON(w)
		}
		w.CloseArray()
	}
	if v.Opt != nil {
		w.FloatField("opt", *v.Opt)
	}
	w.Key("other")
	w.Value(v.Other)
	w.Close()
}

func TestNestedValuesMatchEncodingJSON(t *testing.T) {
	half := 0.5
	jsonenctest.Check(t, outer{ID: -3, Ptr: &inner{A: "<&>"}, List: []inner{{}, {A: "x", N: 1e21}}, Opt: &half, Other: map[string]int{"b": 1, "a": 2}}, 500)
}

func marshalString(s string) []byte {
	var w jsonenc.Writer
	w.String(s)
	return w.B
}

func marshalFloat(f float64) []byte {
	var w jsonenc.Writer
	w.Float(f)
	return w.B
}

func TestStringsAndFloats(t *testing.T) {
	for _, s := range []string{"", "plain", `"quoted" \ back`, "<script>&amp;</script>", "\b\f\n\r\t\x00\x1f\x7f",
		"\u2028\u2029", "ü€𝄞", "\xff\xfe bad", "a\xc3", "\xed\xa0\x80"} {
		want, _ := json.Marshal(s)
		if got := marshalString(s); !bytes.Equal(got, want) {
			t.Errorf("String(%q) = %s, encoding/json %s", s, got, want)
		}
	}
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1.5, 0.1, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 123456789012345678, 1.7976931348623157e308, 5e-324, 100.25} {
		want, _ := json.Marshal(f)
		if got := marshalFloat(f); !bytes.Equal(got, want) {
			t.Errorf("Float(%v) = %s, encoding/json %s", f, got, want)
		}
	}
}

// A NaN is refused as encoding/json refuses it.
func TestNaNFallsBackToTheError(t *testing.T) {
	if _, err := jsonenc.Marshal(inner{N: math.NaN()}); err == nil {
		t.Fatal("NaN encoded")
	}
}

func FuzzStringMatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{"", "<a&b>", "\u2028", "\xff", "\x00\"\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := marshalString(s); !bytes.Equal(got, want) {
			t.Fatalf("String(%q) = %s, encoding/json %s", s, got, want)
		}
	})
}

func FuzzFloatMatchesEncodingJSON(f *testing.F) {
	for _, x := range []float64{0, 1e-7, 1e21, -2.5} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		want, err := json.Marshal(x)
		if err != nil {
			return
		}
		if got := marshalFloat(x); !bytes.Equal(got, want) {
			t.Fatalf("Float(%v) = %s, encoding/json %s", x, got, want)
		}
	})
}
