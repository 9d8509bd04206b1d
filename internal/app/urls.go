package app

import (
	"net"
	"net/url"

	"github.com/fakeprovider/fakeprovider/internal/server"
)

// OpenableURL turns a listener's URL into one a person can open: a wildcard
// host (0.0.0.0, [::]) — every interface, as in a container — becomes
// localhost, which works on the machine itself and through `docker run -p`.
// Other URLs come back unchanged.
func OpenableURL(listenerURL string) string {
	u, err := url.Parse(listenerURL)
	if err != nil || !isWildcard(u.Hostname()) {
		return listenerURL
	}
	u.Host = net.JoinHostPort("localhost", u.Port())
	return u.String()
}

// ListensEverywhere reports whether a listener's URL has a wildcard host.
func ListensEverywhere(listenerURL string) bool {
	u, err := url.Parse(listenerURL)
	return err == nil && isWildcard(u.Hostname())
}

// InterfaceURLs are the URLs of a wildcard listener on this machine's
// non-loopback addresses (what other machines or containers can try).
func InterfaceURLs(listenerURL string) []string {
	u, err := url.Parse(listenerURL)
	if err != nil || !isWildcard(u.Hostname()) {
		return nil
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []string
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() {
			continue
		}
		if ipn.IP.To4() == nil && u.Hostname() == "0.0.0.0" {
			continue
		}
		v := *u
		v.Host = net.JoinHostPort(ipn.IP.String(), u.Port())
		out = append(out, v.String())
	}
	return out
}

func isWildcard(host string) bool {
	ip := net.ParseIP(host)
	return host == "" || (ip != nil && ip.IsUnspecified())
}

// listenPorts are the ports of every listener of srv.
func listenPorts(srv *server.Server) []string {
	var ports []string
	for _, name := range append([]string{""}, srv.Names()...) {
		if u, err := url.Parse(srv.URL(name)); err == nil && u.Port() != "" {
			ports = append(ports, u.Port())
		}
	}
	return ports
}
