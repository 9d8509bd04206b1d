package outbox

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestCanonicalHost(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"127.0.0.1", "127.0.0.1"},
		{"2130706433", "127.0.0.1"},
		{"0x7f000001", "127.0.0.1"},
		{"0177.0.0.1", "127.0.0.1"},
		{"127.1", "127.0.0.1"},
		{"127.0.1", "127.0.0.1"},
		{"0x7f.1", "127.0.0.1"},
		{"127.0.0.1.", "127.0.0.1"},
		{"0", "0.0.0.0"},
		{"4294967295", "255.255.255.255"},
		{"4294967296", "4294967296"},
		{"256.0.0.1", "256.0.0.1"},
		{"08.0.0.1", "08.0.0.1"}, // not octal: left to the resolver, as browsers refuse it
		{"example.com", "example.com"},
		{"localhost.", "localhost."},
		{"1.2.3.4.5", "1.2.3.4.5"},
		{"::1", "::1"},
	} {
		if got := canonicalHost(c.in); got != c.want {
			t.Errorf("canonicalHost(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSelfGuardOwn(t *testing.T) {
	g := newSelfGuard()
	g.localAddrs = func() ([]net.Addr, error) {
		return []net.Addr{&net.IPNet{IP: net.ParseIP("192.0.2.7"), Mask: net.CIDRMask(24, 32)}}, nil
	}
	if err := g.set([]string{"http://127.0.0.1:8080", "[::1]:9090", "0.0.0.0:7070"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		addr string
		own  bool
	}{
		{"127.0.0.1:8080", true},
		{"127.8.9.10:8080", true},
		{"[::1]:8080", true},
		{"[::ffff:127.0.0.1]:8080", true},
		{"0.0.0.0:8080", true},
		{"[::]:8080", true},
		{"192.0.2.7:8080", true}, // an interface address of this machine
		{"127.0.0.1:9090", true},
		{"192.0.2.7:7070", true},
		{"127.0.0.1:8081", false},
		{"192.0.2.8:8080", false},
		{"[fe80::1%eth0]:8080", false},
	} {
		ap := netip.MustParseAddrPort(c.addr)
		if got := g.own(ap) != ""; got != c.own {
			t.Errorf("own(%s) = %v, want %v", c.addr, got, c.own)
		}
		err := g.control("tcp", c.addr, nil)
		var refused *RefusedError
		if errors.As(err, &refused) != c.own {
			t.Errorf("control(%s) = %v", c.addr, err)
		}
	}
}

// TestClientRefusesOwnListenerAtDial: a name that resolves to loopback is
// refused on the resolved address, past any check of the URL's spelling.
func TestClientRefusesOwnListenerAtDial(t *testing.T) {
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer srv.Close()
	g := newSelfGuard()
	if err := g.set([]string{srv.URL}); err != nil {
		t.Fatal(err)
	}
	c := newClient(g)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	resp, err := c.Post("http://localhost:"+port+"/_fakeprovider/reset", "text/plain", nil)
	if err == nil {
		resp.Body.Close()
	}
	var refused *RefusedError
	if !errors.As(err, &refused) || hits != 0 {
		t.Fatalf("dial to own listener through a name: err %v, %d hits", err, hits)
	}
	// Another port on loopback is not the emulator.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer other.Close()
	resp, err = c.Get(other.URL)
	if err != nil {
		t.Fatalf("receiver on another port: %v", err)
	}
	resp.Body.Close()
}
