package journal

import (
	"regexp"
	"testing"
)

// The regular expressions the hand-written scanners replace: their
// answers are the reference.
var (
	refSSN    = regexp.MustCompile(`\b\d{3}-\d{2}-\d{4}\b`)
	refDigits = regexp.MustCompile(`\d(?:[ -]{0,3}\d)+`)
)

func refMask(v string) (ssn, cards string) {
	return refSSN.ReplaceAllString(v, Redacted), refDigits.ReplaceAllStringFunc(v, scrubCards)
}

var maskCases = []string{
	"", "123-45-6789", "x123-45-6789", "123-45-6789x", "a 123-45-6789.", "123-45-67890", "0123-45-6789",
	"123-45-6789 987-65-4321", "123-45-6789123-45-6789", "_123-45-6789", "é123-45-6789",
	"4111 1111 1111 1111", "4111-1111-1111-1111", "4111    1111 1111 1111", "cvv 123 card 4111111111111111 exp 12 30",
	"1", "1 2", "12", "4111111111111111 4111111111111111", "5555555555554444-", "- 4111111111111111",
	"4111 - 1111 - 1111 - 1111", "4111 -  1111", "99999999999999999999999",
}

func TestMaskersMatchTheRegexps(t *testing.T) {
	for _, v := range maskCases {
		ssn, cards := refMask(v)
		if got := maskSSNs(v); got != ssn {
			t.Errorf("maskSSNs(%q) = %q, regexp %q", v, got, ssn)
		}
		if got := maskDigitRuns(v); got != cards {
			t.Errorf("maskDigitRuns(%q) = %q, regexp %q", v, got, cards)
		}
	}
}

func FuzzMaskersMatchTheRegexps(f *testing.F) {
	for _, v := range maskCases {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		ssn, cards := refMask(v)
		if got := maskSSNs(v); got != ssn {
			t.Fatalf("maskSSNs(%q) = %q, regexp %q", v, got, ssn)
		}
		if got := maskDigitRuns(v); got != cards {
			t.Fatalf("maskDigitRuns(%q) = %q, regexp %q", v, got, cards)
		}
	})
}
