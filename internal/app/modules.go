package app

import (
	"github.com/fakeprovider/fakeprovider/internal/control"
	"github.com/fakeprovider/fakeprovider/internal/inspector"
	"github.com/fakeprovider/fakeprovider/internal/openapi"
)

// controlModules lists the control API modules mounted beside the core
// endpoints (/_fakeprovider/…): the asynchronous machinery, the OpenAPI
// document and the web inspector.
func controlModules(async *control.Async) []control.Module {
	return []control.Module{async, &openapi.Module{}, inspector.Module{}}
}

// ControlModules is the list of control modules the app mounts, for tests
// that walk every control route (the OpenAPI coverage test).
func ControlModules(async *control.Async) []control.Module { return controlModules(async) }
