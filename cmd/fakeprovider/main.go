// Command fakeprovider emulates the Difitek, D24, CRM Open API and
// CrowdTrust APIs on localhost for integration tests and development.
//
//	fakeprovider [serve] [flags]   run the emulator (default)
//	fakeprovider health [--addr|--url]  exit 0 when the server is healthy
//	fakeprovider version [--json]  print the version (also --version)
//	fakeprovider sign PROVIDER …   print the headers a real client would send
//	fakeprovider scenarios lint DIR…  validate scenario files
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	_ "time/tzdata" // the scratch image has no zoneinfo
)

// gcPercent is the collector's target when GOGC is not set: the server's
// live heap is a few MiB and it allocates fast, so at Go's default of 100
// a stored-resource read spent about a fifth of its CPU collecting. 400
// lets the heap grow to five times what is live between collections.
const gcPercent = 400

// memoryLimit is the collector's soft ceiling when GOMEMLIMIT is not set:
// near it the collector runs as often as a heap that size needs, so a
// large live heap (a long backlog, a big store's free-page list) does not
// get five times its size.
const memoryLimit = 256 << 20

func main() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.LookupEnv)
	stop()
	os.Exit(code)
}

// errUsage marks a command-line mistake (exit status 2).
var errUsage = errors.New("usage")

// run is main without the process: testable, no globals.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) (string, bool)) int {
	cmd := "serve"
	switch {
	case len(args) > 0 && (args[0] == "--version" || args[0] == "-version"):
		cmd, args = "version", args[1:]
	case len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-':
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args, stdout, stderr, env)
	case "health":
		err = health(ctx, args, stdout, stderr, env)
	case "version":
		err = version(args, stdout, stderr)
	case "sign":
		err = sign(args, stdout, stderr, env)
	case "scenarios":
		err = scenarios(args, stdout, stderr, env)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usageText)
		return 0
	default:
		fmt.Fprintf(stderr, "fakeprovider: unknown command %q; run \"fakeprovider help\" for the commands\n", cmd)
		return 2
	}
	if err == nil || errors.Is(err, errHelp) {
		return 0
	}
	if errors.Is(err, errUsage) {
		fmt.Fprintf(stderr, "fakeprovider %s: %s\nrun \"fakeprovider %s -h\" for usage\n", cmd, strings.TrimPrefix(err.Error(), "usage: "), cmd)
		return 2
	}
	fmt.Fprintf(stderr, "fakeprovider %s: %v\n", cmd, err)
	return 1
}

const usageText = `fakeprovider emulates the Difitek, D24, CRM Open API and CrowdTrust APIs on localhost.

Usage:
  fakeprovider [serve] [flags]        run the emulator (default command)
  fakeprovider health [--addr ADDR]   exit 0 when the server answers healthy (ADDR: host:port or a URL)
  fakeprovider version [--json]       print the version (also: fakeprovider --version)
  fakeprovider sign PROVIDER [flags]  print the headers a real client would send (for curl)
  fakeprovider scenarios lint PATH…   validate scenario files (line-numbered errors)

Run "fakeprovider serve -h" for the flags; each has an environment variable.
`
