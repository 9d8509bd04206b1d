// Package scenarios holds fakeprovider's built-in scenario files, one folder
// per provider (scenarios/<provider>/*.yaml), embedded in the binary. See
// README.md in this folder for the format and schema.json for editors.
package scenarios

import "embed"

// FS is the built-in scenario files.
//
//go:embed *
var FS embed.FS
