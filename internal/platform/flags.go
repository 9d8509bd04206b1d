package platform

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// EnvPrefix prefixes every flag's environment variable.
const EnvPrefix = "FAKEPROVIDER_"

// EnvName is the environment variable of a flag: --d24-date-window →
// FAKEPROVIDER_D24_DATE_WINDOW.
func EnvName(flagName string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// FlagSet registers flags that also read an environment variable. The
// order of precedence is flag > env > default.
type FlagSet struct {
	FS     *flag.FlagSet
	Lookup func(string) (string, bool)
	// Names lists the registered flags in order (for docs and golden tests).
	Names []string
	// Errs collects environment values that could not be parsed; the
	// command refuses to start when it is not empty.
	Errs []error
}

// NewFlagSet wraps fs, reading the environment with lookup (os.LookupEnv
// when nil).
func NewFlagSet(fs *flag.FlagSet, lookup func(string) (string, bool)) *FlagSet {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	return &FlagSet{FS: fs, Lookup: lookup}
}

func (f *FlagSet) env(name string) (string, bool) {
	f.Names = append(f.Names, name)
	return f.Lookup(EnvName(name))
}

func (f *FlagSet) usage(name, usage string) string {
	return usage + " (env " + EnvName(name) + ")"
}

// String registers a string flag.
func (f *FlagSet) String(name, def, usage string) *string {
	if v, ok := f.env(name); ok {
		def = v
	}
	return f.FS.String(name, def, f.usage(name, usage))
}

// Bool registers a bool flag; the env var accepts strconv.ParseBool values.
func (f *FlagSet) Bool(name string, def bool, usage string) *bool {
	if v, ok := f.env(name); ok {
		if b, err := strconv.ParseBool(v); err == nil {
			def = b
		} else {
			f.Errs = append(f.Errs, fmt.Errorf("%s=%q: %w", EnvName(name), v, err))
		}
	}
	return f.FS.Bool(name, def, f.usage(name, usage))
}

// Int registers an int flag.
func (f *FlagSet) Int(name string, def int, usage string) *int {
	if v, ok := f.env(name); ok {
		if n, err := strconv.Atoi(v); err == nil {
			def = n
		} else {
			f.Errs = append(f.Errs, fmt.Errorf("%s=%q: %w", EnvName(name), v, err))
		}
	}
	return f.FS.Int(name, def, f.usage(name, usage))
}

// Float registers a float64 flag.
func (f *FlagSet) Float(name string, def float64, usage string) *float64 {
	if v, ok := f.env(name); ok {
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			def = n
		} else {
			f.Errs = append(f.Errs, fmt.Errorf("%s=%q: %w", EnvName(name), v, err))
		}
	}
	return f.FS.Float64(name, def, f.usage(name, usage))
}

// Duration registers a duration flag ("5s", "15m").
func (f *FlagSet) Duration(name string, def time.Duration, usage string) *time.Duration {
	if v, ok := f.env(name); ok {
		if d, err := time.ParseDuration(v); err == nil {
			def = d
		} else {
			f.Errs = append(f.Errs, fmt.Errorf("%s=%q: %w", EnvName(name), v, err))
		}
	}
	return f.FS.Duration(name, def, f.usage(name, usage))
}
