package inspector_test

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

var updateScreenshot = flag.Bool("update-screenshot", os.Getenv("FAKEPROVIDER_UPDATE_SCREENSHOT") == "1",
	"write docs/inspector.png from the browser test")

const widgetScenario = `version: 1
name: widget-done-later
description: the widget is done an hour after it is created, and its owner is told
provider: widget
on: widget.created
match:
  - {field: name, equals: later}
steps:
  - after: 1h
    status: done
`

// browser finds Chromium: $FAKEPROVIDER_BROWSER, then the usual names.
// Without one the test skips, unless FAKEPROVIDER_REQUIRE_BROWSER=1 (CI).
func browser(t *testing.T) string {
	if p := os.Getenv("FAKEPROVIDER_BROWSER"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("FAKEPROVIDER_REQUIRE_BROWSER") == "1" {
		t.Fatal("no Chromium found and FAKEPROVIDER_REQUIRE_BROWSER=1: run scripts/install-browser.sh")
	}
	t.Skip("no Chromium found (scripts/install-browser.sh installs it); set FAKEPROVIDER_REQUIRE_BROWSER=1 to fail instead")
	return ""
}

func send(t *testing.T, method, url, body string, header map[string]string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// TestInspectorInBrowser loads the inspector in headless Chromium, checks
// the journal (with an auth failure and its reason), advances the clock
// from the page (which runs a scenario step and its webhook), resends the
// webhook from the page, and checks what the page then shows.
func TestInspectorInBrowser(t *testing.T) {
	exe := browser(t)
	h := platformtest.New(t, append(app.Providers(), platformtest.NewWidget()))
	rcv := platformtest.NewReceiver(t)

	// Something to look at: a scenario, a widget that will get a webhook, an
	// auth failure, and every real provider's signed examples.
	if st := h.Control("POST", "/scenarios", []byte(widgetScenario), nil); st != 201 {
		t.Fatalf("load scenario: %d", st)
	}
	for _, p := range app.Providers() {
		signExamples(t, h, p)
	}
	send(t, "POST", h.URL+"/widgets", `{"name":"later","amount":42,"callback_url":"`+rcv.URL+`/hooks/widget"}`,
		map[string]string{"X-Key": platformtest.WidgetKey, "Content-Type": "application/json"})
	send(t, "GET", h.URL+"/widgets/1", "", map[string]string{"X-Key": "wrong-key"})
	for _, p := range app.Providers() {
		badSignature(t, h, p)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1500),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.TextContent(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("`+sel+`").length`))
		if err != nil {
			t.Fatalf("count %s: %v", sel, err)
		}
		return n
	}
	poll := func(what, expr string) {
		t.Helper()
		if _, err := chromedp.Run(bctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("waiting for %s (%s): %v", what, expr, err)
		}
	}

	step("load the page", chromedp.Navigate(h.URL+"/_fakeprovider/ui"), chromedp.WaitVisible(chromedp.CSS("#requests tr")))
	poll("the script's first refresh", `document.body.hasAttribute("data-refreshed")`)

	// The journal: the failed request with its reason.
	if got := text("#requests"); !strings.Contains(got, "/widgets/1") || !strings.Contains(got, `unknown X-Key "wrong-key"`) {
		t.Errorf("journal on the page lacks the auth failure and its reason:\n%s", got)
	}
	if got := text("#scenarios"); !strings.Contains(got, "widget-done-later") {
		t.Errorf("scenarios on the page: %s", got)
	}
	// The routes: the inferred ones flagged, documented ones not.
	if n := count("#routes tr.inferred .tag.inferred"); n == 0 || n != count("#routes tr.inferred") {
		t.Errorf("%d inferred badges on the routes", n)
	}
	// (in a closed <details>: read with the DOM, not as visible text)
	widgetRoute, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector("#routes tr.inferred[data-provider=widget]").textContent`))
	if err != nil || !strings.Contains(widgetRoute, "a test route whose answer is inferred") {
		t.Errorf("the widget's inferred route: %q %v", widgetRoute, err)
	}
	if n := count("#routes tr[data-provider=widget]:not(.inferred) .tag.inferred"); n != 0 {
		t.Errorf("%d documented widget routes flagged inferred", n)
	}
	if n := count("#webhooks tr[data-provider=widget]"); n != 0 {
		t.Errorf("%d widget webhooks before the advance", n)
	}

	// Advance the clock from the page: the scenario step runs and its
	// webhook is sent before the advance answers.
	step("advance 2h",
		chromedp.SetValue(chromedp.CSS("#advance-by"), "2h"),
		chromedp.Click(chromedp.CSS("#advance")))
	poll("the advanced clock", `document.getElementById("clock-offset").textContent === "2h0m0s"`)
	poll("the webhook's first attempt", `document.querySelector('#webhooks tr[data-provider=widget] ol.attempts[data-count="1"]') !== null`)
	if got := text("#flash"); !strings.Contains(got, "advanced 2h: ") {
		t.Errorf("flash after advance: %q", got)
	}
	if got := text("#webhooks tr[data-provider=widget]"); !strings.Contains(got, "delivered") || !strings.Contains(got, rcv.URL+"/hooks/widget") {
		t.Errorf("webhooks after the advance: %s", got)
	}
	if got := text("#state"); !strings.Contains(got, "widget") {
		t.Errorf("state: %s", got)
	}

	// Trigger a scenario from the page on the widget.
	step("trigger",
		chromedp.SetValue(chromedp.CSS("#trigger-id"), "1"),
		chromedp.Click(chromedp.CSS(`#scenarios button.trigger[data-name="widget-done-later"]`)))
	poll("the trigger's run", `document.getElementById("flash").textContent.indexOf("triggered widget-done-later on 1") >= 0`)
	poll("the second run", `document.querySelectorAll("#runs tr").length >= 2`)

	// Resend from the page: a second attempt, flagged as a resend.
	step("resend", chromedp.Click(chromedp.CSS("#webhooks tr[data-provider=widget] button.resend")))
	poll("the resent attempt", `document.querySelector('#webhooks tr[data-provider=widget] ol.attempts[data-count="2"]') !== null`)
	if got := text("#webhooks tr[data-provider=widget] ol.attempts"); !strings.Contains(got, "(resend)") {
		t.Errorf("attempts after resend: %s", got)
	}
	if n := len(rcv.Requests()); n != 2 {
		t.Errorf("the receiver got %d requests, want 2 (attempt and resend)", n)
	}
	// The page only showed what the control API says.
	var list struct {
		Webhooks []struct {
			Attempts []struct {
				Resend bool `json:"resend"`
			} `json:"attempts"`
		} `json:"webhooks"`
	}
	h.Control("GET", "/webhooks?provider=widget", nil, &list)
	if len(list.Webhooks) != 1 || len(list.Webhooks[0].Attempts) != 2 || !list.Webhooks[0].Attempts[1].Resend {
		t.Errorf("control API after the resend: %+v", list)
	}
	if got := text("#clock-offset"); got != "2h0m0s" {
		t.Errorf("offset after refreshes: %q", got)
	}

	if *updateScreenshot {
		// The first screen (what the README shows), scrolled to the top.
		step("scroll to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
		png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		out := filepath.Join("..", "..", "docs", "inspector.png")
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(out, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", out, len(png))
	}

	// Section navigation: every link leads to a section of the page.
	if n := count("#nav a"); n < 9 {
		t.Errorf("%d navigation links", n)
	}
	poll("navigation targets", `Array.prototype.every.call(document.querySelectorAll("#nav a"), function (a) { return document.querySelector(a.getAttribute("href")) !== null; })`)

	// Headers and bodies of each request, redacted; the failed one's answer too.
	poll("request details", `document.querySelector("#requests details") !== null`)
	details, err := chromedp.Run(bctx, chromedp.Evaluate[string](`Array.prototype.map.call(document.querySelectorAll("#requests details"), function (d) { return d.textContent; }).join("\n")`))
	if err != nil || !strings.Contains(details, "← 401") || !strings.Contains(details, "Content-Type: application/json") || !strings.Contains(details, "X-Request-Id: ") {
		t.Errorf("request details lack the answer's status and headers: %v\n%s", err, details)
	}
	if strings.Contains(details, "hunter2") {
		t.Errorf("request details show a secret:\n%s", details)
	}

	// Filters: failed auth only.
	step("filter failed auth", chromedp.SetValue(chromedp.CSS("#f-auth"), "failed"), chromedp.Click(chromedp.CSS("#f-apply")))
	poll("only failed requests", `document.querySelectorAll("#requests tr").length > 0 && document.querySelectorAll("#requests tr").length === document.querySelectorAll("#requests tr.auth-fail").length`)
	step("clear the filter", chromedp.Click(chromedp.CSS("#f-clear")))
	poll("every request again", `document.querySelectorAll("#requests tr:not(.auth-fail)").length > 0`)

	// Paging past the first 50.
	for i := 0; i < 55; i++ {
		send(t, "GET", h.URL+"/widgets/1", "", map[string]string{"X-Key": platformtest.WidgetKey})
	}
	poll("a second page", `!document.getElementById("page-next").disabled`)
	step("older", chromedp.Click(chromedp.CSS("#page-next")))
	poll("the second page", `document.getElementById("page-info").textContent.indexOf("51–") === 0`)
	step("newer", chromedp.Click(chromedp.CSS("#page-prev")))
	poll("the first page", `document.getElementById("page-info").textContent.indexOf("1–50 of") === 0`)

	// A failed run shows its error.
	step("trigger on a missing widget",
		chromedp.SetValue(chromedp.CSS("#trigger-id"), "999"),
		chromedp.Click(chromedp.CSS(`#scenarios button.trigger[data-name="widget-done-later"]`)))
	poll("the trigger", `document.getElementById("flash").textContent.indexOf("on 999") >= 0`)
	step("advance to the step", chromedp.SetValue(chromedp.CSS("#advance-by"), "2h"), chromedp.Click(chromedp.CSS("#advance")))
	poll("the run's error", `document.querySelector("#runs .run-error") !== null`)
	if got := text("#runs .run-error"); got == "" {
		t.Error("empty run error")
	}

	// Faults: add one from the page, see it, remove it.
	step("add a fault",
		chromedp.SetValue(chromedp.CSS("#fault-provider"), "widget"),
		chromedp.SetValue(chromedp.CSS("#fault-path"), "/widgets/*"),
		chromedp.Click(chromedp.CSS("#fault-add")))
	poll("the fault", `document.querySelectorAll("#faults tr[data-id]").length === 1`)
	if got := text("#faults"); !strings.Contains(got, "status 503") || !strings.Contains(got, "/widgets/*") {
		t.Errorf("faults panel: %s", got)
	}
	step("remove the fault", chromedp.Click(chromedp.CSS("#faults button.fault-remove")))
	poll("no fault", `document.querySelectorAll("#faults tr[data-id]").length === 0`)

	// Tenants: mint one from the page, see its credentials, delete it.
	before := count("#tenants tr[data-tenant]")
	step("new tenant", chromedp.Click(chromedp.CSS("#tenant-new")))
	poll("the new tenant", `document.querySelectorAll("#tenants tr[data-tenant]").length === `+strconv.Itoa(before+1))
	if got := text("#tenants tr[data-tenant=default]"); !strings.Contains(got, "widget") {
		t.Errorf("credentials panel: %s", got)
	}
	step("delete it", chromedp.Click(chromedp.CSS("#tenants button.tenant-delete")))
	poll("the tenant gone", `document.querySelectorAll("#tenants tr[data-tenant]").length === `+strconv.Itoa(before))

	// Reset everything from the page: the journal empties, the clock is back.
	step("reset", chromedp.Click(chromedp.CSS("#reset")))
	poll("reset", `document.getElementById("flash").textContent.indexOf("reset everything") >= 0`)
	poll("an empty journal", `document.getElementById("requests-count").textContent === "0"`)
	poll("the clock back", `document.getElementById("clock-offset").textContent === "0s"`)

	// Another tenant (minted after the page loaded: the poll adds it to the
	// selector): its own, empty, view.
	other := h.NewTenant()
	poll("the new tenant in the selector", `document.querySelector('#tenant option[value="`+other+`"]') !== null`)
	step("select the tenant", chromedp.Evaluate[chromedp.Void](`(function(){var s=document.getElementById("tenant");s.value="`+other+`";s.dispatchEvent(new Event("change"));})()`))
	poll("the tenant's state", `document.getElementById("state-tenant").textContent === "`+other+`"`)
	poll("the tenant's empty webhooks", `document.getElementById("webhooks").textContent.indexOf("no webhooks yet") >= 0`)
	if got := text("#clock-offset"); got != "0s" {
		t.Errorf("the tenant's clock offset after the reset: %q", got)
	}
}

// badSignature sends a provider's first example with a body (else its first
// example), signed and then with the signature itself altered, so that the
// journal shows a signature failure and its reason (the expected
// string-to-sign or digest).
func badSignature(t *testing.T, h *platformtest.Harness, p platform.Provider) {
	ex, ok := p.(platform.Exampler)
	cs, signs := p.(platform.ClientSigner)
	if !ok || !signs {
		return
	}
	var pick *platform.Example
	for _, e := range ex.Examples() {
		if e.From != "" || e.Host != "" {
			continue
		}
		if pick == nil || (len(pick.Body) == 0 && len(e.Body) > 0) {
			e := e
			pick = &e
		}
	}
	if pick == nil {
		return
	}
	req, err := http.NewRequest(pick.Method, h.URL+pick.Path, strings.NewReader(string(pick.Body)))
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.SignRequest(req, pick.Body, h.Credentials(p.Name()), time.Now()); err != nil {
		t.Fatal(err)
	}
	flip := func(v string, i int) string {
		c := byte('A')
		if v[i] == 'A' {
			c = 'B'
		}
		return v[:i] + string(c) + v[i+1:]
	}
	for k, v := range req.Header {
		switch {
		case len(v) == 0:
		case strings.Contains(v[0], `TokenDigest="`): // Difitek
			i := strings.Index(v[0], `TokenDigest="`) + len(`TokenDigest="`)
			req.Header.Set(k, flip(v[0], i))
		case (k == "Authorization" || k == "Signature") && len(v[0]) > 8: // CrowdTrust, CRM, D24
			req.Header.Set(k, flip(v[0], len(v[0])-3))
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// signExamples sends a provider's representative requests, signed as its
// real clients sign them, so that the journal and the state show real data.
func signExamples(t *testing.T, h *platformtest.Harness, p platform.Provider) {
	ex, ok := p.(platform.Exampler)
	cs, signs := p.(platform.ClientSigner)
	if !ok || !signs {
		return
	}
	creds := h.Credentials(p.Name())
	answers := map[string]map[string]any{}
	for _, e := range ex.Examples() {
		if e.Host != "" {
			continue
		}
		path := e.Path
		if e.From != "" {
			v := any(answers[e.From])
			for _, k := range strings.Split(e.IDField, ".") {
				m, _ := v.(map[string]any)
				v = m[k]
			}
			id, _ := json.Marshal(v)
			path = strings.ReplaceAll(path, "{id}", strings.Trim(string(id), `"`))
		}
		req, err := http.NewRequest(e.Method, h.URL+path, strings.NewReader(string(e.Body)))
		if err != nil {
			t.Fatal(err)
		}
		if err := cs.SignRequest(req, e.Body, creds, time.Now()); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		answers[e.Name] = v
	}
}

// TestInspectorWithControlToken: with --control-token, the page loads
// without the token but shows no data and asks for it; opened as
// …/ui#token=TOKEN (or given the token in its form) it polls and acts with
// it, and the token leaves the address bar.
func TestInspectorWithControlToken(t *testing.T) {
	exe := browser(t)
	const token = "tok-3c1f9a-inspector"
	h := platformtest.New(t, append(app.Providers(), platformtest.NewWidget()),
		platformtest.WithOptions(func(o *app.Options) { o.ControlToken = token }))
	send(t, "GET", h.URL+"/widgets/1", "", map[string]string{"X-Key": "wrong-key"})
	if st := platformtest.DoJSON(t, "GET", h.URL+"/_fakeprovider/requests", nil, nil); st != http.StatusUnauthorized {
		t.Fatalf("journal without the token: %d, want 401", st)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe), chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()))
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	poll := func(what, expr string) {
		t.Helper()
		if _, err := chromedp.Run(bctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("waiting for %s (%s): %v", what, expr, err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return s
	}

	// Without the token: the form, and no data.
	run("load without the token", chromedp.Navigate(h.URL+"/_fakeprovider/ui"), chromedp.WaitVisible(chromedp.CSS("#token-form")))
	if got := eval(`document.getElementById("requests").textContent`); strings.Contains(got, "/widgets/1") {
		t.Errorf("the locked page shows the journal: %s", got)
	}
	// The token in the form: the page fills.
	run("give the token", chromedp.SetValue(chromedp.CSS("#token"), token), chromedp.Click(chromedp.CSS("#token-use")))
	poll("the journal with the token", `document.getElementById("requests").textContent.indexOf("/widgets/1") >= 0`)
	poll("the form hidden", `document.getElementById("token-form").hidden`)

	// A fresh tab opened as …/ui#token=…: it polls, acts, and the token
	// leaves the address bar.
	bctx2, cancel2 := chromedp.NewContext(bctx)
	defer cancel2()
	bctx = bctx2
	run("load with #token", chromedp.Navigate(h.URL+"/_fakeprovider/ui#token="+token), chromedp.WaitVisible(chromedp.CSS("#requests tr")))
	poll("the journal from the fragment's token", `document.getElementById("requests").textContent.indexOf("/widgets/1") >= 0`)
	if got := eval(`location.href`); strings.Contains(got, token) {
		t.Errorf("the token stays in the address bar: %s", got)
	}
	run("advance 1h", chromedp.SetValue(chromedp.CSS("#advance-by"), "1h"), chromedp.Click(chromedp.CSS("#advance")))
	poll("the advanced clock", `document.getElementById("clock-offset").textContent === "1h0m0s"`)
}
