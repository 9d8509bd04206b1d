package outbox

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// loopbackRedirect sends webhooks aimed at a loopback address to another
// host instead. It is for an emulator running in a container: a receiver
// the test or the application registered as http://127.0.0.1:PORT/… (or
// localhost) listens on the machine running the container, which the
// container reaches as e.g. host.docker.internal. Port, path, query, body
// and headers are kept — the signature was computed over the same body —
// and so is the Host header, so the receiver sees exactly the request it
// would have received without a container in between.
type loopbackRedirect struct {
	host string
	// own are the ports the emulator itself listens on: a loopback URL with
	// one of them is the emulator, never the machine outside, so it is left
	// alone (and refused like any delivery to the emulator itself).
	own map[string]bool
}

// RedirectLoopback makes webhooks aimed at a loopback address (127.0.0.0/8,
// ::1, localhost) go to host instead, except those to one of ownPorts (the
// emulator's own listeners). An empty host turns it off. Call it before Run.
func (o *Outbox) RedirectLoopback(host string, ownPorts []string) {
	host = strings.Trim(strings.TrimSpace(host), "[]")
	if host == "" {
		o.redirect = nil
		return
	}
	r := &loopbackRedirect{host: host, own: map[string]bool{}}
	for _, p := range ownPorts {
		r.own[p] = true
	}
	o.redirect = r
}

// apply rewrites req's destination when it is a loopback address; the URL
// the delivery was registered with stays in req.Host and in the record.
func (r *loopbackRedirect) apply(req *http.Request) {
	if r == nil || !isLoopbackHost(req.URL.Hostname()) {
		return
	}
	port := req.URL.Port()
	if port == "" {
		port = "80"
		if req.URL.Scheme == "https" {
			port = "443"
		}
	}
	if r.own[port] {
		return
	}
	req.Host = req.URL.Host
	req.URL.Host = net.JoinHostPort(r.host, port)
}

func isLoopbackHost(h string) bool {
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(h)
	return err == nil && ip.Unmap().IsLoopback()
}
