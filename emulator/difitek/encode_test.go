package difitek

import (
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/jsonenc"
	"github.com/fakeprovider/fakeprovider/internal/jsonenc/jsonenctest"
)

// The hand-written encoders write what encoding/json writes.
func TestEncodersMatchEncodingJSON(t *testing.T) {
	org := Organization{ID: 9, DisplayName: "A & B <ltd>", Custom: map[string]any{"z": 1, "a": []any{"x", nil}},
		Documents: []Document{{ID: 1}}, Logo: &Document{ID: 2}, Members: []int64{1, 2}}
	jsonenctest.Check(t, org, 200)
	jsonenctest.Check(t, Address{}, 100)
	for _, data := range []any{object("organization", org), object("organization", Organization{}), map[string]any{}, map[string]any{"a": 1, "b": "<"},
		object("x", 3), []int{1}, nil} {
		jsonenctest.Check(t, successEnvelope{Outcome: "success", Data: data, Status: 200}, 0)
	}
}

var _ jsonenc.Appender = successEnvelope{}
