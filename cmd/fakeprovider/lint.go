package main

import (
	"fmt"
	"io"
)

// lintScenarios validates scenario files.
func lintScenarios(paths []string, stdout io.Writer) error {
	return fmt.Errorf("scenario lint is not available yet")
}
