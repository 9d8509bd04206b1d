package server

import (
	"context"
	"crypto/subtle"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/fakeprovider/fakeprovider/controlapi"
)

// The control API can wipe state and serves every tenant's secrets, and the
// emulator runs next to a browser. The guard below is what stands between a
// web page the user opens and that API (see README "Security"):
//
//   - Host: only names the emulator answers for are served (loopback names
//     and addresses, IP literals, the machine's name, --allowed-hosts), so a
//     DNS-rebinding page (attacker.example resolving to 127.0.0.1) is refused.
//   - Cross-origin writes: a state-changing call with a foreign Origin or
//     Referer, or with a body type an HTML form can send without a CORS
//     preflight, coming from a browser, is refused.
//   - CORS: control answers carry CORS headers only for the emulator's own
//     origins; --cors-origins applies to the provider APIs alone.
//   - Token: with --control-token, every control call but health, the
//     inspector's page and the OpenAPI document needs it.
//
// Provider routes are not Host-checked: their data needs a tenant's
// signature, and clients reach the emulator under the real providers'
// names (a hosts-file entry, a proxy), which a Host check would break.

// TokenHeader is the alternative to "Authorization: Bearer <token>".
const TokenHeader = "X-Fakeprovider-Token"

// guardState is what the guard learns once the listeners are bound.
type guardState struct {
	once  sync.Once
	ports map[string]bool // listener ports
	ips   map[string]bool // the listeners' addresses (all of the machine's for a wildcard)
	name  string          // the machine's host name, lower case
}

func (s *Server) guardInfo() *guardState {
	g := &s.guard
	g.once.Do(func() {
		g.ports, g.ips = map[string]bool{}, map[string]bool{}
		if h, err := os.Hostname(); err == nil {
			g.name = strings.ToLower(strings.TrimSuffix(h, "."))
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, ln := range s.listeners {
			host, port, err := net.SplitHostPort(ln.Addr().String())
			if err != nil {
				continue
			}
			g.ports[port] = true
			ip := net.ParseIP(host)
			if ip == nil {
				continue
			}
			if !ip.IsUnspecified() {
				g.ips[ip.String()] = true
				continue
			}
			addrs, _ := net.InterfaceAddrs()
			for _, a := range addrs {
				if n, ok := a.(*net.IPNet); ok {
					g.ips[n.IP.String()] = true
				}
			}
		}
	})
	return g
}

type lockedKey struct{}

// ControlLocked reports whether a control request was let through without
// the control token although one is required (the inspector's page, which
// then renders no data and asks for the token).
func ControlLocked(r *http.Request) bool {
	locked, _ := r.Context().Value(lockedKey{}).(bool)
	return locked
}

// controlGuard wraps the control API (paths without the /_fakeprovider
// prefix are not seen here).
func (s *Server) controlGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// The inspector must not be framed by another site (clickjacking
		// its buttons).
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		if !s.hostAllowed(r.Host) {
			s.refuse(w, r, http.StatusForbidden, controlapi.CodeForbiddenHost,
				"Host "+strconv.Quote(r.Host)+" is not a name this emulator answers for on its control API "+
					"(a web page could reach it through DNS rebinding); use localhost or an IP address, or add the name with --allowed-hosts")
			return
		}
		origin := r.Header.Get("Origin")
		own := origin != "" && s.ownOrigin(origin, r)
		if own {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Add("Vary", "Origin")
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
				h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, "+TokenHeader)
				h.Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		if unsafeMethod(r.Method) {
			if msg := s.crossSite(r, origin, own); msg != "" {
				s.refuse(w, r, http.StatusForbidden, controlapi.CodeCrossOriginRefused, msg)
				return
			}
		}
		if tok := s.cfg.ControlToken; tok != "" && !tokenOK(r, tok) {
			if !tokenExempt(r) {
				h.Set("WWW-Authenticate", `Bearer realm="fakeprovider control API"`)
				s.refuse(w, r, http.StatusUnauthorized, controlapi.CodeControlTokenRequired,
					"the control API needs the control token: send Authorization: Bearer <token> or "+TokenHeader+": <token> (set with --control-token or FAKEPROVIDER_CONTROL_TOKEN)")
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), lockedKey{}, true))
		}
		next.ServeHTTP(w, r)
	})
}

