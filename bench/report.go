package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

type kind int

const (
	kindGet kind = iota
	kindTemp
	kindFsync
	kindMixed
	kindInfo
	kindWrk // a signed request replayed by wrk; compared with wrkBaseline
)

type row struct {
	Stats
	kind kind
}

// Report is everything one run measured.
type Report struct {
	cfg                                               config
	date                                              time.Time
	baseline                                          Stats
	wrkBaseline                                       Stats // the baseline under wrk (zero when wrk is missing)
	baselineStart                                     time.Duration
	baselineRSS                                       int64
	rows                                              []row
	idleRSS                                           int64
	rssAfterLoad                                      int64
	fsyncLimit                                        float64
	startMedian                                       time.Duration
	starts                                            []time.Duration
	stored                                            int // records in the large store
	apiStored                                         int // of which created through the public API
	apiRSS                                            int64
	apiAnon                                           int64
	anonSamples                                       []int64
	largeIdleAnon, largeAnon, anonAfterLoad, idleAnon int64
	largeStart                                        time.Duration
	largeIdleRSS                                      int64
	fillTime                                          time.Duration
	rssSamples                                        []int64
	largeRSS                                          int64
	small, large                                      Stats
	webhooks                                          int64
	notes                                             []string
}

func newReport(cfg config) *Report { return &Report{cfg: cfg, date: time.Now().UTC()} }

func (r *Report) add(s Stats, k kind) { r.rows = append(r.rows, row{s, k}) }

func (r *Report) note(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

func (r *Report) ratio(s Stats) float64 {
	if r.baseline.RPS() == 0 {
		return 0
	}
	return s.RPS() / r.baseline.RPS()
}

// ratioOf is a row's ratio to the baseline measured the same way.
func (r *Report) ratioOf(x row) float64 {
	if x.kind == kindWrk {
		if r.wrkBaseline.RPS() == 0 {
			return 0
		}
		return x.RPS() / r.wrkBaseline.RPS()
	}
	return r.ratio(x.Stats)
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

// target returns the target text and verdict of a row.
func (r *Report) target(x row) (string, string) {
	q := r.ratioOf(x)
	switch x.kind {
	case kindWrk:
		return "≥ 65 % of baseline (wrk)", verdict(q >= 0.65)
	case kindGet:
		return "≥ 65 % of baseline", verdict(q >= 0.65)
	case kindTemp:
		return "≥ 25 % of baseline", verdict(q >= 0.25)
	case kindFsync:
		if x.Conns >= 256 {
			return "≥ 20 % of baseline", verdict(q >= 0.20)
		}
		if r.fsyncLimit > 0 {
			f := x.RPS() / r.fsyncLimit
			return fmt.Sprintf("at the fsync limit (%.0f/s): %.2f×", r.fsyncLimit, f), verdict(f >= 0.9)
		}
	}
	return "", ""
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond))
}

