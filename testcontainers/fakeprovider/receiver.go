package fakeprovider

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
)

// ListenReceiver listens for webhooks from a container run with
// WithWebhooksToHost: on 127.0.0.1:PORT and on the same port of the
// docker0 bridge's address (where host.docker.internal:host-gateway
// points). Give the code under test http://127.0.0.1:PORT/… as its webhook
// URL; the container's webhooks to it arrive through the bridge. On the
// bridge only containers of this machine's Docker networks are accepted.
// Use it as an httptest.Server's Listener:
//
//	ln, err := fakeprovider.ListenReceiver()
//	srv := httptest.NewUnstartedServer(handler)
//	srv.Listener.Close()
//	srv.Listener = ln
//	srv.Start() // srv.URL is http://127.0.0.1:PORT
//
// Without a docker0 bridge it listens on 127.0.0.1 only.
func ListenReceiver() (net.Listener, error) {
	bridge, nets := dockerBridge()
	if bridge == "" {
		return net.Listen("tcp", "127.0.0.1:0")
	}
	var err error
	for range 20 {
		var lo, br net.Listener
		lo, err = net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		br, err = net.Listen("tcp", net.JoinHostPort(bridge, fmt.Sprint(lo.Addr().(*net.TCPAddr).Port)))
		if err == nil {
			return newPairListener(lo, &peerFilter{Listener: br, allowed: nets}), nil
		}
		lo.Close()
	}
	return nil, fmt.Errorf("fakeprovider: listen on 127.0.0.1 and %s with one port: %w", bridge, err)
}

// dockerBridge is docker0's IPv4 address and the networks of Docker's
// bridges (docker0, br-…): a container on any of them reaches host-gateway.
func dockerBridge() (string, []*net.IPNet) {
	ifcs, _ := net.Interfaces()
	var addr string
	var nets []*net.IPNet
	for _, ifc := range ifcs {
		if ifc.Name != "docker0" && !strings.HasPrefix(ifc.Name, "br-") {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			nets = append(nets, &net.IPNet{IP: ipn.IP.Mask(ipn.Mask), Mask: ipn.Mask})
			if ifc.Name == "docker0" && addr == "" && ipn.IP.To4() != nil {
				addr = ipn.IP.String()
			}
		}
	}
	return addr, nets
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
		if tcp, ok := c.RemoteAddr().(*net.TCPAddr); ok && (tcp.IP.IsLoopback() || contains(l.allowed, tcp.IP)) {
			return c, nil
		}
		c.Close()
	}
}

func contains(nets []*net.IPNet, ip net.IP) bool {
	for _, n := range nets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// pairListener accepts from two listeners; its Addr is the first one's.
type pairListener struct {
	lns   [2]net.Listener
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newPairListener(a, b net.Listener) *pairListener {
	p := &pairListener{lns: [2]net.Listener{a, b}, conns: make(chan net.Conn), done: make(chan struct{})}
	for _, ln := range p.lns {
		go p.serve(ln)
	}
	return p
}

func (p *pairListener) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		select {
		case p.conns <- c:
		case <-p.done:
			c.Close()
			return
		}
	}
}

func (p *pairListener) Accept() (net.Conn, error) {
	select {
	case c := <-p.conns:
		return c, nil
	case <-p.done:
		return nil, net.ErrClosed
	}
}

func (p *pairListener) Close() error {
	var err error
	p.once.Do(func() {
		close(p.done)
		err = errors.Join(p.lns[0].Close(), p.lns[1].Close())
	})
	return err
}

func (p *pairListener) Addr() net.Addr { return p.lns[0].Addr() }
