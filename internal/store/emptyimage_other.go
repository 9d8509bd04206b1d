//go:build !linux

package store

import "errors"

// emptyImage is Linux only (it needs memfd_create); elsewhere bbolt
// initialises a temporary store's file itself.
func emptyImage() ([]byte, error) { return nil, errors.ErrUnsupported }
