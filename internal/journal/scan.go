package journal

import (
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"
)

// redactValidJSON redacts a document that json.Valid accepted in one pass
// over its bytes, without decoding it into maps: a value is replaced when
// the nearest key above it is sensitive (array elements inherit the key of
// their array), and strings and numbers elsewhere are scrubbed of card
// numbers and SSNs. Objects under a sensitive key are walked, not dropped,
// so that their own keys decide. Everything else is kept byte for byte, in
// its original order and spacing; a body with nothing to redact costs one
// scan and one copy. Decoding every body into maps and encoding it again
// was a third of the CPU of an authenticated GET.
func (r *Redactor) redactValidJSON(b []byte) string {
	keys := r.keySet()
	var out []byte // nil until something is replaced
	copied := 0    // b[copied:] is not yet in out
	replace := func(start, end int, repl string) {
		if out == nil {
			out = make([]byte, 0, len(b)+16)
		}
		out = append(out, b[copied:start]...)
		out = append(out, repl...)
		copied = end
	}
	// frame is an open object or array; sensitive tells whether its
	// values are (for an object, under the key just read).
	type frame struct {
		object    bool
		sensitive bool
	}
	var stackBuf [32]frame
	stack := stackBuf[:0]
	expectKey := false
	valueSensitive := func() bool {
		return len(stack) > 0 && stack[len(stack)-1].sensitive
	}
	for i := 0; i < len(b); {
		switch c := b[i]; c {
		case ' ', '\t', '\n', '\r', ':':
			i++
		case ',':
			expectKey = len(stack) > 0 && stack[len(stack)-1].object
			i++
		case '{':
			stack = append(stack, frame{object: true})
			expectKey = true
			i++
		case '[':
			stack = append(stack, frame{sensitive: valueSensitive()})
			expectKey = false
			i++
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			expectKey = false
			i++
		case '"':
			end, escaped := stringEnd(b, i)
			raw := b[i+1 : end-1]
			if expectKey {
				stack[len(stack)-1].sensitive = keys.has(raw, escaped)
				expectKey = false
				i = end
				continue
			}
			if valueSensitive() {
				if len(raw) > 0 {
					replace(i, end, `"`+Redacted+`"`)
				}
			} else if escaped || longestDigitRun(raw) >= minScrubDigits {
				// Escapes may hide digits (\u0034): those are unescaped
				// first and scrub decides.
				s := string(raw)
				if escaped {
					s = unquote(b[i:end])
				}
				if scrubbed := scrub(s); scrubbed != s {
					replace(i, end, quote(scrubbed))
				}
			}
			i = end
		default: // number, true, false or null
			end := i
			for end < len(b) && !isDelim(b[end]) {
				end++
			}
			tok := b[i:end]
			if valueSensitive() {
				if string(tok) != "null" {
					replace(i, end, `"`+Redacted+`"`)
				}
			} else if longestDigitRun(tok) >= minScrubDigits {
				if s := scrub(string(tok)); s != string(tok) {
					replace(i, end, quote(s))
				}
			}
			i = end
		}
	}
	if out == nil {
		return string(b)
	}
	out = append(out, b[copied:]...)
	return string(out)
}

// stringEnd returns the index after the closing quote of the string that
// starts at b[start] == '"', and whether it holds escapes.
func stringEnd(b []byte, start int) (int, bool) {
	escaped := false
	for i := start + 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			escaped = true
			i++
		case '"':
			return i + 1, escaped
		}
	}
	return len(b), escaped
}

func isDelim(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\n', '\r', ':':
		return true
	}
	return false
}

func unquote(lit []byte) string {
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		return string(lit)
	}
	return s
}

func quote(s string) string {
	q, err := json.Marshal(s)
	if err != nil {
		return `"` + Redacted + `"`
	}
	return string(q)
}

// minScrubDigits is the fewest digits in one run that scrub can mask (an
// SSN has 9, a card number 13): text with fewer needs no regular expression.
const minScrubDigits = 9

// longestDigitRun is the most digits in one run of digits joined by at most
// three spaces or dashes (what digitsRE matches): dates and times, split
// by 'T' and ':', never reach an SSN's 9 or a card's 13.
func longestDigitRun[T string | []byte](s T) int {
	best, run, seps := 0, 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			run++
			seps = 0
			best = max(best, run)
		case (c == ' ' || c == '-') && run > 0 && seps < 3:
			seps++
		default:
			run, seps = 0, 0
		}
	}
	return best
}

// keySet is an immutable set of normalized sensitive key names.
type keySet map[string]bool

// has reports whether the raw (still quoted-escaped when escaped) key
// is sensitive. ASCII keys are normalized in a stack buffer; the lookup
// m[string(bytes)] does not allocate.
func (k keySet) has(raw []byte, escaped bool) bool {
	if escaped || len(raw) > 64 {
		key := string(raw)
		if escaped {
			key = unquote([]byte(`"` + key + `"`))
		}
		return k[normKey(key)]
	}
	var buf [64]byte
	n := 0
	for _, c := range raw {
		switch {
		case c >= 0x80:
			return k[normKey(string(raw))]
		case c == '_' || c == '-' || c == '[' || c == ']':
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	return k[string(buf[:n])]
}

// normKey folds a key the way encoding/json matches a field name (Unicode
// simple folding: "paſſword" with U+017F and "\u212Aey" with the Kelvin sign
// both decode into an ASCII field) and drops '_', '-', '[' and ']', so that
// card_number, cardNumber, Card-Number and card[number] are one name.
func normKey(k string) string {
	var b strings.Builder
	b.Grow(len(k))
	for _, r := range k {
		switch {
		case r == '_' || r == '-' || r == '[' || r == ']':
			continue
		case r >= utf8.RuneSelf:
			r = foldRune(r)
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldRune returns the smallest rune of r's simple fold set, as
// encoding/json's foldName does: every spelling the decoder treats as one
// name gets one normal form.
func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}
