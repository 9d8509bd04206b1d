package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The wrk workload replays one signed request with `wrk -t2 -c32 -d3s`:
// wrk's client is cheaper than the Go load generator, so it shows the
// server's per-request cost. Each replay is signed just before wrk starts,
// so it stays inside every provider's date window (D24's X-Date: ±5 s;
// CrowdTrust's Date: ±15 min; Difitek's cv-auth Created is not checked by
// default and its nonce is not single-use; CRM reads carry only the key).
const (
	wrkThreads  = 2
	wrkConns    = 32
	wrkDuration = 3 * time.Second
)

// ensureWrk finds wrk on PATH or installs it with bench/install-wrk.sh
// (Debian's wrk package through apt-get).
func ensureWrk(ctx context.Context) (string, error) {
	if p, err := exec.LookPath("wrk"); err == nil {
		return p, nil
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "sh", filepath.Join(root, "bench", "install-wrk.sh"))
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("installing wrk: %v: %s", err, lastLines(string(out), 3))
	}
	return exec.LookPath("wrk")
}

func lastLines(s string, n int) string {
	ls := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(ls[max(len(ls)-n, 0):], " / ")
}

// wrkScript is the Lua script that makes wrk send req (method, headers,
// body) on every request.
func wrkScript(req *http.Request, body []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "wrk.method = %s\n", luaString(req.Method))
	for k, vs := range req.Header {
		if len(vs) > 0 {
			fmt.Fprintf(&b, "wrk.headers[%s] = %s\n", luaString(k), luaString(vs[0]))
		}
	}
	if len(body) > 0 {
		fmt.Fprintf(&b, "wrk.body = %s\n", luaString(string(body)))
	}
	return b.String()
}

// luaString quotes s as a Lua string literal (decimal byte escapes for
// anything but printable ASCII).
func luaString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "\\%03d", c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// runWrk signs one request with mk, checks that it succeeds once, then
// replays it with wrk for d.
func runWrk(ctx context.Context, wrk, dir, name string, d time.Duration, mk MakeFunc) Stats {
	s := Stats{Name: name + " (wrk replay)", Conns: wrkConns}
	fail := func(err error) Stats {
		s.Requests, s.Errors, s.FirstErr = 1, 1, err.Error()
		return s
	}
	req, err := mk(ctx, 0)
	if err != nil {
		return fail(err)
	}
	var body []byte
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return fail(err)
		}
		body, _ = io.ReadAll(rc)
	}
	// One plain request first: a replay of a refused request would measure
	// the error path.
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fail(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fail(fmt.Errorf("status %d before the replay", resp.StatusCode))
	}
	script := filepath.Join(dir, "wrk-"+strconv.FormatInt(time.Now().UnixNano(), 36)+".lua")
	if err := os.WriteFile(script, []byte(wrkScript(req, body)), 0o644); err != nil {
		return fail(err)
	}
	defer os.Remove(script)
	cmd := exec.CommandContext(ctx, wrk, "-t"+strconv.Itoa(wrkThreads), "-c"+strconv.Itoa(wrkConns),
		"-d"+strconv.Itoa(max(int(d/time.Second), 1))+"s", "--latency", "-s", script, req.URL.String())
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fail(fmt.Errorf("wrk: %v: %s", err, lastLines(string(out), 3)))
	}
	if err := parseWrk(string(out), &s); err != nil {
		return fail(err)
	}
	return s
}

var (
	wrkTotal   = regexp.MustCompile(`(\d+) requests in ([0-9.]+)(us|ms|s|m)`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkSockErr = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkPct     = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s|m)\s*$`)
)

// parseWrk reads wrk's text report (with --latency) into s.
func parseWrk(out string, s *Stats) error {
	m := wrkTotal.FindStringSubmatch(out)
	if m == nil {
		return fmt.Errorf("wrk output without a request count: %s", lastLines(out, 3))
	}
	s.Requests, _ = strconv.Atoi(m[1])
	s.Elapsed = wrkDur(m[2], m[3])
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		n, _ := strconv.Atoi(m[1])
		s.Errors += n
		s.FirstErr = "non-2xx answers"
	}
	if m := wrkSockErr.FindStringSubmatch(out); m != nil {
		for _, f := range m[1:] {
			n, _ := strconv.Atoi(f)
			s.Errors += n
		}
		if s.FirstErr == "" && s.Errors > 0 {
			s.FirstErr = "socket errors"
		}
	}
	for _, m := range wrkPct.FindAllStringSubmatch(out, -1) {
		d := wrkDur(m[2], m[3])
		if m[1] == "50" {
			s.P50 = d
		} else {
			s.P99 = d
		}
	}
	return nil
}

func wrkDur(num, unit string) time.Duration {
	f, _ := strconv.ParseFloat(num, 64)
	switch unit {
	case "us":
		return time.Duration(f * float64(time.Microsecond))
	case "ms":
		return time.Duration(f * float64(time.Millisecond))
	case "m":
		return time.Duration(f * float64(time.Minute))
	}
	return time.Duration(f * float64(time.Second))
}

// sumStats is a and b measured as one workload (latencies: the worse).
func sumStats(a, b Stats) Stats {
	s := a
	s.Requests += b.Requests
	s.Errors += b.Errors
	s.Elapsed += b.Elapsed
	s.ServerCPU += b.ServerCPU
	s.P50, s.P99, s.P999 = max(a.P50, b.P50), max(a.P99, b.P99), max(a.P999, b.P999)
	if s.FirstErr == "" {
		s.FirstErr = b.FirstErr
	}
	return s
}
