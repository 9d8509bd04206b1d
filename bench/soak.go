package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// The soak (`go run ./bench -soak 10m`) runs only the mixed workload with
// webhooks against one emulator for a long time and samples its memory,
// to show whether RSS stays flat. Flat is judged on RssAnon (heap and
// stacks): VmRSS also counts the pages of the mapped bbolt file, which
// grows with the data by design.
const (
	// flatTolerance and flatSlack are the verdict's margin: the last
	// third's highest RssAnon may exceed the first third's by 10 %, or by
	// 1 MiB when that is more (small heaps jitter by a few pages).
	flatTolerance = 0.10
	flatSlack     = 1 << 20
	// soakWarmFraction of the run is warm-up, not judged: caches, pools
	// and the journal ring fill in the first seconds.
	soakWarmFraction = 10
)

// soakSample is one reading of the emulator during the soak.
type soakSample struct {
	At         time.Duration // since the load started
	RSS, Anon  int64         // VmRSS, RssAnon
	Heap       int64         // Go heap in use now (HeapAlloc, live and not yet collected), -1 unknown
	LiveHeap   int64         // heap in use after the last collection (heap profile), -1 unknown
	Goroutines int           // -1 unknown
	RPS        float64       // successful answers per second since the previous sample
	Advances   int64         // clock advances answered since the previous sample
	Notifying  int64         // creates naming the receiver sent so far
	Webhooks   int64         // received so far
	StoreSize  int64         // bytes of the bbolt file, -1 unknown
	Load1      float64       // the machine's 1-minute load average, -1 unknown
}

// soakReport is a soak run's curve and verdict.
type soakReport struct {
	date      time.Time
	duration  time.Duration
	every     time.Duration
	conns     int
	rate      float64
	store     string // "temporary mode" or "--data"
	gogc      string
	providers []string
	hooked    int
	samples   []soakSample
	total     Stats
	verdict   flatness // on RssAnon
	live      flatness // the same rule on the live heap, to tell a leak from collector peaks
	notes     []string
}

