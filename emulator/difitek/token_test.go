package difitek

import (
	"fmt"
	"regexp"
	"testing"
)

// tokenFieldRE is the field grammar of cv-auth as a regular expression: the
// reference the hand-written scanner must agree with.
var tokenFieldRE = regexp.MustCompile(`(\w+)="([^"]*)"`)

func referenceFields(s string) string {
	var out []string
	for _, m := range tokenFieldRE.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1]+"="+m[2])
	}
	return fmt.Sprint(out)
}

func scannedFields(s string) string {
	var out []string
	for name, value := range tokenFields(s) {
		out = append(out, name+"="+value)
	}
	return fmt.Sprint(out)
}

var tokenFieldSeeds = []string{
	`ApiKey="k", TokenDigest="d", Nonce="n", Created="2024-01-02T03:04:05Z", Username="u", Password="p"`,
	`ApiKey="k",TokenDigest="d"Nonce="n"`, `xApiKey="a"`, `a"b="c"`, `a="b`, `a="" b="c"`,
	`="x" a="y"`, `a = "b"`, `a=="b"`, `ü="x" _9="y"`, `a="b"c="d"`, ``, `"""`, `a="b" c="`,
}

func TestTokenFieldsMatchTheGrammar(t *testing.T) {
	for _, s := range tokenFieldSeeds {
		if got, want := scannedFields(s), referenceFields(s); got != want {
			t.Errorf("%q: scanned %s, grammar %s", s, got, want)
		}
	}
}

func FuzzTokenFields(f *testing.F) {
	for _, s := range tokenFieldSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := scannedFields(s), referenceFields(s); got != want {
			t.Fatalf("%q: scanned %s, grammar %s", s, got, want)
		}
	})
}
