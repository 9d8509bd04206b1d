package journal_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/journal"
)

// Test card numbers (Luhn-valid) and SSNs.
const (
	visa   = "4111111111111111"
	amex   = "378282246310005"
	master = "5555555555554444"
	ssn    = "123-45-6789"
)

func TestRedactBodies(t *testing.T) {
	r := journal.NewRedactor()
	r.AddKeys("X_Custom-Secret")
	cases := []struct {
		name, ct, body string
		secrets        []string // must not appear
		keep           []string // must still appear
	}{
		{"json password nested", "application/json",
			`{"user":{"name":"Ann","credentials":{"password":"hunter2","Old_Password":"hunter1"}},"list":[{"passwd":"p4ss"}]}`,
			[]string{"hunter2", "hunter1", "p4ss"}, []string{"Ann", journal.Redacted}},
		{"json secret keys", "application/json; charset=utf-8",
			`{"secret_key":"sk_live_abc","apiSecret":"as-123","client-secret":"cs","x_custom_secret":"mine","api_key":"visible-key"}`,
			[]string{"sk_live_abc", "as-123", `"cs"`, "mine"}, []string{"visible-key"}},
		{"json card fields", "application/json",
			`{"card_number":"4000 0000 0000 0002","cvv":123,"expiration_month":12,"exp_year":"2030","holder":"Ann Lee"}`,
			[]string{"4000 0000 0000 0002", "123", "2030"}, []string{"Ann Lee"}},
		{"json card in free text", "application/json",
			`{"note":"paid with ` + visa + ` yesterday","ref":"` + amex + `","n":` + master + `}`,
			[]string{visa, amex, master}, []string{"paid with", "yesterday"}},
		{"json ssn", "application/json",
			`{"ssn":"987654321","comment":"my ssn is ` + ssn + `"}`,
			[]string{"987654321", ssn}, []string{"my ssn is"}},
		{"json sensitive non-strings", "application/json",
			`{"otp":true,"pin":1234,"password":null,"verification_code":["1","2"]}`,
			[]string{"true"}, []string{"1234"}},
		{"json deep array", "application/json",
			`[[[{"password":"deep"}]]]`, []string{"deep"}, nil},
		{"not a card: order id fails Luhn", "application/json",
			`{"order":"1234567890123456"}`, nil, []string{"1234567890123456"}},
		{"form body", "application/x-www-form-urlencoded",
			"login=ann&password=hunter2&card=" + visa + "&amount=10",
			[]string{"hunter2", visa}, []string{"login=ann", "amount=10"}},
		{"text body", "text/plain",
			"card " + "4111 1111 1111 1111" + " and 4111-1111-1111-1111 and ssn " + ssn,
			[]string{"4111 1111 1111 1111", "4111-1111-1111-1111", ssn}, []string{"card", "and ssn"}},
		{"no content type json", "", `{"password":"hunter2"}`, []string{"hunter2"}, nil},
		{"no content type text", "", "ssn " + ssn, []string{ssn}, nil},
		{"binary", "application/pdf", "%PDF-1.4 password hunter2", []string{"hunter2"}, []string{"application/pdf", "bytes"}},
		{"broken json falls back to text", "application/json", `{"note":"` + visa, []string{visa}, nil},
		{"broken json keeps keys redacted", "application/json", `{"user":{"password": "hunter2", "pin": 42, "secret":"unterminated`,
			[]string{"hunter2", "unterminated"}, []string{"42", "user"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := r.Body(c.ct, []byte(c.body), 0)
			for _, s := range c.secrets {
				if strings.Contains(got, s) {
					t.Errorf("%q in clear in %s", s, got)
				}
			}
			for _, s := range c.keep {
				if !strings.Contains(got, s) {
					t.Errorf("%q lost in %s", s, got)
				}
			}
		})
	}
}

