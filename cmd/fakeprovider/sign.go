package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platform"
	"github.com/fakeprovider/fakeprovider/internal/tenant"
)

// sign runs `fakeprovider sign PROVIDER [flags] [METHOD] PATH [BODY]`
// through the provider's SignCommand (the platform's one command line) with the default tenant's
// credentials (the fixed documented ones, or --credentials overrides given
// through FAKEPROVIDER_CREDENTIALS).
func sign(args []string, stdout, stderr io.Writer, env func(string) (string, bool)) error {
	var names []string
	byName := map[string]platform.SignCommander{}
	var spec = map[string]platform.CredentialSpec{}
	for _, p := range app.Providers() {
		if sc, ok := p.(platform.SignCommander); ok {
			names = append(names, p.Name())
			byName[p.Name()] = sc
			spec[p.Name()] = p.Credentials()
		}
	}
	sort.Strings(names)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return fmt.Errorf("%w: fakeprovider sign PROVIDER [flags]; providers: %s", errUsage, strings.Join(names, ", "))
	}
	name := args[0]
	sc, ok := byName[name]
	if !ok {
		return fmt.Errorf("%w: unknown provider %q; providers: %s", errUsage, name, strings.Join(names, ", "))
	}
	creds := spec[name].Default()
	if src, ok := env(platform.EnvName("credentials")); ok && src != "" {
		overrides, err := app.LoadCredentials(src)
		if err != nil {
			return err
		}
		if raw, ok := overrides[name]; ok {
			merged, err := tenant.Overlay(creds, raw)
			if err != nil {
				return err
			}
			if creds, err = spec[name].Decode(json.RawMessage(merged)); err != nil {
				return err
			}
		}
	}
	if err := sc.SignCommand(args[1:], creds, stdout); !errors.Is(err, flag.ErrHelp) {
		return err
	}
	return nil // -h printed the usage
}
