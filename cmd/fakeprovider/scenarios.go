package main

import (
	"fmt"
	"io"
)

// scenarios runs "fakeprovider scenarios lint PATH…".
func scenarios(args []string, stdout, stderr io.Writer, env func(string) (string, bool)) error {
	if len(args) == 0 || args[0] != "lint" {
		return fmt.Errorf("%w: fakeprovider scenarios lint PATH…", errUsage)
	}
	return lintScenarios(args[1:], stdout)
}
