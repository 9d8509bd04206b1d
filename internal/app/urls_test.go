package app

import (
	"strings"
	"testing"
)

func TestOpenableURL(t *testing.T) {
	tests := []struct {
		in, want   string
		everywhere bool
	}{
		{"http://[::]:8080", "http://localhost:8080", true},
		{"http://0.0.0.0:8080", "http://localhost:8080", true},
		{"https://[::]:8443", "https://localhost:8443", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", false},
		{"http://[::1]:8080", "http://[::1]:8080", false},
		{"http://192.0.2.7:8080", "http://192.0.2.7:8080", false},
	}
	for _, tt := range tests {
		if got := OpenableURL(tt.in); got != tt.want {
			t.Errorf("OpenableURL(%s) = %s, want %s", tt.in, got, tt.want)
		}
		if got := ListensEverywhere(tt.in); got != tt.everywhere {
			t.Errorf("ListensEverywhere(%s) = %v, want %v", tt.in, got, tt.everywhere)
		}
	}
}

func TestInterfaceURLs(t *testing.T) {
	if got := InterfaceURLs("http://127.0.0.1:8080"); got != nil {
		t.Errorf("a loopback listener lists %v", got)
	}
	for _, u := range InterfaceURLs("http://[::]:8080") {
		if !strings.HasPrefix(u, "http://") || !strings.HasSuffix(u, ":8080") || strings.Contains(u, "127.0.0.1") || strings.Contains(u, "[::1]") {
			t.Errorf("interface URL %s", u)
		}
	}
}
