package platformtest_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// headerSigner sets one header from what it was given.
type headerSigner struct{}

func (headerSigner) SignRequest(r *http.Request, body []byte, creds any, now time.Time) error {
	r.Header.Set("X-Signed", r.Method+" "+r.URL.Path+" "+string(body)+" "+creds.(string)+" "+now.UTC().Format(time.RFC3339))
	return nil
}

func TestSendAndSignedHeader(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Got", r.Header.Get("X-Signed")+"|"+r.Header.Get("Content-Type")+"|"+string(b))
		w.WriteHeader(http.StatusTeapot)
		w.Write([]byte("answer"))
	}))
	defer srv.Close()
	body := platformtest.Body(t, map[string]int{"a": 1})
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	h := platformtest.SignedHeader(t, headerSigner{}, "key", http.MethodPost, srv.URL+"/x", body, now)
	a := platformtest.Send(t, http.MethodPost, srv.URL+"/x", body, h)
	if want := `POST /x {"a":1} key 2024-01-02T03:04:05Z||{"a":1}`; a.Status != http.StatusTeapot || string(a.Body) != "answer" || a.Header.Get("X-Got") != want {
		t.Errorf("got %d %q %q, want 418 answer %q", a.Status, a.Body, a.Header.Get("X-Got"), want)
	}
	for in, want := range map[string]string{"": "", "raw": "raw"} {
		var v any = in
		if in == "" {
			v = nil
		}
		if got := string(platformtest.Body(t, v)); got != want {
			t.Errorf("Body(%q) = %q", in, got)
		}
	}
}
