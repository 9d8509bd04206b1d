package crm

import "github.com/fakeprovider/fakeprovider/internal/platform"

// Writer exposes the response writer to the tests.
func Writer() platform.Writer { return envelope }
