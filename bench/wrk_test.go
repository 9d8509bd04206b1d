package main

import (
	"net/http"
	"os/exec"
	"testing"
	"time"
)

// wrkOutput is wrk 4.1's report of a run with --latency and refused answers.
const wrkOutput = `Running 3s test @ http://127.0.0.1:40000/v3/deposits/123
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02ms  620.11us  18.20ms   91.00%
    Req/Sec    15.10k     1.20k   17.00k    70.00%
  Latency Distribution
     50%  840.00us
     75%    1.10ms
     90%    1.60ms
     99%    3.25ms
  90123 requests in 3.00s, 40.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:  30041.00
Transfer/sec:     13.37MB
`

func TestParseWrk(t *testing.T) {
	var s Stats
	if err := parseWrk(wrkOutput, &s); err != nil {
		t.Fatal(err)
	}
	want := Stats{Requests: 90123, Errors: 10, FirstErr: "non-2xx answers", Elapsed: 3 * time.Second, P50: 840 * time.Microsecond, P99: 3250 * time.Microsecond}
	if s != want {
		t.Errorf("parseWrk = %+v, want %+v", s, want)
	}
	if err := parseWrk("unable to connect to 127.0.0.1:1 Connection refused\n", &s); err == nil {
		t.Error("parseWrk accepted an output without a request count")
	}
}

func TestWrkScript(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/x", nil)
	req.Header.Set("Authorization", `D24 "a\b"`)
	got := wrkScript(req, []byte("é\n"))
	want := "wrk.method = \"POST\"\nwrk.headers[\"Authorization\"] = \"D24 \\\"a\\\\b\\\"\"\nwrk.body = \"\\195\\169\\010\"\n"
	if got != want {
		t.Errorf("wrkScript =\n%s\nwant\n%s", got, want)
	}
}

// A server's CPU per request is its CPU time over every request of the
// workload, summed with the baseline's two halves.
func TestCPUPerRequest(t *testing.T) {
	a := Stats{Requests: 1000, ServerCPU: 10 * time.Millisecond}
	b := Stats{Requests: 3000, ServerCPU: 30 * time.Millisecond}
	if got := sumStats(a, b).CPUPerRequest(); got != 10*time.Microsecond {
		t.Errorf("CPU per request %v, want 10µs", got)
	}
	if got := (Stats{Requests: 5}).CPUPerRequest(); got != 0 {
		t.Errorf("unmeasured CPU per request %v, want 0", got)
	}
}

// The process's own CPU time is read from /proc.
func TestProcCPU(t *testing.T) {
	cmd := exec.Command("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; sleep 5")
	if err := cmd.Start(); err != nil {
		t.Skip(err)
	}
	defer cmd.Process.Kill()
	p := &proc{cmd: cmd}
	deadline := time.Now().Add(5 * time.Second)
	for p.CPU() < 20*time.Millisecond && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if p.CPU() < 20*time.Millisecond {
		t.Fatalf("CPU %v after a busy loop", p.CPU())
	}
}
