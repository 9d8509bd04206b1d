package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	neturl "net/url"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/tenant"
)

// serveFlags are the serve command's settings.
type serveFlags struct {
	addr, data, credentials, cors, logFormat, logLevel, scenarios string
	explain, tls                                                  bool
	tlsCert, tlsKey                                               string
	journalSize                                                   int
	maxBody                                                       int
	retryScale                                                    float64
	shutdown                                                      time.Duration
	readHeader, read, write, idle                                 time.Duration
	hostAddrs                                                     map[string]*string
	pprof                                                         bool
	allowedHosts, controlToken                                    string
	maxHeader                                                     int
	webhookLoopbackHost                                           string
	// finish copies the parsed values in; call it after Parse.
	finish func()
}

// newServeFlags registers every flag (each with its env var) on fs, the
// providers' own among them.
func newServeFlags(fs *flag.FlagSet, env func(string) (string, bool), providers []platform.Provider) (*serveFlags, *platform.FlagSet) {
	f := platform.NewFlagSet(fs, env)
	s := &serveFlags{hostAddrs: map[string]*string{}}
	addrP := f.String("addr", "127.0.0.1:8080", "listen address of the shared port (all providers and the control API)")
	dataP := f.String("data", "", "bbolt state file; empty: a fresh temporary file, unlinked once open (nothing is left behind, even by kill -9)")
	explainP := f.Bool("explain-auth", false, "also put the auth-failure reason in the X-Fakeprovider-Auth-Error response header")
	tlsP := f.Bool("tls", false, "serve HTTPS with a self-signed certificate generated at start (or --tls-cert/--tls-key)")
	certP := f.String("tls-cert", "", "TLS certificate file (PEM); implies --tls")
	keyP := f.String("tls-key", "", "TLS private key file (PEM)")
	corsP := f.String("cors-origins", "*", "comma-separated origins allowed to call the APIs from a browser; empty disables CORS")
	logFormatP := f.String("log-format", "text", "log format: text or json")
	logLevelP := f.String("log-level", "info", "log level: debug, info, warn or error")
	credsP := f.String("credentials", "", "default tenant's credentials: a JSON file (or inline JSON) shaped like GET /_fakeprovider/credentials; given fields override the defaults")
	journalP := f.Int("journal-size", 1000, "how many recent requests the journal keeps")
	maxBodyP := f.Int("max-body-bytes", 10<<20, "largest request body accepted")
	retryP := f.Float("webhook-retry-scale", 1, "multiplies every webhook retry wait (e.g. 0.01 to compress D24's 5/25/125/625 min schedule)")
	scenP := f.String("scenarios", "", "directory of user scenario files, added to the built-in ones")
	shutdownP := f.Duration("shutdown-timeout", 10*time.Second, "how long in-flight requests may take to finish at shutdown")
	readHeaderP := f.Duration("read-header-timeout", 10*time.Second, "how long a client may take to send request headers (cuts off slow clients)")
	readP := f.Duration("read-timeout", 60*time.Second, "how long a client may take to send a whole request")
	writeP := f.Duration("write-timeout", 60*time.Second, "how long writing an answer may take")
	pprofP := f.Bool("pprof", false, "serve Go runtime profiles at /_fakeprovider/debug/pprof/ (for performance work)")
	allowedP := f.String("allowed-hosts", "", "comma-separated extra Host names the control API answers for (.example.com for a domain and its subdomains; * for any). Loopback names, IP addresses, single-label names (a compose service), *.internal and this machine's name always work")
	tokenP := f.String("control-token", "", "require this token on the control API (Authorization: Bearer TOKEN or X-Fakeprovider-Token); health stays open; the inspector asks for it")
	maxHeaderP := f.Int("max-header-bytes", 64<<10, "largest request header (request line included); larger ones get 431")
	loopbackHostP := f.String("webhook-loopback-host", "", "send webhooks aimed at a loopback address (127.0.0.1, localhost, ::1) to this host instead, same port, path and signature: e.g. host.docker.internal when the emulator runs in a container and the receiver on the machine running it")
	idleP := f.Duration("idle-timeout", 120*time.Second, "how long an idle keep-alive connection stays open")
	for _, p := range providers {
		s.hostAddrs[p.Name()] = f.String(p.Name()+"-addr", "", "also serve "+p.Name()+" alone on this address, at its real paths")
		if mh, ok := p.(platform.MultiHost); ok {
			for _, h := range mh.ExtraHosts() {
				usage := h.Usage
				if usage == "" {
					usage = "also serve the " + h.Name + " host on this address, at its real paths"
				}
				s.hostAddrs[h.Name] = f.String(h.Name+"-addr", "", usage)
			}
		}
		if c, ok := p.(platform.Configurable); ok {
			c.Flags(f)
		}
	}
	s.finish = func() {
		s.addr = *addrP
		s.data, s.explain, s.tls = *dataP, *explainP, *tlsP
		s.tlsCert, s.tlsKey, s.cors = *certP, *keyP, *corsP
		s.logFormat, s.logLevel, s.credentials = *logFormatP, *logLevelP, *credsP
		s.journalSize, s.maxBody, s.retryScale = *journalP, *maxBodyP, *retryP
		s.scenarios, s.shutdown = *scenP, *shutdownP
		s.readHeader, s.read, s.write, s.idle = *readHeaderP, *readP, *writeP, *idleP
		s.pprof = *pprofP
		s.allowedHosts, s.controlToken, s.maxHeader = *allowedP, *tokenP, *maxHeaderP
		s.webhookLoopbackHost = *loopbackHostP
	}
	return s, f
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) (string, bool)) error {
	providers := app.Providers()
	fs := flag.NewFlagSet("fakeprovider serve", flag.ContinueOnError)
	sf, f := newServeFlags(fs, env, providers)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if len(f.Errs) > 0 {
		return fmt.Errorf("%w: %v", errUsage, f.Errs[0])
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	sf.finish()
	if sf.retryScale <= 0 {
		return fmt.Errorf("%w: --webhook-retry-scale must be greater than 0 (0.01 makes D24's 5 min wait 3 s), not %v", errUsage, sf.retryScale)
	}
	log, err := newLogger(stderr, sf.logFormat, sf.logLevel)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	hostAddrs := map[string]string{}
	for name, p := range sf.hostAddrs {
		if *p != "" {
			hostAddrs[name] = *p
		}
	}
	var cors []string
	for _, o := range strings.Split(sf.cors, ",") {
		if o = strings.TrimSpace(o); o != "" {
			cors = append(cors, o)
		}
	}
	var allowed []string
	for _, h := range strings.Split(sf.allowedHosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			allowed = append(allowed, h)
		}
	}
	started := time.Now()
	a, err := app.New(ctx, app.Options{
		Addr:                sf.addr,
		HostAddrs:           hostAddrs,
		Data:                sf.data,
		ExplainAuth:         sf.explain,
		Pprof:               sf.pprof,
		TLS:                 sf.tls,
		TLSCert:             sf.tlsCert,
		TLSKey:              sf.tlsKey,
		CORSOrigins:         cors,
		Credentials:         sf.credentials,
		JournalSize:         sf.journalSize,
		MaxBodyBytes:        int64(sf.maxBody),
		WebhookRetryScale:   sf.retryScale,
		ScenariosDir:        sf.scenarios,
		ShutdownTimeout:     sf.shutdown,
		ReadHeaderTimeout:   sf.readHeader,
		ReadTimeout:         sf.read,
		WriteTimeout:        sf.write,
		IdleTimeout:         sf.idle,
		AllowedHosts:        allowed,
		ControlToken:        sf.controlToken,
		MaxHeaderBytes:      sf.maxHeader,
		Logger:              log,
		WebhookLoopbackHost: sf.webhookLoopbackHost,
	}, providers)
	if err != nil {
		return err
	}
	if sf.logFormat == "json" {
		printReadyJSON(stdout, a, sf.controlToken != "")
	} else {
		printReady(stdout, a, sf.controlToken != "")
	}
	log.Info("started", "version", app.Version, "data", a.Store.Path(), "temporary", a.Store.Temporary(), "startup", time.Since(started).String())
	err = a.Run(ctx)
	log.Info("stopped")
	return err
}

