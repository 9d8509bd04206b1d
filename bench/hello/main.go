// Command hello is the bench's bare net/http baseline: the smallest
// handler, in a binary that links nothing else, so that its start and its
// memory are those of a bare Go server.
//
//	hello ADDR
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: hello ADDR")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	err = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("hello, world\n"))
	}))
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