// refuse answers a refused control call and logs it once at warn: a refusal
// is either an attack or a setup to fix.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	s.log.Warn("control call refused", "method", r.Method, "path", r.URL.Path, "host", r.Host,
		"origin", r.Header.Get("Origin"), "reason", code)
	controlapi.WriteError(w, status, code, msg)
}

func unsafeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// crossSite says why a state-changing call looks like a foreign page's
// ("" when it does not).
func (s *Server) crossSite(r *http.Request, origin string, own bool) string {
	if origin != "" && !own {
		return "a state-changing control call from the web page at Origin " + strconv.Quote(origin) +
			" is refused: only the emulator's own pages (the inspector) may change its state from a browser"
	}
	if origin == "" {
		if ref := r.Header.Get("Referer"); ref != "" {
			if u, err := url.Parse(ref); err != nil || !s.ownOrigin(u.Scheme+"://"+u.Host, r) {
				return "a state-changing control call from the web page " + strconv.Quote(refererOrigin(ref)) +
					" (Referer) is refused: only the emulator's own pages may change its state from a browser"
			}
		}
	}
	// A form (or a no-preflight fetch) can send these types cross-site; the
	// inspector never does. A request with no browser header at all (curl
	// -d, an SDK) is not a page's and keeps working.
	if mt := mediaType(r.Header.Get("Content-Type")); formType(mt) && fromBrowser(r) {
		return "a browser sent a state-changing control call as " + mt +
			", a type any web page can send without a CORS preflight; send the body as application/json"
	}
	return ""
}

func refererOrigin(ref string) string {
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" {
		return "?"
	}
	return u.Scheme + "://" + u.Host
}

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	return mt
}

func formType(mt string) bool {
	switch mt {
	case "text/plain", "application/x-www-form-urlencoded", "multipart/form-data":
		return true
	}
	return false
}

// fromBrowser: browsers send Origin on every cross-origin and every
// non-GET request, and the Sec-Fetch headers (all since 2023); curl and
// SDKs send none of them.
func fromBrowser(r *http.Request) bool {
	for _, k := range []string{"Origin", "Referer", "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest"} {
		if r.Header.Get(k) != "" {
			return true
		}
	}
	return false
}