// Markdown renders the report.
func (r *Report) Markdown() string {
	var b strings.Builder
	mode := "full"
	if r.cfg.quick {
		mode = "quick (smoke run, figures indicative only)"
	}
	fmt.Fprintf(&b, "## fakeprovider load benchmark\n\n")
	fmt.Fprintf(&b, "- date: %s\n- go: %s, %s/%s\n- CPU: %s, %d cores (GOMAXPROCS %d)\n- run: %s, %v per workload (per-provider workloads share twice that, at least 3 s each), loopback, load generator and server on the same machine\n\n",
		r.date.Format("2006-01-02 15:04 UTC"), runtime.Version(), runtime.GOOS, runtime.GOARCH, cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), mode, r.cfg.duration)
	fmt.Fprintf(&b, "| workload | clients | req/s | p50 ms | p99 ms | p99.9 ms | vs baseline | target | verdict |\n")
	fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|---:|---|---|\n")
	line := func(s Stats, q float64, tgt, v string) {
		name := s.Name
		if s.Errors > 0 {
			name += fmt.Sprintf(" (%d errors: %s)", s.Errors, s.FirstErr)
		}
		p999 := "" // wrk reports no p99.9
		if s.P999 > 0 {
			p999 = ms(s.P999)
		}
		fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %s | %.0f %% | %s | %s |\n", name, s.Conns, s.RPS(), ms(s.P50), ms(s.P99), p999, 100*q, tgt, v)
	}
	line(r.baseline, 1, "", "")
	if r.wrkBaseline.Requests > 0 {
		line(r.wrkBaseline, 1, "the baseline of the wrk rows", "")
	}
	for _, x := range r.rows {
		tgt, v := r.target(x)
		line(x.Stats, r.ratioOf(x), tgt, v)
	}
	if r.fsyncLimit > 0 {
		fmt.Fprintf(&b, "| raw write+fsync, 32 goroutines, same directory | 32 | %.0f | | | | %.0f %% | | |\n", r.fsyncLimit, 100*r.fsyncLimit/max(r.baseline.RPS(), 1))
	}
	if base := r.wrkBaseline.CPUPerRequest(); base > 0 {
		// CPU time per request does not depend on what else the machine
		// runs as much as a rate does: a second view of the wrk rows.
		fmt.Fprintf(&b, "\n| wrk replay | server CPU per request | bare server's / this |\n|---|---:|---:|\n")
		fmt.Fprintf(&b, "| %s | %.1f µs | 100 %% |\n", r.wrkBaseline.Name, float64(base)/float64(time.Microsecond))
		for _, x := range r.rows {
			if c := x.CPUPerRequest(); x.kind == kindWrk && c > 0 {
				fmt.Fprintf(&b, "| %s | %.1f µs | %.0f %% |\n", x.Name, float64(c)/float64(time.Microsecond), 100*float64(base)/float64(c))
			}
		}
	}
	fmt.Fprintf(&b, "\n| measure | value | target | verdict |\n|---|---|---|---|\n")
	startQ := 0.0
	if r.baselineStart > 0 {
		startQ = float64(r.startMedian) / float64(r.baselineStart)
	}
	fmt.Fprintf(&b, "| start to first healthy answer (median of %d) | %s ms; bare server %s ms (%.2f×) | ≤ 15 ms and ≤ 2.5× bare | %s |\n", len(r.starts), ms(r.startMedian), ms(r.baselineStart), startQ, verdict(r.startMedian <= 15*time.Millisecond && startQ > 0 && startQ <= 2.5))
	fmt.Fprintf(&b, "| idle RSS | %s (anonymous %s; baseline server: %s) | ≤ 15 MiB | %s |\n", mib(r.idleRSS), mib(r.idleAnon), mib(r.baselineRSS), verdict(r.idleRSS <= 15<<20))
	fmt.Fprintf(&b, "| RSS after the GET and temporary-mode create workloads | %s (anonymous: %s; the rest is the mapped data file) | | |\n", mib(r.rssAfterLoad), mib(r.anonAfterLoad))
	if r.stored > 0 {
		var ss []string
		for _, s := range r.rssSamples {
			ss = append(ss, fmt.Sprintf("%.0f", float64(s)/(1<<20)))
		}
		var as []string
		for _, s := range r.anonSamples {
			as = append(as, fmt.Sprintf("%.0f", float64(s)/(1<<20)))
		}
		fmt.Fprintf(&b, "| RSS samples while storing through the API, %v (MiB) | %s | flat | see samples |\n", round(r.fillTime), strings.Join(ss, " "))
		fmt.Fprintf(&b, "| of which anonymous (heap, stacks; RssAnon) | %s | | |\n", strings.Join(as, " "))
		fmt.Fprintf(&b, "| store fill rate through the public API (128 clients, --data) | %.0f creates/s (%d stored, RSS %s, anonymous %s) | | |\n", float64(r.apiStored-1000)/max(r.fillTime.Seconds(), 0.001), r.apiStored, mib(r.apiRSS), mib(r.apiAnon))
		fmt.Fprintf(&b, "| restart on %d records: start to healthy / idle RSS | %s ms / %s (anonymous %s) | | |\n", r.stored, ms(r.largeStart), mib(r.largeIdleRSS), mib(r.largeIdleAnon))
		fmt.Fprintf(&b, "| RSS with %d stored resources, after the GET load | %s (anonymous %s) | | |\n", r.stored, mib(r.largeRSS), mib(r.largeAnon))
		q := 0.0
		if r.small.P99 > 0 {
			q = float64(r.large.P99) / float64(r.small.P99)
		}
		fmt.Fprintf(&b, "| GET p99 with %d records vs 1 k | %s ms vs %s ms (%.2f×); req/s %.0f vs %.0f | ≤ 2× | %s |\n", r.stored, ms(r.large.P99), ms(r.small.P99), q, r.large.RPS(), r.small.RPS(), verdict(q <= 2 && q > 0))
	}
	if len(r.notes) > 0 {
		fmt.Fprintf(&b, "\nNotes:\n")
		for _, n := range r.notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	return b.String()
}
