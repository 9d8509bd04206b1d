package robustness

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/store"
)

// The store's hot paths through its public API, beside the other
// benchmarks of the load figures: a point read, a create in temporary mode
// (no fsync) and a create with fsync under parallelism, where the group
// committer shares one fsync between concurrent writers.
//
//	go test -run '^$' -bench Store -benchmem ./internal/robustness/

type benchRecord struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Payer    struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"payer"`
}

func openBenchStore(b *testing.B, persistent bool) *store.Store {
	b.Helper()
	opts := store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if persistent {
		opts.Path = filepath.Join(b.TempDir(), "bench.db")
	}
	s, err := store.Open(opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func record(i int64) benchRecord {
	r := benchRecord{ID: "dep_" + strconv.FormatInt(i, 10), Status: "PENDING", Amount: 1000 + i, Currency: "EUR"}
	r.Payer.Name, r.Payer.Email = "Jane Roe", "jane@example.com"
	return r
}

func fillStore(b *testing.B, s *store.Store, n int) {
	b.Helper()
	const per = 10_000
	for i := 0; i < n; i += per {
		err := s.Update(context.Background(), func(tx *store.Tx) error {
			sc := tx.In("default", "bench")
			for j := i; j < min(i+per, n); j++ {
				if err := sc.Put("deposit", fmt.Sprintf("dep_%d", j), record(int64(j))); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStoreGet reads one record (View + JSON decode) with 1 k and
// 100 k records stored, in parallel.
func BenchmarkStoreGet(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			s := openBenchStore(b, false)
			fillStore(b, s, n)
			var i atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					id := fmt.Sprintf("dep_%d", i.Add(7919)%int64(n))
					var r benchRecord
					err := s.View(context.Background(), func(tx *store.Tx) error {
						ok, err := tx.In("default", "bench").Get("deposit", id, &r)
						if !ok && err == nil {
							return fmt.Errorf("%s missing", id)
						}
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

func benchPut(b *testing.B, persistent bool) {
	s := openBenchStore(b, persistent)
	var i atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := i.Add(1)
			err := s.Update(context.Background(), func(tx *store.Tx) error {
				return tx.In("default", "bench").Put("deposit", "dep_"+strconv.FormatInt(n, 10), record(n))
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkStorePutTemporary creates records in temporary mode (no fsync).
func BenchmarkStorePutTemporary(b *testing.B) {
	for _, p := range []int{1, 32} {
		b.Run(fmt.Sprintf("parallel=%d", p), func(b *testing.B) {
			b.SetParallelism(p)
			benchPut(b, false)
		})
	}
}

// BenchmarkStorePutFsync creates records in a persistent store (fsync on
// every commit) with 1, 32 and 256 goroutines per GOMAXPROCS: with group
// commit, ns/op falls as writers share fsyncs.
func BenchmarkStorePutFsync(b *testing.B) {
	for _, p := range []int{1, 32, 256} {
		b.Run(fmt.Sprintf("parallel=%d", p), func(b *testing.B) {
			b.SetParallelism(p)
			benchPut(b, true)
		})
	}
}
