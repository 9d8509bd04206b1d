package app

import (
	"strings"
	"testing"
)

// Listening beyond loopback is announced, per listener, with what it
// exposes; loopback listeners are not.
func TestExposedWarnings(t *testing.T) {
	urls := map[string]string{"": "http://0.0.0.0:8080", "d24": "http://192.168.1.5:8089", "crm": "http://127.0.0.1:8090", "difitek": "http://[::1]:8091"}
	got := exposedWarnings(urls, false)
	if len(got) != 2 || got[0].listener != "shared" || got[1].listener != "d24" {
		t.Fatalf("%+v", got)
	}
	if !strings.Contains(got[0].msg, "control API") || !strings.Contains(got[0].msg, "--control-token") || got[0].addr != "0.0.0.0:8080" {
		t.Errorf("shared: %+v", got[0])
	}
	if w := exposedWarnings(urls, true); !strings.Contains(w[0].msg, "requires the control token") {
		t.Errorf("with a token: %+v", w[0])
	}
	if w := exposedWarnings(map[string]string{"": "http://127.0.0.1:8080"}, false); len(w) != 0 {
		t.Errorf("loopback warned: %+v", w)
	}
}
