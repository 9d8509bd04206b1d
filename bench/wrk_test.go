package main

import (
	"net/http"
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
