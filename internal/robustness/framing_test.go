package robustness

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// envelopeMark is a piece of each provider's own 400 envelope.
var envelopeMark = map[string]string{
	"crm":        `"type":"invalid_request"`,
	"d24":        `"code":201`,
	"difitek":    `30001`,
	"crowdtrust": `Bad Request`,
}

// A body the server cannot read as framed (garbage chunk sizes, fewer bytes
// than Content-Length) is the client's fault: every provider answers 400 in
// its own envelope, before auth, and the emulator logs it.
func TestBrokenFramingIs400InEnvelope(t *testing.T) {
	var logs platformtest.LogBuffer
	h := startAll(t, platformtest.WithLog(&logs))
	addr := strings.TrimPrefix(h.URL, "http://")
	framings := map[string]string{
		"chunked garbage": "Transfer-Encoding: chunked\r\n\r\nzz-not-hex\r\n{}\r\n0\r\n\r\n",
		"short body":      "Content-Length: 100\r\n\r\n{\"a\":1}",
	}
	for _, c := range wired(t) {
		var path string
		for _, ex := range c.Examples() {
			if len(ex.Body) > 0 && ex.From == "" && ex.Host == "" {
				path = "/" + c.Name() + ex.Path
				break
			}
		}
		if path == "" {
			t.Fatalf("%s has no POST example", c.Name())
		}
		for name, framing := range framings {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			io.WriteString(conn, "POST "+path+" HTTP/1.1\r\nHost: "+addr+"\r\nContent-Type: application/json\r\n"+framing)
			conn.(*net.TCPConn).CloseWrite()
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("%s %s: %v", c.Name(), name, err)
			}
			body, _ := io.ReadAll(resp.Body)
			conn.Close()
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), envelopeMark[c.Name()]) {
				t.Errorf("%s %s: %d %s, want 400 with %s", c.Name(), name, resp.StatusCode, body, envelopeMark[c.Name()])
			}
		}
	}
	if n := strings.Count(logs.String(), "request body unreadable"); n != 2*len(wired(t)) {
		t.Errorf("%d log lines for %d broken bodies:\n%s", n, 2*len(wired(t)), logs.String())
	}
}
