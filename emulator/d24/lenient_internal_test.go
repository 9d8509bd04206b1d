package d24

import (
	"reflect"
	"testing"
)

// A body the coercion leaves untouched is decoded as it stands; every
// other one as its coerced re-encoding. A blank body and PHP's [] read as
// {}, whitespace around any of them changes nothing.
func TestDecodeLenientBodiesThatMeanTheSame(t *testing.T) {
	type in struct {
		Login string              `json:"login"`
		Count int64               `json:"count"`
		Flag  bool                `json:"flag"`
		Inner *struct{ A string } `json:"inner"`
	}
	s := schema{"login": kText, "count": kInteger, "flag": kBool, "inner": kObject}
	tests := []struct {
		name   string
		bodies []string
		want   in
	}{
		{"empty object", []string{"", "   ", "\n", "{}", " {} ", "[]", "\n[]\n"}, in{}},
		{"values as sent or coerced", []string{
			`{"login":"x","count":3,"flag":true,"inner":{"A":"a"}}`,
			`{"login":"x","count":"3","flag":"1","inner":{"A":"a"}}`,
			` {"login":"x","count":3.0,"flag":1,"inner":{"A":"a"},"ignored":null} `,
		}, in{Login: "x", Count: 3, Flag: true, Inner: &struct{ A string }{"a"}}},
		{"absent-meaning values", []string{`{"login":null,"count":"","flag":"","inner":""}`, `{"inner":null}`}, in{}},
		{"[] for an inner object", []string{`{"inner":[]}`, `{"inner":{}}`}, in{Inner: &struct{ A string }{}}},
	}
	for _, tt := range tests {
		for _, body := range tt.bodies {
			var got in
			problems, err := decodeLenient([]byte(body), s, &got)
			if err != nil || len(problems) > 0 {
				t.Errorf("%s: %q: problems %v, err %v", tt.name, body, problems, err)
				continue
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s: %q decodes to %+v, want %+v", tt.name, body, got, tt.want)
			}
		}
	}
}
