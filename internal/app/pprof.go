package app

import (
	"net/http/pprof"

	"github.com/fakeprovider/fakeprovider/internal/control"
)

// registerPprof serves the Go runtime profiles on the control router
// (/_fakeprovider/debug/pprof/…), only when asked for with --pprof.
func registerPprof(r *control.Routes) {
	r.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	r.HandleFunc("/debug/pprof/profile", pprof.Profile)
	r.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	r.HandleFunc("/debug/pprof/trace", pprof.Trace)
	r.PathPrefix("/debug/pprof/").HandlerFunc(pprof.Index)
}