// printReady prints the ready line, the listeners and the default
// credentials for a person reading a terminal.
func printReady(out io.Writer, a *app.App, token bool) {
	// One write: a reader that sees the ready line sees the whole block,
	// and log lines from other goroutines cannot land inside it.
	stdout := new(bytes.Buffer)
	defer func() { out.Write(stdout.Bytes()) }()
	// A wildcard address (as in a container) is not a URL anyone can open:
	// print localhost and list the addresses it is reachable on.
	fmt.Fprintf(stdout, "fakeprovider ready on %s\n", app.OpenableURL(a.URL()))
	if app.ListensEverywhere(a.URL()) {
		ln := strings.TrimPrefix(strings.TrimPrefix(a.Server.URL(""), "http://"), "https://")
		also := ""
		if urls := app.InterfaceURLs(a.URL()); len(urls) > 0 {
			also = " at " + strings.Join(urls, ", ") + " and"
		}
		fmt.Fprintf(stdout, "  listening on every interface (%s): also reachable%s through published ports (docker run -p)\n", ln, also)
	}
	if token {
		fmt.Fprintf(stdout, "  control API needs the control token; inspector: %s/_fakeprovider/ui#token=…\n", app.OpenableURL(a.URL()))
	}
	for _, name := range a.Server.Names() {
		fmt.Fprintf(stdout, "  %s on %s\n", name, app.OpenableURL(a.Server.URL(name)))
	}
	printCredentials(stdout, a)
}

