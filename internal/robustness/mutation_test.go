package robustness

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// flipHeaderByte changes b to another printable, non-space byte (headers
// are trimmed, so a space at an end would be a no-op, not a mutant). It
// flips low bits only, never 0x20, so letter case never changes: a case
// flip of a hex digit could be semantically identical where a service
// compares case-insensitively.
func flipHeaderByte(b byte) byte {
	for _, x := range []byte{1, 2, 4, 8, 0x10, 0x40} {
		if c := b ^ x; c > 0x20 && c < 0x7f {
			return c
		}
	}
	if b == 'A' {
		return 'B'
	}
	return 'A'
}

// flipPathByte changes a path byte to another that stays a valid,
// unescaped path character of the same segment.
func flipPathByte(b byte) byte {
	alnum := func(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	if alnum(b) {
		for _, x := range []byte{1, 2, 4, 8} {
			if c := b ^ x; alnum(c) {
				return c
			}
		}
	}
	if b == 'x' {
		return 'y'
	}
	return 'x'
}

// tolerated lists, per provider, the header mutants that leave the signed
// material semantically identical, so a real service accepts them too.
// Each entry is documented in docs/performance.md ("Signature mutations").
var tolerated = map[string]func(header, value string, j int) bool{
	// Difitek's cv-auth token is `AuthToken ApiKey="…", TokenDigest="…", …`:
	// the parser reads the quoted fields, so a flipped ", " separator
	// between them changes nothing that is signed. The network header is
	// not read: the network comes from the path (/v1/{network}/…), which
	// selects the tenant's credentials.
	"difitek": func(header, value string, j int) bool {
		if strings.EqualFold(header, "network") {
			return true
		}
		if !strings.EqualFold(header, "cv-auth") {
			return false
		}
		in := false
		for i := 0; i < j; i++ {
			if value[i] == '"' {
				in = !in
			}
		}
		if !in && (value[j] == ',' || value[j] == ' ') {
			return true
		}
		// The public caller Username="new" may send any Password (the PHP
		// client sends "bmV3", the Node.js SDK base64(XOR("new", secret));
		// emulator/difitek/README.md), and TokenDigest does not cover it.
		if i := strings.Index(value, `Username="new"`); i >= 0 && j >= i+len(`Username="new"`) {
			return true
		}
		return false
	},
}

type mutant struct {
	// ok reports that an acceptance of this mutant is tolerated.
	ok   bool
	what string
	part string // "header", "path", "body"
	// build returns a freshly signed request with the mutation applied.
	build func() (*http.Request, error)
}

// TestSignatureMutations takes every valid signed example request of every
// wired provider and flips each single byte of each auth header value, of
// the path and of the body in turn. Every header mutant must be rejected
// with a 4xx; no mutant may ever get a 5xx. A path or body mutant may be
// accepted only when the provider's scheme does not sign that part (the
// real service would accept it too), which the test detects by signing the
// mutated request and comparing (see signsPart); such acceptances are
// counted and logged.
func TestSignatureMutations(t *testing.T) {
	cs := wired(t)
	h := startAll(t)
	for _, c := range cs {
		t.Run(c.Name(), func(t *testing.T) {
			f := runExamples(t, h, c)
			ctx := context.Background()
			for i, ex := range f.resolved {
				stride := 1
				if testing.Short() {
					stride = 3
				}
				var ms []mutant
				for _, name := range authHeaders(t, f, ex) {
					probe, err := f.sess.Request(ctx, ex)
					if err != nil {
						t.Fatal(err)
					}
					n := len(probe.Header.Get(name))
					for j := 0; j < n; j += stride {
						tol := tolerated[c.Name()] != nil && tolerated[c.Name()](name, probe.Header.Get(name), j)
						ms = append(ms, mutant{ok: tol, what: fmt.Sprintf("header %s byte %d", name, j), part: "header", build: func() (*http.Request, error) {
							req, err := f.sess.Request(ctx, ex)
							if err != nil {
								return nil, err
							}
							v := []byte(req.Header.Get(name))
							if j >= len(v) {
								return nil, nil // a variable-length value: nothing at j this time
							}
							v[j] = flipHeaderByte(v[j])
							req.Header.Set(name, string(v))
							return req, nil
						}})
					}
				}
				path, query, _ := strings.Cut(ex.Path, "?")
				for j := 1; j < len(path); j += stride {
					ms = append(ms, mutant{what: fmt.Sprintf("path byte %d", j), part: "path", build: func() (*http.Request, error) {
						req, err := f.sess.Request(ctx, ex)
						if err != nil {
							return nil, err
						}
						p := []byte(path)
						p[j] = flipPathByte(p[j])
						req.URL.Path = Prefix(c, ex) + string(p)
						req.URL.RawPath = ""
						req.URL.RawQuery = query
						return req, nil
					}})
				}
				for j := 0; j < len(ex.Body); j += stride {
					ms = append(ms, mutant{what: fmt.Sprintf("body byte %d", j), part: "body", build: func() (*http.Request, error) {
						req, err := f.sess.Request(ctx, ex)
						if err != nil {
							return nil, err
						}
						b := bytes.Clone(ex.Body)
						b[j] = flipHeaderByte(b[j])
						req.Body = io.NopCloser(bytes.NewReader(b))
						req.ContentLength = int64(len(b))
						return req, nil
					}})
				}
				unsigned := map[string]bool{"path": !signsPart(t, f, ex, "path"), "body": !signsPart(t, f, ex, "body")}
				accepted := runMutants(t, ex, ms, unsigned)
				t.Logf("%s %s: %d mutants (headers %v; path/body signed: %v/%v)", c.Name(), ex.Name, len(ms), authHeaders(t, f, ex), !unsigned["path"], !unsigned["body"])
				if len(accepted) > 0 {
					t.Logf("%s %s: %d mutants accepted (tolerated or in a part the scheme does not sign, as the real service): %s", c.Name(), ex.Name, len(accepted), strings.Join(accepted[:min(len(accepted), 5)], "; "))
				}
				// The valid request still passes (no replay lock-out made
				// the mutants fail for the wrong reason).
				if ex.Method == http.MethodGet || i == len(f.resolved)-1 {
					req, err := f.sess.Request(ctx, ex)
					if err != nil {
						t.Fatal(err)
					}
					st, body := do(t, req)
					if st >= 300 {
						t.Errorf("%s %s: the valid request fails after the mutants: %d %s", c.Name(), ex.Name, st, body)
					}
				}
			}
			healthy(t, h)
		})
	}
}

// runMutants sends the mutants with a few workers and checks the answers;
// it returns the accepted ones that are allowed (unsigned parts).
func runMutants(t *testing.T, ex platform.Example, ms []mutant, unsigned map[string]bool) []string {
	var (
		mu       sync.Mutex
		accepted []string
		wg       sync.WaitGroup
		next     = make(chan mutant)
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range next {
				req, err := m.build()
				if err != nil {
					t.Errorf("%s %s: %v", ex.Name, m.what, err)
					continue
				}
				if req == nil {
					continue
				}
				st, body := do(t, req)
				switch {
				case st >= 500:
					t.Errorf("%s %s: %d (5xx) %s", ex.Name, m.what, st, body)
				case st < 300 && (unsigned[m.part] || m.ok):
					mu.Lock()
					accepted = append(accepted, m.what)
					mu.Unlock()
				case st < 300:
					t.Errorf("%s %s: mutant accepted: %d %.200s", ex.Name, m.what, st, body)
				case st < 400 && m.part == "header":
					t.Errorf("%s %s: %d, want an auth failure (4xx)", ex.Name, m.what, st)
				case len(body) == 0 && req.Method != http.MethodHead:
					t.Errorf("%s %s: %d with an empty body, want the provider's error envelope", ex.Name, m.what, st)
				}
			}
		}()
	}
	for _, m := range ms {
		next <- m
	}
	close(next)
	wg.Wait()
	return accepted
}

