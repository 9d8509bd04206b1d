package platform

import (
	"flag"
	"fmt"
	"os"
	"reflect"
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
	p := new(string)
	f.stringVar(p, name, def, usage)
	return p
}

// stringVar registers a string flag stored in p.
func (f *FlagSet) stringVar(p *string, name, def, usage string) {
	if v, ok := f.env(name); ok {
		def = v
	}
	f.FS.StringVar(p, name, def, f.usage(name, usage))
}

// Bool registers a bool flag; the env var accepts strconv.ParseBool values.
func (f *FlagSet) Bool(name string, def bool, usage string) *bool {
	p := new(bool)
	f.boolVar(p, name, def, usage)
	return p
}

// boolVar registers a bool flag stored in p.
func (f *FlagSet) boolVar(p *bool, name string, def bool, usage string) {
	f.FS.BoolVar(p, name, envValue(f, name, def, strconv.ParseBool), f.usage(name, usage))
}

// Int registers an int flag.
func (f *FlagSet) Int(name string, def int, usage string) *int {
	p := new(int)
	f.intVar(p, name, def, usage)
	return p
}

// intVar registers an int flag stored in p.
func (f *FlagSet) intVar(p *int, name string, def int, usage string) {
	f.FS.IntVar(p, name, envValue(f, name, def, strconv.Atoi), f.usage(name, usage))
}

// Float registers a float64 flag.
func (f *FlagSet) Float(name string, def float64, usage string) *float64 {
	p := new(float64)
	f.floatVar(p, name, def, usage)
	return p
}

// floatVar registers a float64 flag stored in p.
func (f *FlagSet) floatVar(p *float64, name string, def float64, usage string) {
	parse := func(s string) (float64, error) { return strconv.ParseFloat(s, 64) }
	f.FS.Float64Var(p, name, envValue(f, name, def, parse), f.usage(name, usage))
}

// Duration registers a duration flag ("5s", "15m").
func (f *FlagSet) Duration(name string, def time.Duration, usage string) *time.Duration {
	p := new(time.Duration)
	f.durationVar(p, name, def, usage)
	return p
}

// durationVar registers a duration flag stored in p.
func (f *FlagSet) durationVar(p *time.Duration, name string, def time.Duration, usage string) {
	f.FS.DurationVar(p, name, envValue(f, name, def, time.ParseDuration), f.usage(name, usage))
}

// envValue is def, or the flag's environment value parsed by parse; a
// value that does not parse is recorded in Errs.
func envValue[T any](f *FlagSet, name string, def T, parse func(string) (T, error)) T {
	v, ok := f.env(name)
	if !ok {
		return def
	}
	n, err := parse(v)
	if err != nil {
		f.Errs = append(f.Errs, fmt.Errorf("%s=%q: %w", EnvName(name), v, err))
		return def
	}
	return n
}

// Bind registers a flag, with its environment variable, for every field
// of the struct opts points to that has a `flag:"name"` tag: the field's
// value is the default, its `usage:"…"` tag the help, and the parsed value
// lands in the field. Fields are string, bool, int, float64 or
// time.Duration, in the order the flags are listed.
func (f *FlagSet) Bind(opts any) {
	v := reflect.ValueOf(opts).Elem()
	t := v.Type()
	for i := range t.NumField() {
		name := t.Field(i).Tag.Get("flag")
		if name == "" {
			continue
		}
		usage := t.Field(i).Tag.Get("usage")
		switch p := v.Field(i).Addr().Interface().(type) {
		case *string:
			f.stringVar(p, name, *p, usage)
		case *bool:
			f.boolVar(p, name, *p, usage)
		case *int:
			f.intVar(p, name, *p, usage)
		case *float64:
			f.floatVar(p, name, *p, usage)
		case *time.Duration:
			f.durationVar(p, name, *p, usage)
		default:
			panic(fmt.Sprintf("platform: option %s.%s has unsupported type %s", t.Name(), t.Field(i).Name, t.Field(i).Type))
		}
	}
}