// A card number followed by other digits (a CVV, an expiry) must not hide
// from the Luhn check by being part of a longer digit run.
func TestRedactCardNextToOtherDigits(t *testing.T) {
	r := journal.NewRedactor()
	for _, text := range []string{
		"card " + visa + " 123",
		"card " + visa + " 12 2030",
		"cards " + visa + " " + master,
		"ref 99 " + visa,
	} {
		got := r.Body("text/plain", []byte(text), 0)
		if strings.Contains(got, visa) || strings.Contains(got, master) {
			t.Errorf("%q journaled as %q: card number in clear", text, got)
		}
	}
}

func TestRedactBodyLimit(t *testing.T) {
	r := journal.NewRedactor()
	got := r.Body("text/plain", []byte(strings.Repeat("a", 100)), 10)
	if got != strings.Repeat("a", 10)+"…[cut: 100 bytes]" {
		t.Errorf("got %q", got)
	}
	if r.Body("application/json", nil, 10) != "" {
		t.Error("empty body")
	}
	j := journal.New(1, r)
	if j.Redactor() != r {
		t.Error("journal redactor")
	}
	if got := j.RedactBody("application/json", []byte(`{"password":"x"}`)); strings.Contains(got, `"x"`) {
		t.Errorf("RedactBody: %s", got)
	}
}

func TestRedactHeaders(t *testing.T) {
	r := journal.NewRedactor()
	r.AddHeaders("x-api-token")
	h := http.Header{}
	h.Set("Authorization", "Bearer abcdefghijklmnop")
	h.Set("Cv-Auth", "v1:deadbeefcafebabe")
	h.Set("X-Api-Token", "tok-123456789")
	h.Set("Signature", "xy")
	h.Set("Content-Type", "application/json")
	h.Add("Cookie", "session=secret-session")
	got := r.Headers(h)
	for _, secret := range []string{"abcdefghijklmnop", "deadbeefcafebabe", "tok-123456789", "secret-session"} {
		for k, v := range got {
			if strings.Contains(v, secret) {
				t.Errorf("%s: %q contains %q", k, v, secret)
			}
		}
	}
	if got["Content-Type"] != "application/json" {
		t.Errorf("Content-Type %q", got["Content-Type"])
	}
	if !strings.HasPrefix(got["Authorization"], "Bearer ") {
		t.Errorf("scheme lost: %q", got["Authorization"])
	}
	if got["Signature"] != journal.Redacted {
		t.Errorf("short value: %q", got["Signature"])
	}
	if r.Headers(nil) != nil {
		t.Error("nil headers")
	}
}

func TestRedactQuery(t *testing.T) {
	r := journal.NewRedactor()
	cases := []struct{ in, wantHas, wantNot string }{
		{"", "", "x"},
		{"a=1&b=2", "a=1&b=2", "redacted"},
		{"password=hunter2&a=1", "a=1", "hunter2"},
		{"q=" + visa, "q=", visa},
		{"%zz", journal.Redacted, "%zz"},
	}
	for _, c := range cases {
		got := r.Query(c.in)
		if !strings.Contains(got, c.wantHas) || strings.Contains(got, c.wantNot) {
			t.Errorf("Query(%q) = %q", c.in, got)
		}
	}
}

func FuzzRedactJSONNeverLeaksPassword(f *testing.F) {
	f.Add(`{"a":{"password":"%s"}}`)
	f.Add(`[{"b":[{"Pass_Word":"%s"}]}]`)
	f.Add(`{"password":"%s","x":"` + visa + `"}`)
	r := journal.NewRedactor()
	const secret = "Zq9SecretValue"
	f.Fuzz(func(t *testing.T, tmpl string) {
		if strings.Count(tmpl, "%s") != 1 {
			return
		}
		body := strings.Replace(tmpl, "%s", secret, 1)
		got := r.JSON([]byte(body))
		// Only a well-formed document with the secret under a password key
		// is checked: free text may legitimately carry the word.
		if strings.Contains(got, secret) && strings.Contains(strings.ToLower(body), `"password":"`+strings.ToLower(secret)) {
			t.Errorf("JSON(%s) = %s", body, got)
		}
	})
}

