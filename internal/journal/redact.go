package journal

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/fakeprovider/fakeprovider/internal/lazyre"
)

// Redacted replaces a secret or personal value.
const Redacted = "[redacted]"

// Redactor removes secrets and personal data from what is journaled: values
// of sensitive keys (by name, at any depth of JSON or form bodies), anything
// that looks like a card number (13–19 digits passing Luhn) or a US SSN, and
// the values of credential headers.
type Redactor struct {
	mu sync.Mutex // serialises AddKeys and AddHeaders
	// keys and headers are replaced whole on change (copy on write), so
	// the per-request reads take no lock.
	keys    atomic.Pointer[keySet]
	headers atomic.Pointer[map[string]bool]
}

var defaultKeys = []string{
	"password", "pass", "passwd", "passphrase", "newpassword", "oldpassword", "currentpassword",
	"secret", "secretkey", "apisecret", "apisignature", "clientsecret",
	"cardnumber", "cvv", "cvc", "cvv2", "pan", "expirationmonth", "expirationyear", "expmonth", "expyear",
	"ssn", "socialsecuritynumber", "taxid",
	"otp", "verificationcode", "validationcode", "validatecode",
}

var defaultHeaders = []string{
	"Authorization", "Cv-Auth", "Jwt-Auth", "Signature", "Payload-Signature", "Key",
	"X-Crm-Signature", "Crm-Pay-Token", "Cookie", "Set-Cookie", "Proxy-Authorization",
}

// NewRedactor returns a redactor with the default sensitive names.
func NewRedactor() *Redactor {
	r := &Redactor{}
	r.keys.Store(&keySet{})
	r.headers.Store(&map[string]bool{})
	r.AddKeys(defaultKeys...)
	r.AddHeaders(defaultHeaders...)
	return r
}

// AddKeys adds body field names to redact (case, '_' and '-' ignored).
func (r *Redactor) AddKeys(keys ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	next := keySet{}
	for k := range *r.keys.Load() {
		next[k] = true
	}
	for _, k := range keys {
		next[normKey(k)] = true
	}
	r.keys.Store(&next)
}

func (r *Redactor) keySet() keySet { return *r.keys.Load() }

// AddHeaders adds header names whose values are redacted.
func (r *Redactor) AddHeaders(names ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	next := map[string]bool{}
	for h := range *r.headers.Load() {
		next[h] = true
	}
	for _, h := range names {
		next[http.CanonicalHeaderKey(h)] = true
	}
	r.headers.Store(&next)
}

func (r *Redactor) sensitive(key string) bool {
	return r.keySet()[normKey(key)]
}

// Headers returns the request headers with credential values masked.
func (r *Redactor) Headers(h http.Header) map[string]string {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string]string, len(h))
	credentials := *r.headers.Load()
	for k, vs := range h {
		out[k] = headerValue(credentials, k, vs)
	}
	return out
}

// headerValue is one header as journaled: its values joined, masked when
// credentials names it.
func headerValue(credentials map[string]bool, name string, values []string) string {
	v := strings.Join(values, ", ")
	if credentials[name] {
		v = maskCredential(v)
	}
	return v
}

// headerList is a header set as it is journaled, name and value
// alternating: one allocation per set instead of a map's.
type headerList []string

// headerList returns h redacted (Headers) and bounded (boundHeaders).
func (r *Redactor) headerList(h http.Header) headerList {
	if len(h) == 0 {
		return nil
	}
	out := make(headerList, 0, 2*len(h))
	credentials := *r.headers.Load()
	total, long := 0, false
	for k, vs := range h {
		v := headerValue(credentials, k, vs)
		out = append(out, k, v)
		total += len(k) + len(v)
		long = long || len(v) > MaxHeaderValue
	}
	if !long && total <= MaxHeaderTotal {
		return out
	}
	// Rare: cut and drop as boundHeaders does.
	kept := boundHeaders(out.toMap())
	out = out[:0]
	for k, v := range kept {
		out = append(out, k, v)
	}
	return out
}

