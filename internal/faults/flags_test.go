package faults

import "flag"

// update is accepted so that "go test ./... -update" (which regenerates the
// golden files of the packages that have them) also runs here.
var _ = flag.Bool("update", false, "rewrite golden files (none in this package)")
