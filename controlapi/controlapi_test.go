package controlapi

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestWriteError(t *testing.T) {
	w := httptest.NewRecorder()
	WriteError(w, http.StatusNotFound, CodeNotFound, `no tenant "x"`)
	if w.Code != 404 || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("status %d, type %q", w.Code, w.Header().Get("Content-Type"))
	}
	if got, want := w.Body.String(), `{"error":"not_found","message":"no tenant \"x\""}`+"\n"; got != want {
		t.Errorf("body %q, want %q", got, want)
	}
}

func TestCodeForStatus(t *testing.T) {
	for status, want := range map[int]string{400: CodeBadRequest, 404: CodeNotFound, 405: CodeMethodNotAllowed, 409: CodeConflict,
		413: CodeBodyTooLarge, 422: CodeUnprocessable, 500: CodeInternal, 503: CodeInternal, 418: CodeBadRequest} {
		if got := CodeForStatus(status); got != want {
			t.Errorf("CodeForStatus(%d) = %s, want %s", status, got, want)
		}
	}
}

func TestTenantIsFlat(t *testing.T) {
	in := `{"d24":{"login":"l"},"tenant":"t1"}`
	var tn Tenant
	if err := json.Unmarshal([]byte(in), &tn); err != nil {
		t.Fatal(err)
	}
	if tn.ID != "t1" || string(tn.Credentials["d24"]) != `{"login":"l"}` || len(tn.Credentials) != 1 {
		t.Errorf("decoded %+v", tn)
	}
	out, err := json.Marshal(tn)
	if err != nil || string(out) != in {
		t.Errorf("encoded %s, %v; want %s", out, err, in)
	}
	if p := tn.Providers(); len(p) != 1 || p[0] != "d24" {
		t.Errorf("providers %v", p)
	}
}

func TestDeliveryBody(t *testing.T) {
	for _, body := range [][]byte{[]byte(`{"a":1}`), {0xff, 0xfe, 0x00}, {}} {
		var d WebhookDelivery
		d.SetBody(body)
		got, err := d.BodyBytes()
		if err != nil || string(got) != string(body) {
			t.Errorf("%q: round trip %q, %v (encoding %q)", body, got, err, d.BodyEncoding)
		}
	}
	var d WebhookDelivery
	d.SetBody([]byte{0xff})
	if d.BodyEncoding != "base64" || d.Body != "/w==" {
		t.Errorf("binary body: %q %q", d.Body, d.BodyEncoding)
	}
}

func TestCriteriaQuery(t *testing.T) {
	since := time.Date(2026, 1, 2, 15, 4, 5, 0, time.FixedZone("x", 3600))
	for _, c := range []struct {
		in   Criteria
		want string
	}{
		{Criteria{}, ""},
		{Criteria{Provider: "d24", Status: "4xx", Unmatched: true, Limit: 5}, "limit=5&provider=d24&status=4xx&unmatched=true"},
		{Criteria{Status: 404, Since: Time(since), Offset: 2}, "offset=2&since=2026-01-02T14%3A04%3A05Z&status=404"},
		{Criteria{Status: "", Since: Time(time.Time{})}, ""},
	} {
		if got := c.in.Query().Encode(); got != c.want {
			t.Errorf("%+v: %s, want %s", c.in, got, c.want)
		}
	}
}

// A client module imports this package without the emulator: the standard
// library only.
func TestStandardLibraryOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
				t.Errorf("%s imports %s", f, path)
			}
		}
	}
}