// soak runs the mixed workload for cfg.soak on one emulator (temporary
// mode, or --data with cfg.soakData), sampling every cfg.soakEvery.
func (r *runner) soak(ctx context.Context) (*soakReport, error) {
	cfg := r.cfg
	args := []string{"--pprof"}
	store := "temporary mode"
	dataPath := ""
	if cfg.soakData {
		dataPath = filepath.Join(r.tmp, "soak.db")
		args = append(args, "--data", dataPath)
		store = "--data (fsync on), file in " + filepath.Dir(dataPath)
	}
	p, _, err := startBinary(r.bin, args...)
	if err != nil {
		return nil, err
	}
	defer p.Stop()
	gogc := "400 (the binary's default)"
	if v, ok := os.LookupEnv("GOGC"); ok {
		gogc = v + " (from the environment)"
	}
	rep := &soakReport{date: time.Now().UTC(), duration: cfg.soak, every: cfg.soakEvery, conns: cfg.conns, rate: cfg.soakRate, store: store, gogc: gogc}
	targets := r.prepare(ctx, p.URL)
	for _, t := range targets {
		rep.providers = append(rep.providers, t.name)
	}
	rep.notes = append(rep.notes, r.rep.notes...)
	storeSize := func() int64 {
		if dataPath != "" {
			return fileSize(dataPath)
		}
		return openDBSize(p.cmd.Process.Pid)
	}
	live := &mixedLive{rate: cfg.soakRate}
	// Samples are read even when the run is interrupted (the last one).
	sctx := context.WithoutCancel(ctx)
	t0 := time.Now()
	lastAt, lastDone, lastAdv := time.Duration(0), int64(0), int64(0)
	sample := func() soakSample {
		at, n, adv := time.Since(t0), live.done.Load(), live.advances.Load()
		s := soakSample{At: at, RSS: p.RSS(), Anon: p.Anon(), Webhooks: r.hook.count.Load(), Notifying: live.notifying.Load(), Advances: adv - lastAdv, StoreSize: storeSize(), Load1: loadAverage()}
		s.Heap, s.LiveHeap = heapFigures(sctx, p.URL)
		s.Goroutines = goroutines(sctx, p.URL)
		if at > lastAt {
			s.RPS = float64(n-lastDone) / (at - lastAt).Seconds()
		}
		lastAt, lastDone, lastAdv = at, n, adv
		r.logf("soak %-6v VmRSS %s  RssAnon %s  heap %s (live %s)  req/s %.0f  advances %d  notifying creates %d  webhooks %d", at.Round(time.Second), mib(s.RSS), mib(s.Anon), mibOrDash(s.Heap), mibOrDash(s.LiveHeap), s.RPS, s.Advances, s.Notifying, s.Webhooks)
		return s
	}
	warm := cfg.soak / soakWarmFraction
	heapProfiled := false
	saveHeap := func(name string) {
		if cfg.profile == "" {
			return
		}
		if err := saveHeapProfile(sctx, p.URL, filepath.Join(cfg.profile, name)); err != nil {
			rep.notes = append(rep.notes, fmt.Sprintf("heap profile %s: %v", name, err))
		}
	}
	if cfg.profile != "" {
		if err := os.MkdirAll(cfg.profile, 0o755); err != nil {
			return nil, err
		}
		if err := copyFile(r.bin, filepath.Join(cfg.profile, "fakeprovider.bin")); err != nil {
			return nil, err
		}
	}
	r.logf("soak: mixed workload with webhooks for %v, %s, %d clients, samples every %v", cfg.soak, store, cfg.conns, cfg.soakEvery)
	rep.samples = append(rep.samples, sample())
	stop := make(chan struct{})
	loaded := make(chan struct{})
	go func() {
		defer close(loaded)
		rep.total, rep.hooked = r.mixedLoad(ctx, targets, cfg.soak, live)
	}()
	tick := time.NewTicker(cfg.soakEvery)
	defer tick.Stop()
	go func() {
		<-loaded
		close(stop)
	}()
sampling:
	for {
		select {
		case <-stop:
			break sampling
		case <-tick.C:
			s := sample()
			rep.samples = append(rep.samples, s)
			if !heapProfiled && s.At >= warm {
				saveHeap("heap-after-warm-up.pprof")
				heapProfiled = true
			}
		}
	}
	rep.samples = append(rep.samples, sample())
	saveHeap("heap-end.pprof")
	if cfg.profile != "" {
		rep.notes = append(rep.notes, fmt.Sprintf("heap profiles in %s: go tool pprof -sample_index=inuse_space -diff_base %[1]s/heap-after-warm-up.pprof -top %[1]s/fakeprovider.bin %[1]s/heap-end.pprof", cfg.profile))
	}
	if rep.hooked == 0 {
		rep.notes = append(rep.notes, "no wired provider's create example names a notification URL, so no webhook fired")
	}
	if ctx.Err() != nil {
		rep.notes = append(rep.notes, "interrupted before the end of the run")
	}
	rep.verdict = judgeFlat(rep.samples, warm)
	rep.live = judgeFlatOf("live heap", rep.samples, warm, func(s soakSample) int64 { return s.LiveHeap })
	r.logStats(rep.total)
	r.logf("soak verdict: %s", rep.verdict)
	r.logf("live heap: %s", rep.live)
	return rep, nil
}

// flatness is the soak's verdict on one measure (RssAnon unless told).
type flatness struct {
	What     string // the measure judged
	Judged   bool   // enough samples after warm-up (three at least)
	Flat     bool   // the last third's max within the margin of the first third's
	FirstMax int64  // highest value of the first third after warm-up
	LastMax  int64  // highest value of the last third
	N        int    // samples judged
}

// judgeFlat applies the rule: drop the samples taken before warm; split
// the rest in thirds (the middle one takes the remainder); flat when the
// last third's highest RssAnon is at most the first third's highest plus
// flatTolerance of it, or plus flatSlack when that is more. Maxima rather
// than means, because the Go heap grows and shrinks in a saw-tooth between
// collections and RSS follows its peaks.
func judgeFlat(samples []soakSample, warm time.Duration) flatness {
	return judgeFlatOf("RssAnon", samples, warm, func(s soakSample) int64 { return s.Anon })
}

// judgeFlatOf is judgeFlat's rule on another measure (negative values,
// unknown, are left out).
func judgeFlatOf(what string, samples []soakSample, warm time.Duration, value func(soakSample) int64) flatness {
	var vs []int64
	for _, s := range samples {
		if v := value(s); s.At >= warm && v >= 0 {
			vs = append(vs, v)
		}
	}
	f := flatness{What: what, N: len(vs)}
	if len(vs) < 3 {
		return f
	}
	third := len(vs) / 3
	f.Judged = true
	f.FirstMax = maxOf(vs[:third])
	f.LastMax = maxOf(vs[len(vs)-third:])
	margin := max(int64(float64(f.FirstMax)*flatTolerance), flatSlack)
	f.Flat = f.LastMax <= f.FirstMax+margin
	return f
}

