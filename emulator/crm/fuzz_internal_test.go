package crm

import (
	"strings"
	"testing"
)

// FuzzVerify: checkSignature never panics, accepts exactly the signatures
// of the tenant's mode, and PSP/v1 strings never panic on any body.
func FuzzVerify(f *testing.F) {
	f.Add("test-api-key-123", `{"id":"ab12cd34"}`, "sha256=5874084a77edbf7e207ca47bb63cbb16de879b5b620647453507741a284bbff5")
	f.Add("test-api-key-123", `{"id":"ab12cd34","comment":"Sanitized reason"}`, "2297D00E0BE4973B305DBA85FA7521C4925D34D6")
	f.Add("k", `[1,2]`, "")
	f.Add("k", `{"a":{"b":[null,1.0e3]}}`, "sha256=")
	f.Add("k", "\xff\xfe", "x")
	f.Fuzz(func(t *testing.T, key, body, sig string) {
		raw := []byte(body)
		for _, mode := range []string{AuthV2, AuthV1, AuthBoth} {
			err := checkSignature(key, mode, sig, raw)
			if err == nil {
				v1, _ := SignV1(key, raw)
				okV2 := mode != AuthV1 && sig == SignV2(key, raw)
				okV1 := mode != AuthV2 && v1 != "" && sig == v1
				if !okV2 && !okV1 {
					t.Fatalf("mode %s accepted %q for %q", mode, sig, body)
				}
			} else if err.Public != errInvalidSignature {
				t.Fatalf("public error %v", err.Public)
			}
		}
		if err := checkSignature(key, AuthBoth, SignV2(key, raw), raw); err != nil && len(strings.TrimSpace(body)) > 0 {
			t.Fatalf("own v2 signature refused: %v", err)
		}
		_, _ = PSPSign(key, raw)
	})
}
