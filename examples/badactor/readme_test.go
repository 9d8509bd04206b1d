package badactor_test

import (
	"context"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/examples/badactor"
	"github.com/fakeprovider/fakeprovider/fakeprovidertest"
)

// TestScreening is the example on the README's first screen
// (README.md), verbatim.
func TestScreening(t *testing.T) {
	t.Parallel()
	fp := fakeprovidertest.Shared(t)                 // a fresh tenant on one emulator per test binary
	p := badactor.New(fp.URL("crowdtrust"), fp.Sign) // your client, signing with the tenant's keys
	check, err := p.Screen(context.Background(), "Jack", "Smith", "1984-07-10", "123-45-1111")
	if err != nil {
		t.Fatal(err)
	}
	fp.Advance(72 * time.Hour) // the check completes (and its webhook is sent) before this returns
	if got, _ := p.Get(context.Background(), check.SearchID); got.Status != "Complete" {
		t.Errorf("check %s is %s", check.SearchID, got.Status)
	}
}