func maxOf(vs []int64) int64 {
	m := vs[0]
	for _, v := range vs[1:] {
		m = max(m, v)
	}
	return m
}

func (f flatness) String() string {
	if !f.Judged {
		return fmt.Sprintf("not judged: %d samples after warm-up, at least 3 needed", f.N)
	}
	word := "flat"
	if !f.Flat {
		word = "NOT flat"
	}
	growth := 0.0
	if f.FirstMax > 0 {
		growth = 100 * float64(f.LastMax-f.FirstMax) / float64(f.FirstMax)
	}
	return fmt.Sprintf("%s: %s peak %s in the first third after warm-up, %s in the last third (%+.1f %%; flat allows +%.0f %% or +%s, whichever is more; %d samples judged)",
		word, f.What, mib(f.FirstMax), mib(f.LastMax), growth, 100*flatTolerance, mib(flatSlack), f.N)
}

// Markdown renders the soak's curve and verdict.
func (s *soakReport) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## fakeprovider soak: RSS over a mixed load with webhooks\n\n")
	fmt.Fprintf(&b, "- date: %s\n- go: %s, %s/%s\n- CPU: %s, %d cores (GOMAXPROCS %d)\n", s.date.Format("2006-01-02 15:04 UTC"), runtime.Version(), runtime.GOOS, runtime.GOARCH, cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0))
	pace := "as fast as they go"
	if s.rate > 0 {
		pace = fmt.Sprintf("at most %.0f req/s", s.rate)
	}
	fmt.Fprintf(&b, "- run: %v of the mixed workload (80 %% signed GETs, 20 %% creates over %s; %d clients, %s; scenario time advanced by 1 h every 250 ms, each advance answering once what fell due has run), one emulator in %s, GOGC %s; samples every %v and at the end\n",
		s.duration, strings.Join(s.providers, ", "), s.conns, pace, s.store, s.gogc, s.every)
	fmt.Fprintf(&b, "- whole run: %.0f req/s, p50 %s ms, p99 %s ms, %d requests, %d errors", s.total.RPS(), ms(s.total.P50), ms(s.total.P99), s.total.Requests, s.total.Errors)
	if s.total.Errors > 0 {
		fmt.Fprintf(&b, " (first: %s)", s.total.FirstErr)
	}
	fmt.Fprintf(&b, "\n\n")
	fmt.Fprintf(&b, "| t | VmRSS MiB | RssAnon MiB | Go heap MiB | live heap MiB | goroutines | req/s | clock advances | notifying creates | webhooks | store file MiB | load avg |\n")
	fmt.Fprintf(&b, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	unit := time.Second
	if s.every < 5*time.Second {
		unit = 100 * time.Millisecond
	}
	for _, x := range s.samples {
		fmt.Fprintf(&b, "| %s | %.1f | %.1f | %s | %s | %s | %.0f | %d | %d | %d | %s | %s |\n",
			x.At.Round(unit), float64(x.RSS)/(1<<20), float64(x.Anon)/(1<<20), mibCell(x.Heap), mibCell(x.LiveHeap), intCell(x.Goroutines), x.RPS, x.Advances, x.Notifying, x.Webhooks, mibCell(x.StoreSize), loadCell(x.Load1))
	}
	fmt.Fprintf(&b, "\nGo heap: `HeapAlloc` (in use now, including garbage not yet collected); live heap: in use after the last collection (heap profile, an estimate); req/s: successful answers in the interval before the sample; clock advances: answered in the interval (4 a second when nothing waits); notifying creates: creates sent so far whose body names the receiver (D24 deposits); webhooks: received so far; load avg: the machine's 1-minute load average.\n\n")
	fmt.Fprintf(&b, "Verdict: **%s**. Judged on RssAnon (heap and stacks; VmRSS also counts the pages of the mapped bbolt file, which grow with the data), after the first %d %% of the run (warm-up).\n\nThe same rule on the live heap (what the program holds, without the garbage the collector lets build up between collections): %s.\n", s.verdict, 100/soakWarmFraction, s.live)
	if len(s.notes) > 0 {
		fmt.Fprintf(&b, "\nNotes:\n")
		for _, n := range s.notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	return b.String()
}

func mibCell(v int64) string {
	if v < 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f", float64(v)/(1<<20))
}

func mibOrDash(v int64) string {
	if v < 0 {
		return "–"
	}
	return mib(v)
}

func intCell(v int) string {
	if v < 0 {
		return "–"
	}
	return strconv.Itoa(v)
}

func loadCell(v float64) string {
	if v < 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", v)
}

// heapFigures reads HeapAlloc and the in-use bytes of the last collection
// from the binary's --pprof heap profile in text form (-1 when unknown).
func heapFigures(ctx context.Context, base string) (alloc, live int64) {
	alloc, live = -1, -1
	body, err := getText(ctx, base+"/_fakeprovider/debug/pprof/heap?debug=1", 16<<20)
	if err != nil {
		return
	}
	return parseHeapText(body)
}

// parseHeapText reads the text heap profile of runtime/pprof (debug=1).
// Its first line is "heap profile: <objects>: <bytes> [...] @ heap/<2×rate>",
// each record line "<objects>: <bytes> [<objects>: <bytes>] @ <pcs>" (in
// use after the last collection, then allocated since start, both as
// sampled, unscaled), and the runtime.MemStats block at its end has
// "# HeapAlloc = <bytes>". The live heap is the sum of the records'
// in-use bytes scaled for sampling as pprof does, an estimate.
func parseHeapText(body string) (alloc, live int64) {
	alloc, live = -1, -1
	var rate float64
	var sum float64
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "heap profile: "); ok {
			if _, r, ok := strings.Cut(rest, "@ heap/"); ok {
				if v, err := strconv.ParseFloat(strings.TrimSpace(r), 64); err == nil {
					rate = v / 2
					live = 0
				}
			}
			continue
		}
		if rest, ok := strings.CutPrefix(line, "# HeapAlloc = "); ok {
			if v, err := strconv.ParseInt(strings.TrimSpace(rest), 10, 64); err == nil {
				alloc = v
			}
			continue
		}
		if live < 0 || strings.HasPrefix(line, "#") {
			continue
		}
		objs, rest, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		bytes, _, ok := strings.Cut(rest, " [")
		if !ok {
			continue
		}
		n, err1 := strconv.ParseFloat(strings.TrimSpace(objs), 64)
		b, err2 := strconv.ParseFloat(strings.TrimSpace(bytes), 64)
		if err1 != nil || err2 != nil || n <= 0 || b <= 0 {
			continue
		}
		sum += b * heapSampleScale(b/n, rate)
	}
	if live >= 0 {
		live = int64(sum)
	}
	return alloc, live
}