func do(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", req.Method, req.URL, err)
		return 0, nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// signsPart reports whether the provider's scheme covers part ("path" or
// "body") of ex: it signs ex twice at the same instant and, when that is
// deterministic, compares with the signature of the mutated request. A
// scheme with a random nonce cannot be probed this way: the part counts as
// unsigned (mutants accepted are logged, never 5xx), which is the
// conservative answer for the Difitek token, whose signature covers the
// key, user, nonce and time but neither path nor body.
func signsPart(t *testing.T, f *fixture, ex platform.Example, part string) bool {
	now := time.Now()
	sig := func(path string, body []byte) http.Header {
		req, err := http.NewRequest(ex.Method, "http://x"+Prefix(f.c, ex)+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.c.SignRequest(req, body, f.sess.Creds, now); err != nil {
			t.Fatal(err)
		}
		req.Header.Del("Content-Type")
		return req.Header
	}
	a, b := sig(ex.Path, ex.Body), sig(ex.Path, ex.Body)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		return false
	}
	var m http.Header
	switch part {
	case "path":
		p := []byte(ex.Path)
		if len(p) < 2 {
			return false
		}
		p[len(p)/2] = flipPathByte(p[len(p)/2])
		m = sig(string(p), ex.Body)
	default:
		if len(ex.Body) == 0 {
			return false
		}
		bb := bytes.Clone(ex.Body)
		bb[len(bb)/2] = flipHeaderByte(bb[len(bb)/2])
		m = sig(ex.Path, bb)
	}
	return fmt.Sprint(a) != fmt.Sprint(m)
}
