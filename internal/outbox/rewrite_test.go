package outbox

import (
	"net/http"
	"testing"
)

func TestRedirectLoopback(t *testing.T) {
	tests := []struct {
		name, url, wantURL, wantHost string
	}{
		{"ipv4 loopback", "http://127.0.0.1:37711/webhooks/d24?x=1", "http://host.docker.internal:37711/webhooks/d24?x=1", "127.0.0.1:37711"},
		{"whole 127/8", "http://127.1.2.3:9000/h", "http://host.docker.internal:9000/h", "127.1.2.3:9000"},
		{"localhost", "http://localhost:3000/h", "http://host.docker.internal:3000/h", "localhost:3000"},
		{"localhost upper case, trailing dot", "http://LOCALHOST.:3000/h", "http://host.docker.internal:3000/h", "LOCALHOST.:3000"},
		{"sub.localhost", "http://shop.localhost:3000/h", "http://host.docker.internal:3000/h", "shop.localhost:3000"},
		{"ipv6 loopback", "http://[::1]:4000/h", "http://host.docker.internal:4000/h", "[::1]:4000"},
		{"default port http", "http://127.0.0.1/h", "http://host.docker.internal:80/h", "127.0.0.1"},
		{"default port https", "https://localhost/h", "https://host.docker.internal:443/h", "localhost"},
		{"emulator's own port stays", "http://127.0.0.1:8080/h", "http://127.0.0.1:8080/h", "127.0.0.1:8080"},
		{"other host stays", "http://merchant:3000/h", "http://merchant:3000/h", "merchant:3000"},
		{"private address stays", "http://10.0.0.1:3000/h", "http://10.0.0.1:3000/h", "10.0.0.1:3000"},
		{"name ending in localhost stays", "http://notlocalhost:3000/h", "http://notlocalhost:3000/h", "notlocalhost:3000"},
	}
	o := New(Options{})
	o.RedirectLoopback(" host.docker.internal ", []string{"8080", "8089"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, tt.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			o.redirect.apply(req)
			if got := req.URL.String(); got != tt.wantURL {
				t.Errorf("destination %s, want %s", got, tt.wantURL)
			}
			if req.Host != tt.wantHost {
				t.Errorf("Host %q, want %q", req.Host, tt.wantHost)
			}
		})
	}
}

func TestRedirectLoopbackOff(t *testing.T) {
	o := New(Options{})
	o.RedirectLoopback("host.docker.internal", nil)
	o.RedirectLoopback("", nil)
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:3000/h", nil)
	o.redirect.apply(req)
	if req.URL.Host != "127.0.0.1:3000" {
		t.Errorf("redirected to %s with the option off", req.URL.Host)
	}
}

func TestRedirectLoopbackIPv6Host(t *testing.T) {
	o := New(Options{})
	o.RedirectLoopback("[fd00::1]", nil)
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:3000/h", nil)
	o.redirect.apply(req)
	if req.URL.Host != "[fd00::1]:3000" {
		t.Errorf("redirected to %s, want [fd00::1]:3000", req.URL.Host)
	}
}