// heapSampleScale undoes the heap profile's sampling for records of
// objects of avg bytes sampled once per rate bytes on average (the
// formula of runtime/pprof's scaleHeapSample).
func heapSampleScale(avg, rate float64) float64 {
	if rate <= 1 {
		return 1
	}
	return 1 / (1 - math.Exp(-avg/rate))
}

// goroutines reads the count from the goroutine profile's first line
// ("goroutine profile: total N"), -1 when unknown.
func goroutines(ctx context.Context, base string) int {
	body, err := getText(ctx, base+"/_fakeprovider/debug/pprof/goroutine?debug=1", 16<<20)
	if err != nil {
		return -1
	}
	first, _, _ := strings.Cut(body, "\n")
	if n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(first, "goroutine profile: total"))); err == nil {
		return n
	}
	return -1
}

func getText(ctx context.Context, url string, limit int64) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return string(raw), nil
}

// saveHeapProfile writes the binary's heap profile (protobuf, for
// `go tool pprof`) to file.
func saveHeapProfile(ctx context.Context, base, file string) error {
	body, err := getText(ctx, base+"/_fakeprovider/debug/pprof/heap", 64<<20)
	if err != nil {
		return err
	}
	return os.WriteFile(file, []byte(body), 0o644)
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return fi.Size()
}

// openDBSize is the size of the first *.db file process pid has open
// (the temporary store's bbolt file), -1 when none is found.
func openDBSize(pid int) int64 {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return -1
	}
	for _, e := range ents {
		target, err := os.Readlink(filepath.Join(dir, e.Name()))
		// A temporary store's file is unlinked once open: " (deleted)".
		if err == nil && strings.HasSuffix(strings.TrimSuffix(target, " (deleted)"), ".db") {
			return fileSize(filepath.Join(dir, e.Name()))
		}
	}
	return -1
}

// loadAverage is the machine's 1-minute load average, -1 when unknown.
func loadAverage() float64 {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(raw))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}
