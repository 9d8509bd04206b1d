package crowdtrust

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/lazyre"
)

// object is a decoded JSON object whose fields are read one by one, so
// every field's error names the field.
type object map[string]json.RawMessage

// parseObject decodes a request body that must be one JSON object. Only a
// body that is not JSON at all gets the bare "Invalid Input"; well-formed
// JSON of another shape is named in details.
func parseObject(body []byte) (object, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, errMalformedJSON
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, invalid("body", "The request body must be a JSON object")
	}
	var o object
	if err := json.Unmarshal(body, &o); err != nil {
		return nil, errMalformedJSON
	}
	return o, nil
}

// str reads an optional string field; prefix names nested fields.
func (o object) str(field, prefix string) (string, error) {
	raw, ok := o[field]
	if !ok || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", invalid(prefix+field, "The provided "+field+" must be a string")
	}
	return strings.TrimSpace(s), nil
}

// required reads a string field that must not be empty.
func (o object) required(field, prefix string) (string, error) {
	s, err := o.str(field, prefix)
	if err != nil {
		return "", err
	}
	if s == "" {
		return "", invalid(prefix+field, "The "+field+" field is required")
	}
	return s, nil
}

// number reads an integer sent as a JSON number or a digit string.
func (o object) number(field string) (int, bool, error) {
	raw, ok := o[field]
	if !ok || string(raw) == "null" {
		return 0, false, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, true, invalid(field, "The provided "+field+" must be a number")
		}
		n = json.Number(strings.TrimSpace(s))
	}
	v, err := strconv.Atoi(n.String())
	if err != nil {
		return 0, true, invalid(field, "The provided "+field+" must be a whole number")
	}
	return v, true, nil
}

// objects reads an optional array of objects.
func (o object) objects(field string) ([]object, error) {
	raw, ok := o[field]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	var items []object
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, invalid(field, "The provided "+field+" must be a list of objects")
	}
	for i, it := range items {
		if it == nil {
			return nil, invalid(fmt.Sprintf("%s[%d]", field, i), "must be an object")
		}
	}
	return items, nil
}

var (
	tosTokenPattern = lazyre.New(`^[a-z0-9]{8}$`)
	ssnPattern      = lazyre.New(`^\d{9}$`)
	digitsPattern   = lazyre.New(`^\d+$`)
)

// validDate reports whether s is a real yyyy-MM-dd date.
func validDate(s string) bool {
	if len(s) != 10 {
		return false
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// validEmail reports whether s is a bare e-mail address.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == "" && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// normalizeSSN returns the nine digits of an SSN, however it is grouped
// (NNN-NN-NNNN, NNNNNNNNN, spaces).
func normalizeSSN(s string) (string, bool) {
	digits := strings.NewReplacer("-", "", " ", "").Replace(s)
	if !ssnPattern.MatchString(digits) {
		return "", false
	}
	return digits, true
}

// maskSSN is how the service shows an SSN: ***-**-1234.
func maskSSN(last4 string) string { return "***-**-" + last4 }

// webhookAllowed checks a webhook URL: https, or http on a loopback host
// when allowed.
func webhookAllowed(raw string, loopbackHTTP bool) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		if !loopbackHTTP {
			return false
		}
		host := u.Hostname()
		if host == "localhost" {
			return true
		}
		ip := net.ParseIP(host)
		return ip != nil && ip.IsLoopback()
	}
	return false
}

// luhn reports whether a digit string passes the Luhn checksum.
func luhn(digits string) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// cardBrand names a card's brand from its leading digits.
func cardBrand(number string) string {
	switch {
	case strings.HasPrefix(number, "4"):
		return "Visa"
	case strings.HasPrefix(number, "34"), strings.HasPrefix(number, "37"):
		return "American Express"
	case len(number) >= 2 && number[0] == '5' && number[1] >= '1' && number[1] <= '5', strings.HasPrefix(number, "2"):
		return "MasterCard"
	case strings.HasPrefix(number, "6011"), strings.HasPrefix(number, "65"):
		return "Discover"
	case strings.HasPrefix(number, "35"):
		return "JCB"
	case strings.HasPrefix(number, "30"), strings.HasPrefix(number, "36"), strings.HasPrefix(number, "38"):
		return "Diners Club"
	}
	return "Unknown"
}

// declineCard is Stripe's always-declined test card.
const declineCard = "4000000000000002"