// toMap returns the list as a map (nil when empty).
func (l headerList) toMap() map[string]string {
	if len(l) == 0 {
		return nil
	}
	m := make(map[string]string, len(l)/2)
	for i := 0; i+1 < len(l); i += 2 {
		m[l[i]] = l[i+1]
	}
	return m
}

// maskCredential keeps a scheme word and a short prefix, enough to tell
// which key was used without revealing it.
func maskCredential(v string) string {
	scheme := ""
	if i := strings.IndexByte(v, ' '); i > 0 && i < 12 {
		scheme, v = v[:i+1], v[i+1:]
	}
	if len(v) > 4 {
		return scheme + v[:4] + "…" + Redacted
	}
	return scheme + Redacted
}

// Query redacts sensitive query parameters.
func (r *Redactor) Query(raw string) string {
	if raw == "" {
		return ""
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return Redacted
	}
	changed := false
	for k, vs := range q {
		for i, v := range vs {
			if nv := r.value(k, v); nv != v {
				vs[i], changed = nv, true
			}
		}
	}
	if !changed {
		return raw
	}
	return q.Encode()
}

var (
	// keyRE finds a "key": in text that is not valid JSON; the value after
	// it is a string (possibly unterminated) or a bare token (valueRE).
	keyRE   = lazyre.New(`"([^"\\]{1,64})"\s*:\s*`)
	valueRE = lazyre.New(`^(?:"(?:[^"\\]|\\.)*"?|[^\s,{}\[\]"]+)`)
)

// value redacts one value under key.
func (r *Redactor) value(key, v string) string {
	if r.sensitive(key) {
		if v == "" {
			return v
		}
		return Redacted
	}
	return scrub(v)
}

// scrub masks card numbers and SSNs inside free text. A run of digit groups
// (separated by spaces or dashes) is searched for any consecutive groups
// holding 13–19 digits that pass Luhn, so a card number next to a CVV, an
// expiry or another card is still found.
func scrub(v string) string {
	run := longestDigitRun(v)
	if run < minScrubDigits {
		return v
	}
	v = maskSSNs(v)
	if run < 13 {
		return v
	}
	return maskDigitRuns(v)
}

// maskSSNs replaces every ddd-dd-dddd standing as a word of its own (the
// regular expression \b\d{3}-\d{2}-\d{4}\b, scanned by hand: regexps
// were most of the journal's cost of a create) with Redacted.
func maskSSNs(v string) string {
	const n = len("123-45-6789")
	var out strings.Builder
	prev := 0
	for i := 0; i+n <= len(v); {
		if !ssnAt(v, i) {
			i++
			continue
		}
		out.WriteString(v[prev:i])
		out.WriteString(Redacted)
		i += n
		prev = i
	}
	if prev == 0 {
		return v
	}
	out.WriteString(v[prev:])
	return out.String()
}

