package fakeprovidertest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// EnvReceiverHost names the environment variable with the address of this
// machine that an emulator running in a container reaches it by (the
// address host.docker.internal maps to with --add-host
// host.docker.internal:host-gateway). Receivers made by NewReceiver also
// listen there. Unset, with $FAKEPROVIDER_URL set, it is the address of the
// docker0 bridge when this machine has one.
const EnvReceiverHost = "FAKEPROVIDER_RECEIVER_HOST"

// NewReceiver starts an HTTP server for the webhooks the emulator sends to
// the test, like httptest.NewServer(h); it is closed on t.Cleanup. Its URL
// is on 127.0.0.1: give it (plus a path) to the code under test as its
// webhook URL.
//
// When the emulator is connected through $FAKEPROVIDER_URL and runs in a
// container, 127.0.0.1 inside it is the container itself. Run that container
// with --add-host host.docker.internal:host-gateway and
// --webhook-loopback-host host.docker.internal
// (FAKEPROVIDER_WEBHOOK_LOOPBACK_HOST): it then sends the webhooks aimed at
// 127.0.0.1:PORT to host.docker.internal:PORT, and the receiver listens on
// that port of the address host.docker.internal maps to too (see
// EnvReceiverHost). There it accepts connections from the containers of
// this machine's Docker networks only — never from another machine.
func NewReceiver(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	var extra net.Listener
	if host := receiverHost(); host != "" {
		srv.Listener.Close()
		var err error
		srv.Listener, extra, err = listenTwice(host)
		if err != nil {
			t.Fatalf("fakeprovidertest: receiver: %v", err)
		}
		extra = &peerFilter{Listener: extra, allowed: containerNets(host)}
	}
	srv.Start()
	if extra != nil {
		go srv.Config.Serve(extra) //nolint:errcheck // ends when closed
	}
	t.Cleanup(func() {
		if extra != nil {
			extra.Close()
		}
		srv.Close()
	})
	return srv
}

// receiverHost is the extra address receivers listen on: $EnvReceiverHost,
// else docker0's address when connected to a running emulator.
func receiverHost() string {
	if h := strings.Trim(strings.TrimSpace(os.Getenv(EnvReceiverHost)), "[]"); h != "" {
		return h
	}
	if os.Getenv(EnvURL) == "" {
		return ""
	}
	ifc, err := net.InterfaceByName("docker0")
	if err != nil {
		return ""
	}
	addrs, _ := ifc.Addrs()
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil {
			return ipn.IP.String()
		}
	}
	return ""
}

// listenTwice listens on 127.0.0.1 and on host with the same port, so that
// a webhook URL with 127.0.0.1:PORT works redirected to host:PORT.
func listenTwice(host string) (loopback, extra net.Listener, err error) {
	for range 20 {
		loopback, err = net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, err
		}
		port := loopback.Addr().(*net.TCPAddr).Port
		extra, err = net.Listen("tcp", net.JoinHostPort(host, fmt.Sprint(port)))
		if err == nil {
			return loopback, extra, nil
		}
		loopback.Close()
	}
	return nil, nil, fmt.Errorf("listen on 127.0.0.1 and %s with one port: %w", host, err)
}

// containerNets are the networks receivers accept connections from on the
// extra address: Docker's bridges on this machine (docker0, br-…: a
// container reaches host-gateway from its own network) and the network of
// the interface that holds host.
func containerNets(host string) []*net.IPNet {
	hostIP := net.ParseIP(host)
	ifcs, _ := net.Interfaces()
	var out []*net.IPNet
	for _, ifc := range ifcs {
		addrs, _ := ifc.Addrs()
		docker := ifc.Name == "docker0" || strings.HasPrefix(ifc.Name, "br-")
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			if docker || ipn.IP.Equal(hostIP) {
				out = append(out, &net.IPNet{IP: ipn.IP.Mask(ipn.Mask), Mask: ipn.Mask})
			}
		}
	}
	return out
}

// peerFilter drops connections from anywhere but loopback and allowed.
type peerFilter struct {
	net.Listener
	allowed []*net.IPNet
}

func (l *peerFilter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if allowedPeer(c.RemoteAddr(), l.allowed) {
			return c, nil
		}
		c.Close()
	}
}

func allowedPeer(addr net.Addr, allowed []*net.IPNet) bool {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return false
	}
	if tcp.IP.IsLoopback() {
		return true
	}
	for _, n := range allowed {
		if n.Contains(tcp.IP) {
			return true
		}
	}
	return false
}
