package platform

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// SignSpec is a provider's part of `fakeprovider sign`, whose command line
// is the same for every provider:
//
//	fakeprovider sign <provider> [flags] [METHOD] PATH [BODY]
//
// METHOD, PATH and BODY may also be given as -method, -path and -body (or
// -body-file); -base (alias -url) is the base URL of the curl line. The
// method defaults to GET, or POST with a body. The platform parses the
// command line, lets the provider sign the call, and prints the headers a
// real client sends ("Name: value" lines), a ready curl line and the
// provider's notes.
type SignSpec struct {
	// Base is the default base URL of the curl line.
	Base string
	// Path is the default path; "" makes PATH required.
	Path string
	// Headers are the headers printed, in this order.
	Headers []string
	// Flags registers the provider's own flags on fs and returns the
	// function that signs a call with their values.
	Flags func(fs *flag.FlagSet) func(c *SignCall) error
}

// SignCall is one request signed for the command line.
type SignCall struct {
	Method string
	// Path is the request path (with its query), relative to Base; the
	// signer may rewrite it (a network prefix, say).
	Path string
	// Base is the base URL the call is sent to.
	Base string
	// Body is the exact body; the signer may complete it.
	Body []byte
	// Creds are the provider's credentials of the default tenant (or the
	// overrides the user gave).
	Creds any
	// Now is the client's wall clock.
	Now time.Time
	// Header receives the headers the signer sets.
	Header http.Header
	// Notes are printed as "# …" lines after the curl line.
	Notes []string
}

// httpMethods are the METHOD words the positional form accepts.
var httpMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

// RunSign runs `fakeprovider sign <provider> args…` with spec and creds,
// writing to out. It returns flag.ErrHelp after printing the usage for -h.
func RunSign(provider string, spec SignSpec, args []string, creds any, out io.Writer) error {
	fs := flag.NewFlagSet("sign "+provider, flag.ContinueOnError)
	fs.SetOutput(out)
	method := fs.String("method", "", "HTTP method (default GET, or POST with a body)")
	path := fs.String("path", spec.Path, "request path, with its query")
	body := fs.String("body", "", "exact request body")
	bodyFile := fs.String("body-file", "", "read the exact request body from this file")
	base := fs.String("base", spec.Base, "base URL of the curl line")
	fs.StringVar(base, "url", spec.Base, "same as -base")
	sign := func(*SignCall) error { return nil }
	if spec.Flags != nil {
		sign = spec.Flags(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(out, "usage: fakeprovider sign %s [flags] [METHOD] PATH [BODY]\n", provider)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) > 0 && httpMethods[strings.ToUpper(rest[0])] && len(rest) > 1 {
		*method, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		*path, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		*body, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		return fmt.Errorf("usage: fakeprovider sign %s [flags] [METHOD] PATH [BODY]: unexpected %q", provider, rest[0])
	}
	if *path == "" || !strings.HasPrefix(*path, "/") {
		return fmt.Errorf("usage: fakeprovider sign %s [flags] [METHOD] PATH [BODY]: PATH must start with /, got %q", provider, *path)
	}
	raw := []byte(*body)
	if *bodyFile != "" {
		b, err := os.ReadFile(*bodyFile)
		if err != nil {
			return err
		}
		raw = b
	}
	m := strings.ToUpper(*method)
	if m == "" {
		m = http.MethodGet
		if len(raw) > 0 {
			m = http.MethodPost
		}
	}
	call := &SignCall{Method: m, Path: *path, Base: strings.TrimSuffix(*base, "/"), Body: raw, Creds: creds, Now: time.Now(), Header: http.Header{}}
	if err := sign(call); err != nil {
		return err
	}
	curl := []string{"curl", "-sS", "-X", call.Method}
	for _, name := range spec.Headers {
		if len(call.Header.Values(name)) == 0 {
			continue
		}
		v := call.Header.Get(name)
		fmt.Fprintf(out, "%s: %s\n", name, v)
		if v == "" {
			// curl sends an empty header with "Name;".
			curl = append(curl, "-H", shellQuote(name+";"))
			continue
		}
		curl = append(curl, "-H", shellQuote(name+": "+v))
	}
	if len(call.Body) > 0 {
		curl = append(curl, "--data-raw", shellQuote(string(call.Body)))
	}
	curl = append(curl, shellQuote(call.Base+call.Path))
	fmt.Fprintln(out, strings.Join(curl, " "))
	for _, n := range call.Notes {
		fmt.Fprintln(out, "# "+n)
	}
	return nil
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
