package fakeprovidertest

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestNewReceiverLoopbackOnly(t *testing.T) {
	t.Setenv(EnvURL, "")
	t.Setenv(EnvReceiverHost, "")
	srv := NewReceiver(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.URL.Path) }))
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("URL %s, want one on 127.0.0.1", srv.URL)
	}
	if got := get(t, srv.URL+"/hook"); got != "/hook" {
		t.Errorf("answer %q", got)
	}
}

// A second loopback address stands in for the Docker bridge's: the
// receiver answers on it with the same port.
func TestNewReceiverAlsoListensOnReceiverHost(t *testing.T) {
	t.Setenv(EnvReceiverHost, "127.0.0.2")
	probe, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("127.0.0.2 is not usable here: %v", err)
	}
	probe.Close()
	srv := NewReceiver(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok "+r.Host) }))
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	if got := get(t, "http://127.0.0.2:"+port+"/hook"); got != "ok 127.0.0.2:"+port {
		t.Errorf("answer on the receiver host: %q", got)
	}
	if got := get(t, srv.URL+"/hook"); !strings.HasPrefix(got, "ok ") {
		t.Errorf("answer on loopback: %q", got)
	}
}

func TestAllowedPeer(t *testing.T) {
	_, bridge, _ := net.ParseCIDR("172.17.0.0/16")
	_, user, _ := net.ParseCIDR("172.18.0.0/16")
	allowed := []*net.IPNet{bridge, user}
	tests := []struct {
		ip   string
		want bool
	}{
		{"127.0.0.1", true},
		{"::1", true},
		{"172.17.0.2", true},
		{"172.18.3.4", true},
		{"172.19.0.2", false},
		{"192.168.1.10", false},
		{"10.0.0.5", false},
	}
	for _, tt := range tests {
		if got := allowedPeer(&net.TCPAddr{IP: net.ParseIP(tt.ip), Port: 1}, allowed); got != tt.want {
			t.Errorf("allowedPeer(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
	if allowedPeer(&net.UnixAddr{Name: "x"}, allowed) {
		t.Error("a non-TCP peer is allowed")
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
