package app

import (
	"context"
	"testing"
)

// BenchmarkStartup measures assembling the emulator with every provider
// in temporary mode (no listener): the part of start-to-healthy that is
// the product's own.
func BenchmarkStartup(b *testing.B) {
	for i := 0; i < b.N; i++ {
		a, err := New(context.Background(), Options{NoListen: true}, Providers())
		if err != nil {
			b.Fatal(err)
		}
		a.Close()
	}
}
