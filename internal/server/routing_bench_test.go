package server

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/fakeprovider/fakeprovider/internal/journal"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

type benchWriter struct{}

func (benchWriter) Success(r *http.Request, status int, v any) platform.Rendered {
	return platform.Rendered{Status: status, Body: []byte(`{}`)}
}
func (benchWriter) Error(r *http.Request, err error) platform.Rendered {
	return platform.Rendered{Status: 500, Body: []byte(`{}`)}
}

// benchMounts declares four providers with routes shaped like the real
// ones: n routes each under a distinct first segment.
func benchMounts(n int) []*platform.Mount {
	ok := func(req *platform.Request) (any, error) { return nil, nil }
	var out []*platform.Mount
	for p, first := range []string{"v1", "v3", "public", "bacapi"} {
		m := platform.NewMount(fmt.Sprintf("p%d", p), platform.Deps{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		m.SetWriter(benchWriter{})
		for i := 0; i < n; i++ {
			m.Handle(http.MethodGet, fmt.Sprintf("/%s/{net}/res%d/{id}", first, i), platform.NoAuth, ok)
		}
		out = append(out, m)
	}
	return out
}

// BenchmarkRouting measures dispatch of a request to the last-registered
// route of the last provider, through the whole middleware stack.
func BenchmarkRouting(b *testing.B) {
	for _, n := range []int{10, 100} {
		b.Run(fmt.Sprintf("routes=%d", 4*n), func(b *testing.B) {
			s, err := New(Config{Addr: "127.0.0.1:0"}, slog.New(slog.NewTextHandler(io.Discard, nil)), journal.New(1000, nil), time.Now, benchMounts(n), func(*mux.Router) {})
			if err != nil {
				b.Fatal(err)
			}
			h := s.Handler()
			req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/bacapi/x/res%d/42", n-1), nil)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatal(w.Code)
				}
			}
		})
	}
}

// BenchmarkMatch measures the template matcher alone at 400 templates (the
// emulator has about 800 with prefixes and trailing-slash twins): a hit
// must not allocate.
func BenchmarkMatch(b *testing.B) {
	var patterns []pattern
	for _, first := range []string{"v1", "v3", "public", "bacapi"} {
		for i := 0; i < 100; i++ {
			patterns = append(patterns, pattern{method: http.MethodGet, path: fmt.Sprintf("/%s/{net}/res%d/{id}", first, i)})
		}
	}
	d := newDispatcher(nil, patterns)
	b.ReportAllocs()
	for b.Loop() {
		if best, _ := d.match("/bacapi/x/res99/42", http.MethodGet); best != len(patterns)-1 {
			b.Fatal(best)
		}
	}
}
