package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Stats are one workload's figures.
type Stats struct {
	Name     string
	Conns    int
	Requests int
	Errors   int // transport errors and unexpected statuses
	FirstErr string
	Elapsed  time.Duration
	P50      time.Duration
	P99      time.Duration
	P999     time.Duration
	// ServerCPU is the server process's CPU time during the workload, when
	// measured (the wrk rows: wrk counts every request it sent).
	ServerCPU time.Duration
}

// CPUPerRequest is the server's CPU time per request, 0 when not measured.
func (s Stats) CPUPerRequest() time.Duration {
	if s.ServerCPU <= 0 || s.Requests == 0 {
		return 0
	}
	return s.ServerCPU / time.Duration(s.Requests)
}

// RPS is the rate of successful requests.
func (s Stats) RPS() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Requests-s.Errors) / s.Elapsed.Seconds()
}

// MakeFunc builds the next request of worker w (fresh signature each call).
type MakeFunc func(ctx context.Context, w int) (*http.Request, error)

// newClient is an HTTP client keeping up to conns connections open.
func newClient(conns int) *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		MaxConnsPerHost:     0,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// load runs conns workers sending mk's requests for d and measures them.
// ok decides whether a status counts as a success (nil: any 2xx).
func load(ctx context.Context, name string, conns int, d time.Duration, mk MakeFunc, ok func(int) bool) Stats {
	return loadCounting(ctx, name, conns, d, mk, ok, nil, 0)
}

// loadCounting is load that also adds every successful answer, warm-up
// included, to done as it arrives (nil: no live count), for a sampler
// reading the rate while the workload runs, and that starts at most rate
// requests per second over all workers (0: as fast as they go). Latency
// is measured from a request's start, not from the pacing wait.
func loadCounting(ctx context.Context, name string, conns int, d time.Duration, mk MakeFunc, ok func(int) bool, done *atomic.Int64, rate float64) Stats {
	if ok == nil {
		ok = func(st int) bool { return st >= 200 && st < 300 }
	}
	client := newClient(conns)
	defer client.CloseIdleConnections()
	// Warm up the connections briefly so the measure is steady state.
	warm := min(d/10, time.Second)
	deadline := time.Now().Add(warm + d)
	start := time.Now().Add(warm)
	var (
		mu       sync.Mutex
		all      []time.Duration
		errs     atomic.Int64
		firstErr atomic.Value
		wg       sync.WaitGroup
		issued   atomic.Int64
	)
	begin := time.Now()
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 4096)
			var nerr int64
			for {
				if rate > 0 {
					due := begin.Add(time.Duration(float64(issued.Add(1)) / rate * float64(time.Second)))
					if wait := time.Until(due); wait > 0 {
						time.Sleep(min(wait, time.Until(deadline)))
					}
				}
				t0 := time.Now()
				if t0.After(deadline) || ctx.Err() != nil {
					break
				}
				req, err := mk(ctx, w)
				if err != nil {
					firstErr.CompareAndSwap(nil, err.Error())
					nerr++
					continue
				}
				resp, err := client.Do(req)
				good := false
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					good = ok(resp.StatusCode)
					if good && done != nil {
						done.Add(1)
					}
					if !good {
						firstErr.CompareAndSwap(nil, req.Method+" "+req.URL.Path+": "+resp.Status)
					}
				} else {
					firstErr.CompareAndSwap(nil, err.Error())
				}
				if t0.Before(start) {
					continue
				}
				lat = append(lat, time.Since(t0))
				if !good {
					nerr++
				}
			}
			errs.Add(nerr)
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(all)
	s := Stats{Name: name, Conns: conns, Requests: len(all), Errors: int(errs.Load()), Elapsed: elapsed,
		P50: pct(all, 0.50), P99: pct(all, 0.99), P999: pct(all, 0.999)}
	if v, ok := firstErr.Load().(string); ok {
		s.FirstErr = v
	}
	return s
}

func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

// fill sends mk's requests with conns workers until n succeeded or the
// budget ran out, and returns how many succeeded.
func fill(ctx context.Context, conns, n int, budget time.Duration, mk MakeFunc) (int, error) {
	client := newClient(conns)
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(budget)
	var done, left atomic.Int64
	left.Store(int64(n))
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 && time.Now().Before(deadline) && ctx.Err() == nil {
				req, err := mk(ctx, w)
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				resp, err := client.Do(req)
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode < 300 {
					done.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if e, ok := firstErr.Load().(error); ok && done.Load() == 0 {
		return 0, e
	}
	return int(done.Load()), nil
}
