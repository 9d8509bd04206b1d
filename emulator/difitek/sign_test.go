package difitek_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/difitek"
)

// TestExamplesSignedWithSignRequest runs every Example, signed by
// SignRequest, against the emulator.
func TestExamplesSignedWithSignRequest(t *testing.T) {
	h, admin := start(t)
	p := difitek.New()
	answers := map[string][]byte{}
	for _, ex := range p.Examples() {
		path := ex.Path
		if ex.From != "" {
			var doc map[string]any
			if err := json.Unmarshal(answers[ex.From], &doc); err != nil {
				t.Fatalf("%s: answer of %s: %v", ex.Name, ex.From, err)
			}
			var v any = doc
			for _, k := range strings.Split(ex.IDField, ".") {
				v = v.(map[string]any)[k]
			}
			path = strings.ReplaceAll(path, "{id}", itoa(int64(v.(float64))))
		}
		req, err := http.NewRequest(ex.Method, h.URL+"/difitek"+path, bytes.NewReader(ex.Body))
		if err != nil {
			t.Fatal(err)
		}
		if err := p.SignRequest(req, ex.Body, admin.creds, time.Now()); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("example %s: %d %s", ex.Name, resp.StatusCode, body)
		}
		answers[ex.Name] = body
		wantPublic := strings.Contains(path, "/public/") || strings.HasSuffix(path, "newsletterSignUp")
		if got := strings.Contains(req.Header.Get(difitek.HeaderCVAuth), `Username="new"`); got != wantPublic {
			t.Errorf("example %s signed as public=%v", ex.Name, got)
		}
	}
}

// TestSignCommand checks the printed headers work as printed.
func TestSignCommand(t *testing.T) {
	h, admin := start(t)
	p := difitek.New()
	cases := []struct {
		args   []string
		status int
	}{
		{[]string{"--path", "/self"}, 200},
		{[]string{"--public", "--path", "/public/stats"}, 200},
		{[]string{"--sso", difitek.DefaultUsername, "--path", "/self"}, 200},
		{[]string{"--sso", "nobody@example.com", "--path", "/self"}, 401},
		{[]string{"--user", "x@example.com", "--password", "y", "--path", "/self"}, 401},
		{[]string{"--method", "POST", "--path", "/organizations", "--body", `{"display_name":"Signed Co"}`}, 200},
	}
	for _, tc := range cases {
		var out bytes.Buffer
		if err := p.SignCommand(tc.args, admin.creds, &out); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		method, path, body := http.MethodGet, "", ""
		for i, a := range tc.args {
			switch a {
			case "--method":
				method = tc.args[i+1]
			case "--path":
				path = tc.args[i+1]
			case "--body":
				body = tc.args[i+1]
			}
		}
		req, _ := http.NewRequest(method, h.URL+"/difitek/v1/"+admin.creds.Network+path, strings.NewReader(body))
		sc := bufio.NewScanner(&out)
		var sawCurl bool
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "curl ") {
				sawCurl = strings.Contains(line, "/v1/"+admin.creds.Network+path)
				continue
			}
			name, value, ok := strings.Cut(line, ": ")
			if !ok {
				t.Fatalf("%v: bad line %q", tc.args, line)
			}
			req.Header.Set(name, value)
		}
		if !sawCurl {
			t.Errorf("%v: no curl line for the path:\n%s", tc.args, out.String())
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%v: status %d, want %d", tc.args, resp.StatusCode, tc.status)
		}
	}
	if err := p.SignCommand([]string{"--public", "--sso", "a@b.c"}, admin.creds, io.Discard); err == nil {
		t.Error("--public with --sso accepted")
	}
}