// A Luhn-valid card number surrounded by any text (separated by a space)
// is never journaled in clear.
func FuzzRedactTextNeverLeaksCard(f *testing.F) {
	f.Add("paid with", "on 12/30 cvv 123")
	f.Add("1 2 3", "4 5 6")
	f.Add("ssn 123-45-6789 card", "-99")
	f.Add("", "")
	r := journal.NewRedactor()
	f.Fuzz(func(t *testing.T, before, after string) {
		for _, card := range []string{visa, amex, master, "4111 1111 1111 1111", "4111-1111-1111-1111"} {
			text := before + " " + card + " " + after
			got := r.Body("text/plain", []byte(text), 0)
			// The card may only remain if the surrounding text itself
			// contains it.
			if strings.Contains(got, card) && !strings.Contains(before, card) && !strings.Contains(after, card) {
				t.Errorf("%q journaled as %q", text, got)
			}
		}
	})
}

func TestRedactJSONUnderOtherContentTypes(t *testing.T) {
	r := journal.NewRedactor()
	body := []byte(`{"email":"a@b.c","password":"hunter2","card":"4111111111111111"}`)
	for _, ct := range []string{"application/x-www-form-urlencoded", "text/plain", "", "application/octet-stream"} {
		got := r.Body(ct, body, 4096)
		if strings.Contains(got, "hunter2") || strings.Contains(got, "4111111111111111") {
			t.Errorf("content type %q: journaled %s", ct, got)
		}
	}
}

// secretFields is what a handler might decode: every field is a key the
// redactor treats as sensitive.
type secretFields struct {
	Password   string `json:"password"`
	Pass       string `json:"pass"`
	SecretKey  string `json:"secret_key"`
	CardNumber string `json:"cardNumber"`
	Nested     *struct {
		Password string `json:"password"`
	} `json:"nested"`
	List []struct {
		CVV string `json:"cvv"`
	} `json:"list"`
}

func (s secretFields) values() []string {
	out := []string{s.Password, s.Pass, s.SecretKey, s.CardNumber}
	if s.Nested != nil {
		out = append(out, s.Nested.Password)
	}
	for _, l := range s.List {
		out = append(out, l.CVV)
	}
	return out
}

// The redactor agrees with the decoder: whatever spelling of a key
// encoding/json matched to a sensitive field (any case, Unicode simple
// folding such as U+017F for s and U+212A for K, escapes), decoding the
// redacted body fills that field with the redaction marker, never the value.
func FuzzRedactAgreesWithDecoder(f *testing.F) {
	for _, s := range []string{
		`{"password":"hunter2"}`,
		`{"paſſword":"hunter2"}`,
		`{"PAſS":"hunter2"}`,
		`{"secret_\u212Aey":"sk_live"}`,
		`{"SECRET_KEY":"sk_live","nested":{"pa\u017f\u017fword":"x1"}}`,
		`{"list":[{"CVV":"123"},{"cvv":"456"}],"cardnumber":"4111"}`,
		`{"pass\u0077ord":"escaped","password":"dup"}`,
		`{"nested":{"Password":"a"},"password":"a","x":"a"}`,
	} {
		f.Add([]byte(s))
	}
	r := journal.NewRedactor()
	f.Fuzz(func(t *testing.T, body []byte) {
		var in secretFields
		if json.Unmarshal(body, &in) != nil {
			return
		}
		got := r.Body("application/json", body, 0)
		var out secretFields
		if err := json.Unmarshal([]byte(got), &out); err != nil {
			t.Fatalf("redacted %q is no longer JSON: %q: %v", body, got, err)
		}
		for i, v := range out.values() {
			if v != "" && v != journal.Redacted {
				t.Fatalf("field %d decoded as %q from the redacted body\n body %q\n redacted %q", i, v, body, got)
			}
		}
	})
}
