package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// With --log-format json every line fakeprovider writes is one JSON object
// without a repeated key — the ready line and the credentials too — and
// --log-level debug logs each request.
func TestJSONLogs(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{ready: make(chan struct{}), marker: `"credentials"`}
	var errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--log-format", "json", "--log-level", "debug"}, out, &errb, envOf("FAKEPROVIDER_ADDR", "127.0.0.1:0"))
	}()
	select {
	case <-out.ready:
	case code := <-done:
		t.Fatalf("serve exited %d before ready: %s", code, errb.String())
	case <-time.After(20 * time.Second):
		t.Fatal("serve not ready")
	}
	var ready struct {
		Msg         string                     `json:"msg"`
		URL         string                     `json:"url"`
		Credentials map[string]json.RawMessage `json:"credentials"`
	}
	line := strings.TrimSpace(out.String())
	if err := json.Unmarshal([]byte(line), &ready); err != nil || !strings.HasPrefix(ready.Msg, "fakeprovider ready on ") || len(ready.Credentials["d24"]) == 0 {
		t.Fatalf("ready line %q: %v", line, err)
	}
	// An unsigned provider request: its auth failure is logged with the
	// provider's logger, which already carries "provider".
	for _, p := range []string{"/difitek/v1/testnetwork/offerings", "/d24/v3/deposits/1", "/crm/public/v1/clients", "/crowdtrust/bacapi/search/1"} {
		resp, err := http.Get(ready.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	cancel()
	<-done
	requests := 0
	sc := bufio.NewScanner(strings.NewReader(out.String() + errb.String()))
	for sc.Scan() {
		checkJSONLine(t, sc.Text())
		if strings.Contains(sc.Text(), `"msg":"request"`) {
			requests++
		}
	}
	if !strings.Contains(errb.String(), `"provider":"difitek"`) {
		t.Errorf("no provider log line to check:\n%s", errb.String())
	}
	if requests < 4 {
		t.Errorf("%d request lines at debug level, want 4:\n%s", requests, errb.String())
	}
}

// checkJSONLine fails unless line is one JSON object whose keys (at every
// level) appear once.
func checkJSONLine(t *testing.T, line string) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	var walk func() error
	walk = func() error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				key := k.(string)
				if seen[key] {
					t.Errorf("key %q twice in %s", key, line)
				}
				seen[key] = true
				if err := walk(); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for dec.More() {
				if err := walk(); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	if !strings.HasPrefix(line, "{") {
		t.Errorf("not a JSON object: %q", line)
		return
	}
	if err := walk(); err != nil {
		t.Errorf("not JSON: %q: %v", line, err)
	}
}
