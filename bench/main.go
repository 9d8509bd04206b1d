// Command bench is fakeprovider's load generator (`make bench`).
//
// In one run it measures a bare net/http hello-world server (the baseline)
// and the real fakeprovider binary, built into a temporary directory, on
// loopback: authenticated GETs of a stored resource per provider, creates
// with --data (fsync on) at 256 and 32 clients against the disk's raw fsync
// limit measured in the same directory, the same creates in temporary
// mode, a mixed workload with webhooks to a loopback receiver, start to
// first healthy answer, idle RSS, RSS and GET p99 with a large store. Every
// request is signed fresh with the provider's ClientSigner (fresh dates and
// HMACs, as real clients do); the resources come from the providers'
// Examples, so each new provider is covered without changes here. Beside
// that fresh-signing Go client, each provider's signed GET and the baseline
// are also replayed by wrk (`wrk -t2 -c32 -d3s`; Debian's wrk package is
// installed by bench/install-wrk.sh when missing), whose cheaper client
// shows the server's own cost per request. Start to healthy is measured
// for the bare server too.
//
//	go run ./bench [-duration 10s] [-conns 64] [-out docs/bench-latest.md] [-quick]
//
// With -soak it runs only the mixed workload with webhooks, for the given
// duration on one emulator, and writes the curve of its memory (VmRSS,
// RssAnon, Go heap, sampled every -soak-every) with a verdict on whether
// RssAnon stays flat:
//
//	go run ./bench -soak 10m [-soak-every 30s] [-soak-rate N] [-soak-data] [-profile DIR] [-out FILE]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// config is the parsed command line.
type config struct {
	duration  time.Duration
	conns     int
	out       string
	quick     bool
	records   int
	fillTime  time.Duration
	starts    int
	dataDir   string
	bin       string
	providers string
	profile   string
	soak      time.Duration // 0: the full run
	soakEvery time.Duration
	soakData  bool
	soakRate  float64
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "measured duration of each workload")
	fs.IntVar(&c.conns, "conns", 64, "concurrent clients of the GET, temporary-mode create and mixed workloads")
	fs.StringVar(&c.out, "out", "", "write the markdown report to this file")
	fs.BoolVar(&c.quick, "quick", false, "smoke run (~20 s): short workloads, small store")
	fs.IntVar(&c.records, "records", 1_000_000, "stored resources for the large-store figures")
	fs.DurationVar(&c.fillTime, "fill-time", 20*time.Second, "how long to store resources through the public API (RSS is sampled) before the data file is grown to -records by copying them")
	fs.IntVar(&c.starts, "starts", 20, "process starts for the start-to-healthy median")
	fs.StringVar(&c.dataDir, "data-dir", "", "directory of the --data file and the fsync probe (default: a temporary directory)")
	fs.StringVar(&c.bin, "bin", "", "use this fakeprovider binary instead of building one")
	fs.StringVar(&c.providers, "providers", "", "comma-separated providers to measure (default: every wired provider with a ClientSigner and Examples)")
	fs.StringVar(&c.profile, "profile", "", "only profile: save CPU profiles of the GET and create workloads (binary run with --pprof) in this directory; with -soak, heap profiles after the warm-up and at the end")
	fs.DurationVar(&c.soak, "soak", 0, "only the soak: the mixed workload with webhooks on one emulator for this long, memory sampled (e.g. 10m)")
	fs.DurationVar(&c.soakEvery, "soak-every", 30*time.Second, "interval between the soak's samples")
	fs.BoolVar(&c.soakData, "soak-data", false, "run the soak on a --data file (in -data-dir) instead of temporary mode")
	fs.Float64Var(&c.soakRate, "soak-rate", 0, "requests per second the soak starts at most, over all clients (0: as fast as they go)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.soak < 0 || (c.soak > 0 && c.soakEvery <= 0) || c.soakRate < 0 {
		return c, fmt.Errorf("-soak, -soak-every and -soak-rate must be positive")
	}
	if c.quick {
		c.duration = min(c.duration, 1500*time.Millisecond)
		c.records = min(c.records, 20_000)
		c.fillTime = min(c.fillTime, 4*time.Second)
		c.starts = min(c.starts, 5)
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, err := parseFlags(args, stdout)
	if err != nil {
		return err
	}
	r, err := newRunner(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer r.cleanup()
	if cfg.soak > 0 {
		rep, err := r.soak(ctx)
		if err != nil {
			return err
		}
		return writeReport(stdout, cfg.out, rep.Markdown())
	}
	if cfg.profile != "" {
		return r.profiles(ctx, cfg.profile)
	}
	rep, err := r.all(ctx)
	if err != nil {
		return err
	}
	return writeReport(stdout, cfg.out, rep.Markdown())
}

// writeReport prints the markdown report and writes it to out when set.
func writeReport(stdout io.Writer, out, md string) error {
	fmt.Fprintln(stdout)
	fmt.Fprint(stdout, md)
	if out != "" {
		if err := os.WriteFile(out, []byte(md), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nwrote %s\n", out)
	}
	return nil
}
