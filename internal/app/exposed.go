package app

import (
	"log/slog"
	"net"
	"net/url"

	"github.com/fakeprovider/fakeprovider/internal/server"
)

// warnExposed warns, once per listener, when one listens beyond loopback:
// then other machines (and containers) reach what it serves.
func warnExposed(log *slog.Logger, srv *server.Server, token bool) {
	urls := map[string]string{"": srv.URL("")}
	for _, name := range srv.Names() {
		urls[name] = srv.URL(name)
	}
	for _, w := range exposedWarnings(urls, token) {
		log.Warn(w.msg, "addr", w.addr, "listener", w.listener)
	}
}

type exposure struct{ msg, addr, listener string }

// exposedWarnings says, for each listener ("" is the shared one) not bound
// to a loopback address, what other machines can reach.
func exposedWarnings(urls map[string]string, token bool) []exposure {
	var out []exposure
	for _, name := range append([]string{""}, sortedNames(urls)...) {
		raw, ok := urls[name]
		if !ok {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsLoopback() {
			continue
		}
		reach := "every provider API and the control API (every tenant's credentials, reset, faults, the inspector)"
		advice := "the control API takes any caller that can connect: set --control-token to require a token"
		if token {
			advice = "the control API requires the control token"
		}
		listener := "shared"
		if name != "" {
			reach, advice, listener = name+"'s API at its real paths", "it serves no control API", name
		}
		out = append(out, exposure{"listening beyond loopback: other machines and containers can reach " + reach + "; " + advice, u.Host, listener})
	}
	return out
}

func sortedNames(urls map[string]string) []string {
	var names []string
	for n := range urls {
		if n != "" {
			names = append(names, n)
		}
	}
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && names[j] < names[j-1]; j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
	return names
}
