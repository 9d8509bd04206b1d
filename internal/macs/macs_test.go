package macs

import (
	"sync"
	"testing"
)

// Vectors from RFC 4231 (test cases 1 and 2) and one computed with
// python3: hmac.new(b"secret", b"2026-12-01T10:00:00Zlogin{\"a\":1}", "sha256").hexdigest().
func TestSumVectors(t *testing.T) {
	var p Pool
	tests := []struct {
		key   string
		parts []string
		tail  string
		want  string
	}{
		{"\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b", nil, "Hi There",
			"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
		{"Jefe", []string{"what do ya want "}, "for nothing?",
			"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
		{"secret", []string{"2026-12-01T10:00:00Z", "login"}, `{"a":1}`,
			"0d6174871c263017c897da01fd40ea759c74bd56cde65c6e29ce831b13879c2b"},
	}
	for range 3 { // reused hashers: same answers
		for _, tt := range tests {
			sum := p.Sum(tt.key, []byte(tt.tail), tt.parts...)
			if !EqualHex(tt.want, sum[:]) {
				t.Fatalf("Sum(%q, %q, %q) = %x, want %s", tt.key, tt.tail, tt.parts, sum, tt.want)
			}
		}
	}
}

func TestEqualHex(t *testing.T) {
	sum := []byte{0xab, 0x01}
	for sent, want := range map[string]bool{"ab01": true, "AB01": false, "ab02": false, "ab0": false, "ab011": false, "": false} {
		if got := EqualHex(sent, sum); got != want {
			t.Errorf("EqualHex(%q) = %v, want %v", sent, got, want)
		}
	}
}

// Concurrent sums under different keys never mix their states.
func TestSumConcurrent(t *testing.T) {
	var p Pool
	want := map[string][32]byte{}
	for _, k := range []string{"a", "b", "c"} {
		want[k] = p.Sum(k, []byte("body"), "x")
	}
	var wg sync.WaitGroup
	for _, k := range []string{"a", "b", "c", "a", "b", "c"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 500 {
				if got := p.Sum(k, []byte("body"), "x"); got != want[k] {
					t.Errorf("key %s: %x", k, got)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// python3: base64.b64encode(hmac.new(b"Jefe", b"what do ya want for nothing?", "sha256").digest())
func TestEqualBase64(t *testing.T) {
	var p Pool
	sum := p.Sum("Jefe", []byte("what do ya want for nothing?"))
	for sent, want := range map[string]bool{
		"W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=": true,
		"W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM":  false,
		"w9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=": false,
		"": false,
	} {
		if got := EqualBase64(sent, sum); got != want {
			t.Errorf("EqualBase64(%q) = %v, want %v", sent, got, want)
		}
	}
}
