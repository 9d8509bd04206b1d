package app

import (
	"github.com/fakeprovider/fakeprovider/internal/control"
)

// controlModules lists the control API modules mounted beside the core
// endpoints (/_fakeprovider/…).
func controlModules(async *control.Async) []control.Module {
	return []control.Module{async}
}
