package outbox

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// RefusedError says why an attempt was not sent: its target is one of the
// emulator's own listeners. A refused delivery is final (never retried).
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return "refused: " + e.Reason }

// selfGuard knows the emulator's own listening addresses and refuses a
// connection to any of them. It checks the resolved IP:port at dial time,
// so that no spelling of the host (aliases, names that resolve to loopback,
// IPv6, numeric forms, a redirect) escapes it.
type selfGuard struct {
	mu    sync.RWMutex
	ports map[uint16][]netip.Addr // port → addresses listened on
	// localAddrs lists the machine's interface addresses.
	localAddrs func() ([]net.Addr, error)
}

func newSelfGuard() *selfGuard {
	return &selfGuard{ports: map[uint16][]netip.Addr{}, localAddrs: net.InterfaceAddrs}
}

// set replaces the listening addresses (host:port, or base URLs).
func (g *selfGuard) set(addrs []string) error {
	ports := map[uint16][]netip.Addr{}
	for _, a := range addrs {
		if u, err := url.Parse(a); err == nil && u.Host != "" {
			a = u.Host
		}
		ap, err := netip.ParseAddrPort(a)
		if err != nil {
			return fmt.Errorf("outbox: own address %q: %w", a, err)
		}
		ports[ap.Port()] = append(ports[ap.Port()], ap.Addr().Unmap().WithZone(""))
	}
	g.mu.Lock()
	g.ports = ports
	g.mu.Unlock()
	return nil
}

// control is a net.Dialer Control hook: address is the resolved IP:port.
func (g *selfGuard) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return nil
	}
	if reason := g.own(ap); reason != "" {
		return &RefusedError{Reason: reason}
	}
	return nil
}

// own reports, with a reason, whether ap reaches one of the emulator's own
// listeners: the same port, and an address of this machine (loopback, the
// wildcard, any interface address, or the listener's own).
func (g *selfGuard) own(ap netip.AddrPort) string {
	g.mu.RLock()
	bound, ok := g.ports[ap.Port()]
	g.mu.RUnlock()
	if !ok {
		return ""
	}
	ip := ap.Addr().Unmap().WithZone("")
	self := ip.IsLoopback() || ip.IsUnspecified()
	for _, b := range bound {
		self = self || b == ip
	}
	if !self && g.localAddrs != nil {
		if addrs, err := g.localAddrs(); err == nil {
			for _, a := range addrs {
				if n, ok := a.(*net.IPNet); ok {
					if la, ok := netip.AddrFromSlice(n.IP); ok && la.Unmap() == ip {
						self = true
						break
					}
				}
			}
		}
	}
	if !self {
		return ""
	}
	return fmt.Sprintf("%s is this emulator's own listener; webhooks are never delivered to the emulator itself", ap)
}

// canonicalHost rewrites the numeric IPv4 spellings that the URL parsers of
// browsers and curl accept (2130706433, 0x7f000001, 0177.0.0.1, 127.1, with
// or without a trailing dot) to dotted form, so that they are checked and
// dialled as the address they mean rather than handed to a resolver. Other
// hosts are returned unchanged.
func canonicalHost(host string) string {
	h := strings.TrimSuffix(host, ".")
	if h == "" || strings.ContainsAny(h, ":[]") {
		return host
	}
	parts := strings.Split(h, ".")
	if len(parts) > 4 {
		return host
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		n, ok := parseIPv4Part(p)
		if !ok {
			return host
		}
		nums[i] = n
	}
	last := len(nums) - 1
	for _, n := range nums[:last] {
		if n > 255 {
			return host
		}
	}
	if nums[last] >= 1<<(8*(4-uint(last))) {
		return host
	}
	v := nums[last]
	for i, n := range nums[:last] {
		v |= n << (8 * (3 - uint(i)))
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}).String()
}

func parseIPv4Part(p string) (uint64, bool) {
	base := 10
	switch {
	case p == "":
		return 0, false
	case len(p) >= 2 && (p[:2] == "0x" || p[:2] == "0X"):
		base, p = 16, p[2:]
		if p == "" {
			return 0, true
		}
	case len(p) >= 2 && p[0] == '0':
		base, p = 8, p[1:]
	}
	n, err := strconv.ParseUint(p, base, 32)
	return n, err == nil
}

// checkURL refuses, before any lookup, a URL whose host is an IP literal or
// a localhost name (RFC 6761: always loopback, with or without a trailing
// dot) on one of the emulator's own ports. Other names are checked on the
// addresses they resolve to, at dial time.
func (g *selfGuard) checkURL(u *url.URL) error {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return nil // the dial fails on its own
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	ip, err := netip.ParseAddr(host)
	if err != nil {
		if host != "localhost" && !strings.HasSuffix(host, ".localhost") {
			return nil
		}
		ip = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	}
	if reason := g.own(netip.AddrPortFrom(ip, uint16(p))); reason != "" {
		return &RefusedError{Reason: reason}
	}
	return nil
}