func ssnAt(v string, i int) bool {
	const shape = "ddd-dd-dddd"
	if i > 0 && isWordByte(v[i-1]) || i+len(shape) < len(v) && isWordByte(v[i+len(shape)]) {
		return false
	}
	for k := 0; k < len(shape); k++ {
		c := v[i+k]
		if shape[k] == '-' && c != '-' || shape[k] == 'd' && !isDigit(c) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isWordByte is a byte of \w: the ASCII letters, digits and underscore.
func isWordByte(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// maskDigitRuns hands every run of at least two digits separated by at
// most three spaces or dashes (the regular expression \d(?:[ -]{0,3}\d)+,
// leftmost first, scanned by hand) to scrubCards.
func maskDigitRuns(v string) string {
	var out strings.Builder
	prev := 0
	for i := 0; i < len(v); {
		if !isDigit(v[i]) {
			i++
			continue
		}
		end := i + 1
		for {
			k := end
			for seps := 0; seps < 3 && k < len(v) && (v[k] == ' ' || v[k] == '-'); seps++ {
				k++
			}
			if k >= len(v) || !isDigit(v[k]) {
				break
			}
			end = k + 1
		}
		if end-i < 2 { // a lone digit
			i++
			continue
		}
		if r := scrubCards(v[i:end]); r != v[i:end] {
			out.WriteString(v[prev:i])
			out.WriteString(r)
			prev = end
		}
		i = end
	}
	if prev == 0 {
		return v
	}
	out.WriteString(v[prev:])
	return out.String()
}

func scrubCards(m string) string {
	// Digit groups of the run: m[locs[k][0]:locs[k][1]].
	var locs [][2]int
	total := 0
	for i := 0; i < len(m); {
		if m[i] < '0' || m[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(m) && m[j] >= '0' && m[j] <= '9' {
			j++
		}
		locs = append(locs, [2]int{i, j})
		total += j - i
		i = j
	}
	if total < 13 {
		return m
	}
	var covered []bool
	var buf [19]byte
	for i := range locs {
		n := 0
		for j := i; j < len(locs); j++ {
			g := m[locs[j][0]:locs[j][1]]
			if n+len(g) > len(buf) {
				break
			}
			n += copy(buf[n:], g)
			if n >= 13 && luhn(string(buf[:n])) {
				if covered == nil {
					covered = make([]bool, len(locs))
				}
				for k := i; k <= j; k++ {
					covered[k] = true
				}
			}
		}
	}
	if covered == nil {
		return m
	}
	var out strings.Builder
	prev := 0
	for i := 0; i < len(locs); i++ {
		if !covered[i] {
			continue
		}
		j := i
		for j+1 < len(locs) && covered[j+1] {
			j++
		}
		out.WriteString(m[prev:locs[i][0]])
		out.WriteString(Redacted)
		prev = locs[j][1]
		i = j
	}
	out.WriteString(m[prev:])
	return out.String()
}

func luhn(d string) bool {
	sum, double := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}

// Body returns a redacted, length-bounded copy of a request or response body.
func (r *Redactor) Body(contentType string, body []byte, limit int) string {
	if len(body) == 0 {
		return ""
	}
	body0 := body
	ct := strings.ToLower(contentType)
	trimmed := bytes.TrimSpace(body)
	// Clients often send JSON under another type (curl -d sends form
	// encoding): what parses as JSON is redacted as JSON.
	looksJSON := len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && json.Valid(trimmed)
	var out string
	switch {
	case looksJSON:
		out = r.redactValidJSON(body)
	case strings.Contains(ct, "x-www-form-urlencoded"):
		out = r.Query(string(body))
	case strings.Contains(ct, "json") || (ct == "" && (body[0] == '{' || body[0] == '[')):
		out = r.JSON(body)
	case strings.HasPrefix(ct, "text/") || ct == "":
		// Only the kept prefix is scrubbed (plus enough for a card number
		// across the cut): the work stays bounded for large bodies.
		if limit > 0 && len(body) > limit+64 {
			body = body[:limit+64]
		}
		out = scrub(string(body))
	default:
		return "[" + ct + " body, " + itoa(len(body)) + " bytes]"
	}
	if limit > 0 {
		out = cutTo(out, limit, max(len(out), len(body0)))
	}
	return out
}

// JSON redacts a JSON document; a body that is not valid JSON is scrubbed
// as text, after masking the values of sensitive keys that can be found.
func (r *Redactor) JSON(body []byte) string {
	if json.Valid(body) {
		return r.redactValidJSON(body)
	}
	// Truncated or broken JSON: still mask the values of sensitive keys
	// before scrubbing the text.
	text := string(body)
	var out strings.Builder
	prev := 0
	for _, loc := range keyRE.FindAllStringSubmatchIndex(text, -1) {
		if loc[0] < prev || !r.sensitive(text[loc[2]:loc[3]]) {
			continue
		}
		val := valueRE.FindString(text[loc[1]:])
		if val == "" {
			continue
		}
		out.WriteString(text[prev:loc[1]])
		out.WriteString(`"` + Redacted + `"`)
		prev = loc[1] + len(val)
	}
	out.WriteString(text[prev:])
	return scrub(out.String())
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