// printReadyJSON is printReady as one JSON object on one line (with
// --log-format json), for log collectors: msg, url, inspector, listeners,
// interfaces and the default tenant's credentials.
func printReadyJSON(stdout io.Writer, a *app.App, token bool) {
	url := app.OpenableURL(a.URL())
	v := map[string]any{
		"time": time.Now().UTC().Format(time.RFC3339Nano), "level": "INFO", "msg": "fakeprovider ready on " + url,
		"url": url, "inspector": url + "/_fakeprovider/ui", "control_token_required": token,
	}
	hosts := map[string]string{}
	for _, name := range a.Server.Names() {
		hosts[name] = app.OpenableURL(a.Server.URL(name))
	}
	if len(hosts) > 0 {
		v["listeners"] = hosts
	}
	if app.ListensEverywhere(a.URL()) {
		v["interfaces"] = app.InterfaceURLs(a.URL())
	}
	if view, ok := a.Tenants.View(tenant.DefaultID); ok {
		v["credentials"] = view
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return
	}
	fmt.Fprintf(stdout, "%s\n", raw)
}

// printCredentials prints the default tenant's credentials as a short block.
func printCredentials(w io.Writer, a *app.App) {
	view, ok := a.Tenants.View(tenant.DefaultID)
	if !ok {
		return
	}
	fmt.Fprintln(w, "default tenant credentials (also at GET /_fakeprovider/credentials):")
	names := make([]string, 0, len(view))
	for k := range view {
		if k != "tenant" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		raw, _ := json.Marshal(view[name])
		fmt.Fprintf(w, "  %-11s %s\n", name+":", raw)
	}
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: %v", level, err)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

// health asks a running server whether it is healthy (for Docker's
// HEALTHCHECK in an image with no curl).
func health(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) (string, bool)) error {
	fs := flag.NewFlagSet("fakeprovider health", flag.ContinueOnError)
	f := platform.NewFlagSet(fs, env)
	addrP := f.String("addr", "127.0.0.1:8080", "address of the server to check: host:port, or a URL (http://localhost:8080, https://…)")
	urlP := fs.String("url", "", "URL of the server to check (http://host:port or https://…); wins over --addr")
	tlsP := f.Bool("tls", false, "the server speaks HTTPS")
	certP := f.String("tls-cert", "", "the server's certificate (implies --tls)")
	timeoutP := f.Duration("timeout", 2*time.Second, "how long to wait for the answer")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	target := *addrP
	if *urlP != "" {
		target = *urlP
	}
	base, err := healthBase(target, *tlsP || *certP != "")
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	client := &http.Client{Timeout: *timeoutP}
	if strings.HasPrefix(base, "https://") {
		// The server's certificate is its own (often self-signed): the check
		// is about liveness, not identity.
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	}
	url := base + "/_fakeprovider/health"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		var rhe tls.RecordHeaderError
		if errors.As(err, &rhe) || strings.Contains(err.Error(), "HTTP response to HTTPS client") {
			return fmt.Errorf("unhealthy: %s answered in plain HTTP to HTTPS: drop --tls or use an http:// URL", base)
		}
		return fmt.Errorf("unhealthy: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	var body struct {
		Status  string `json:"status"`
		Version string `json:"version"`
	}
	if err := json.Unmarshal(raw, &body); err != nil || resp.StatusCode != http.StatusOK || body.Status != "ok" {
		if resp.StatusCode == http.StatusBadRequest && strings.Contains(string(raw), "HTTPS server") {
			return fmt.Errorf("unhealthy: %s speaks HTTPS: use --tls or an https:// URL", strings.TrimPrefix(base, "http://"))
		}
		return fmt.Errorf("unhealthy: status %d from %s", resp.StatusCode, url)
	}
	fmt.Fprintf(stdout, "ok %s\n", body.Version)
	return nil
}

// healthBase turns --addr or --url into a base URL: host:port (the
// wildcard host means this machine), or a URL with its scheme.
func healthBase(target string, useTLS bool) (string, error) {
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	hostport := target
	if strings.Contains(target, "://") {
		u, err := neturl.Parse(target)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("--addr %q: want host:port or an http:// or https:// URL", target)
		}
		if !useTLS {
			scheme = u.Scheme
		}
		hostport = u.Host
		if u.Port() == "" {
			port := "80"
			if u.Scheme == "https" {
				port = "443"
			}
			hostport = net.JoinHostPort(u.Hostname(), port)
		}
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return "", fmt.Errorf("--addr %q: want host:port or a URL such as http://localhost:8080", target)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return scheme + "://" + net.JoinHostPort(host, port), nil
}

// version prints the version; --json prints it with the Go version and
// platform as one JSON object.
func version(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fakeprovider version", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print a JSON object: version, go, os, arch")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(map[string]string{
			"version": app.Version, "go": runtime.Version(), "os": runtime.GOOS, "arch": runtime.GOARCH,
		})
	}
	fmt.Fprintf(stdout, "fakeprovider %s\n", app.Version)
	return nil
}
