package inspector_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// TestPageRendersControlAPI checks the server-rendered first paint (no
// browser): journal with the auth reason, webhooks with attempts,
// scenarios, state, and the embedded assets.
func TestPageRendersControlAPI(t *testing.T) {
	h := platformtest.New(t, append(app.Providers(), platformtest.NewWidget()))
	rcv := platformtest.NewReceiver(t)
	if st := h.Control("POST", "/scenarios", []byte(widgetScenario), nil); st != 201 {
		t.Fatalf("load scenario: %d", st)
	}
	send(t, "POST", h.URL+"/widgets", `{"name":"later","callback_url":"`+rcv.URL+`/hook"}`, map[string]string{"X-Key": platformtest.WidgetKey})
	send(t, "GET", h.URL+"/widgets/1", "", map[string]string{"X-Key": "<script>bad</script>"})
	h.Advance(2 * time.Hour)

	get := func(path string) (string, string) {
		resp, err := http.Get(h.URL + "/_fakeprovider" + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		return string(b), resp.Header.Get("Content-Type")
	}
	page, ct := get("/ui")
	if !strings.HasPrefix(ct, "text/html") {
		t.Errorf("content type %q", ct)
	}
	for _, want := range []string{
		`unknown X-Key &#34;&lt;script&gt;bad&lt;/script&gt;&#34;`, // the reason, escaped
		"POST /widgets", "widget-done-later", "delivered", `data-count="1"`, `class="resend"`,
		`id="advance"`, `src="ui/assets/inspector.js"`, "widget.done",
		// The routes, the inferred ones flagged with their reason.
		`<code>GET /widgets/{id}/summary</code>`, `<span class="tag inferred" title="a test route whose answer is inferred">inferred</span>`,
		`<code>GET /public/v1/configurations/countries</code>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>bad") {
		t.Error("unescaped input on the page")
	}
	if strings.Contains(page, "http://") && strings.Contains(page, "cdn") {
		t.Error("the page loads something from a CDN")
	}
	js, ct := get("/ui/assets/inspector.js")
	if !strings.HasPrefix(ct, "text/javascript") || !strings.Contains(js, "/clock/advance") || !strings.Contains(js, "/resend") {
		t.Errorf("script: %s", ct)
	}
	if _, ct := get("/ui/assets/inspector.css"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("css: %s", ct)
	}
	other, _ := get("/ui?tenant=nope")
	if !strings.Contains(other, "no tenant") {
		t.Error("an unknown tenant is not reported")
	}
}