func tokenOK(r *http.Request, token string) bool {
	got := r.Header.Get(TokenHeader)
	if got == "" {
		if a := r.Header.Get("Authorization"); len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
			got = strings.TrimSpace(a[7:])
		}
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// tokenExempt: health (Docker HEALTHCHECK, fakeprovider health), the
// inspector's page and assets (which then ask for the token) and the
// OpenAPI document hold no state and no secret.
func tokenExempt(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := strings.TrimPrefix(r.URL.Path, ControlPrefix)
	return p == "/health" || p == "/ui" || strings.HasPrefix(p, "/ui/assets/") || p == "/openapi.json"
}

// splitHost splits a Host header value into a lower-case name (brackets of
// an IPv6 literal and a trailing dot removed) and a port ("" if none).
func splitHost(hostport string) (name, port string) {
	h := hostport
	if strings.HasPrefix(h, "[") {
		if end := strings.IndexByte(h, ']'); end > 0 {
			name, rest := h[1:end], h[end+1:]
			return strings.ToLower(name), strings.TrimPrefix(rest, ":")
		}
	} else if strings.Count(h, ":") == 1 {
		h, port, _ = strings.Cut(h, ":")
	}
	return strings.TrimSuffix(strings.ToLower(h), "."), port
}

// hostAllowed reports whether the control API may answer a request with
// this Host. IP literals are always allowed: DNS rebinding needs a name
// (the attacker's), and an address can reach the emulator through NAT or a
// Docker port mapping under any number.
func (s *Server) hostAllowed(hostport string) bool {
	if hostport == "" {
		return true // HTTP/1.0: no browser sends that
	}
	name, _ := splitHost(hostport)
	if isIPLiteral(name) || s.nameAllowed(name) {
		return true
	}
	return false
}

// nameAllowed: a loopback name, a name no public DNS can answer for, the
// machine's own name, or --allowed-hosts ("name", ".suffix" for the name
// and its subdomains, "*" for any).
func (s *Server) nameAllowed(name string) bool {
	if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return true // RFC 6761: browsers resolve these to loopback themselves
	}
	// A rebinding page must be served from a name its author controls in
	// public DNS. A single label (a compose service, a container name) and
	// the reserved .internal (host.docker.internal) are not such names.
	if (name != "" && !strings.Contains(name, ".")) || strings.HasSuffix(name, ".internal") {
		return true
	}
	if g := s.guardInfo(); g.name != "" && (name == g.name || strings.HasPrefix(g.name, name+".")) {
		return true
	}
	for _, a := range s.cfg.AllowedHosts {
		a = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(a)), ".")
		switch {
		case a == "*":
			return true
		case strings.HasPrefix(a, "."):
			if name == a[1:] || strings.HasSuffix(name, a) {
				return true
			}
		case a == name:
			return true
		}
	}
	return false
}

// ownOrigin reports whether a browser origin is one of the emulator's own:
// the origin of the request's own (allowed) Host, or a name or address of
// the emulator on one of its ports. An arbitrary IP literal is not: a page
// served from someone else's address is foreign.
func (s *Server) ownOrigin(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false
	}
	if !s.hostAllowed(r.Host) {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	name, port := splitHost(u.Host)
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	g := s.guardInfo()
	if !g.ports[port] {
		return false
	}
	if ip := parseIP(name); ip != nil {
		return ip.IsLoopback() || g.ips[ip.String()]
	}
	return s.nameAllowed(name)
}

func isIPLiteral(name string) bool { return parseIP(name) != nil }

// parseIP reads an address in any spelling a client may put in a Host:
// IPv4 dotted or the inet_aton forms (2130706433, 0x7f.1, 0177.0.0.1),
// IPv6 with or without a zone.
func parseIP(name string) net.IP {
	if i := strings.IndexByte(name, '%'); i >= 0 {
		name = name[:i]
	}
	if ip := net.ParseIP(name); ip != nil {
		return ip
	}
	return parseInetAton(name)
}

// parseInetAton parses the classic BSD forms: a, a.b, a.b.c, a.b.c.d, each
// part decimal, 0x hex or 0-prefixed octal; the last part fills the
// remaining bytes.
func parseInetAton(s string) net.IP {
	parts := strings.Split(s, ".")
	if len(parts) > 4 || s == "" {
		return nil
	}
	vals := make([]uint64, len(parts))
	for i, p := range parts {
		base := 10
		switch {
		case strings.HasPrefix(p, "0x") || strings.HasPrefix(p, "0X"):
			base, p = 16, p[2:]
		case len(p) > 1 && p[0] == '0':
			base, p = 8, p[1:]
		}
		if p == "" {
			return nil
		}
		v, err := strconv.ParseUint(p, base, 32)
		if err != nil {
			return nil
		}
		vals[i] = v
	}
	var n uint64
	for i, v := range vals[:len(vals)-1] {
		if v > 255 {
			return nil
		}
		n |= v << (8 * (3 - i))
	}
	last := vals[len(vals)-1]
	if last >= 1<<(8*(5-len(vals))) && len(vals) > 1 {
		return nil
	}
	n |= last
	if n > 0xFFFFFFFF {
		return nil
	}
	return net.IPv4(byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}
