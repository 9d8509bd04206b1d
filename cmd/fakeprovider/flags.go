package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// errHelp: -h was asked for and the usage printed (exit status 0).
var errHelp = errors.New("help printed")

// parseFlags parses args without the flag package's habit of printing the
// whole usage after a mistake: a mistake is one errUsage line (run adds the
// hint to -h), and -h prints the usage to stderr and returns errHelp.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stderr)
		fs.Usage()
		return errHelp
	}
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}
