package crm

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/mail"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/fakeprovider/fakeprovider/internal/lazyre"
)

// Time layouts of the API.
const (
	timeLayout = "2006-01-02 15:04:05"
	dateLayout = "2006-01-02"
	maxLimit   = 500
	// maxWindow is the longest start..end span of date-ranged queries.
	maxWindowMonths = 3
)

// idPattern is the docs' "length 8" rule of every id. The ids the CRM
// makes are lowercase alphanumerics; the docs do not restrict what a client
// may send, so any 8 letters or digits are accepted.
var idPattern = lazyre.New(`^[\p{L}\p{N}]{8}$`)

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// newID is an 8-character lowercase alphanumeric id like the CRM's.
func newID() string { return randomString(8, idAlphabet) }

func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func validID(s string) bool { return idPattern.MatchString(s) }

func checkID(field, s string, required bool) error {
	if s == "" {
		if required {
			return invalid(field + " is required")
		}
		return nil
	}
	if !validID(s) {
		return invalid(field + " must be 8 letters or digits")
	}
	return nil
}

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// paging reads skip/limit from a query; required for some endpoints,
// defaulting to 0/10 on others.
func paging(q url.Values, required bool) (skip, limit int, err error) {
	skip, limit = 0, 10
	if v := q.Get("skip"); v != "" || required {
		if skip, err = strconv.Atoi(v); err != nil || skip < 0 {
			return 0, 0, invalid("skip must be a number ≥ 0")
		}
	}
	if v := q.Get("limit"); v != "" || required {
		if limit, err = strconv.Atoi(v); err != nil || limit < 0 || limit > maxLimit {
			return 0, 0, invalid("limit must be a number between 0 and 500")
		}
	}
	return skip, limit, nil
}

func checkPaging(skip, limit *int) error {
	if skip == nil || *skip < 0 {
		return invalid("skip is required and must be ≥ 0")
	}
	if limit == nil || *limit < 0 || *limit > maxLimit {
		return invalid("limit is required and must be between 0 and 500")
	}
	return nil
}

func page[T any](all []T, skip, limit int) list[T] {
	out := list[T]{Count: len(all), Records: []T{}}
	if skip < len(all) {
		end := min(skip+limit, len(all))
		out.Records = all[skip:end]
	}
	return out
}

// dateWindow parses start/end (YYYY-MM-DD) no more than 3 months apart.
func dateWindow(start, end string) (time.Time, time.Time, error) {
	s, err := time.Parse(dateLayout, start)
	if err != nil {
		return time.Time{}, time.Time{}, invalid("start must be a date YYYY-MM-DD")
	}
	e, err := time.Parse(dateLayout, end)
	if err != nil {
		return time.Time{}, time.Time{}, invalid("end must be a date YYYY-MM-DD")
	}
	// An end before the start is an empty window, not an error (no source
	// refuses it).
	if e.After(s.AddDate(0, maxWindowMonths, 0)) {
		return time.Time{}, time.Time{}, invalid("start and end may not be more than 3 months apart")
	}
	return s, e.Add(24*time.Hour - time.Nanosecond), nil
}

func checkEmail(s string) error {
	if s == "" {
		return invalid("email is required")
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
		return invalid("email is not a valid email address")
	}
	return nil
}

// checkTradingPassword applies the MT4 (5–15 chars, two of lower/upper/digit)
// or MT5 (8–15 chars, lower, upper, digit and special) password rules.
func checkTradingPassword(field, platformName, pw string) error {
	if pw == "" {
		return nil
	}
	var lower, upper, digit, special bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			special = true
		}
	}
	n := len([]rune(pw))
	if platformName == "mt5" {
		if n < 8 || n > 15 || !lower || !upper || !digit || !special {
			return invalid(field + " must be 8-15 characters with a lowercase letter, an uppercase letter, a digit and a special character")
		}
		return nil
	}
	kinds := 0
	for _, k := range []bool{lower, upper, digit} {
		if k {
			kinds++
		}
	}
	if n < 5 || n > 15 || kinds < 2 {
		return invalid(field + " must be 5-15 characters with at least two of lowercase, uppercase and digits")
	}
	return nil
}

// parseAmount reads a decimal given as a JSON string or number.
func parseAmount(field string, v any, required bool) (float64, error) {
	var s string
	switch x := v.(type) {
	case nil:
		if required {
			return 0, invalid(field + " is required")
		}
		return 0, nil
	case string:
		s = x
	case json.Number:
		s = x.String()
	case float64:
		return x, nil
	default:
		return 0, invalid(field + " must be a decimal")
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f != f {
		return 0, invalid(field + " must be a decimal")
	}
	return f, nil
}

func validLanguage(s string) bool {
	switch s {
	case "", "en-us", "zh-cn", "zh-tw", "vi", "ja", "th", "id", "de", "es":
		return true
	}
	return false
}

func checkLanguage(s string) error {
	if !validLanguage(s) {
		return invalid(fmt.Sprintf("language %q is not a supported language code", s))
	}
	return nil
}

func validCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

func round2(f float64) float64 { return roundTo(f, 2) }

// roundTo rounds to digits decimals through their decimal text, so that the
// answer's JSON number is written with at most that many decimals.
func roundTo(f float64, digits int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', digits, 64), 64)
	return v
}

func money(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func parseTime(s string) (time.Time, error) { return time.ParseInLocation(timeLayout, s, time.UTC) }
