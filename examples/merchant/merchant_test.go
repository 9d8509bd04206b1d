package merchant_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/examples/merchant"
	"github.com/fakeprovider/fakeprovider/fakeprovidertest"
)

// One emulator for the whole test binary; each test gets its own tenant.
func TestMain(m *testing.M) { os.Exit(fakeprovidertest.Main(m)) }

func newShop(t *testing.T) (*merchant.Merchant, *fakeprovidertest.Tenant) {
	t.Helper()
	fp := fakeprovidertest.Shared(t)
	if !slices.Contains(fp.Server().Providers(), "d24") {
		t.Skip("the D24 provider is not mounted in this build")
	}
	// The merchant signs with this tenant's D24 keys (fakeprovidertest
	// picks the key D24 expects for each path, as a real client does).
	shop := merchant.New(fp.URL("d24"), func(req *http.Request, body []byte) error { return fp.SignAs("d24", req, body) })
	// A receiver the emulator can reach, in-process or in a container.
	hooks := fakeprovidertest.NewReceiver(t, shop.Handler())
	shop.NotificationURL = hooks.URL + "/webhooks/d24"
	return shop, fp
}

func TestDepositIsNotifiedAndCompleted(t *testing.T) {
	t.Parallel()
	shop, fp := newShop(t)
	ctx := context.Background()

	dep, err := shop.CreateDeposit(ctx, fmt.Sprintf("order-%d", time.Now().UnixNano()), 100, "BR", "BRL")
	if err != nil {
		t.Fatal(err)
	}
	if dep.RedirectURL == "" {
		t.Errorf("no redirect_url: %+v", dep)
	}
	if st, err := shop.Status(ctx, dep.DepositID.String()); err != nil || st != "PENDING" {
		t.Fatalf("status right after creation: %q, %v; want PENDING", st, err)
	}

	// The customer pays: in the emulator, scenario time moves on. The advance
	// returns once D24's status change and its notification have happened,
	// so the merchant has been notified and has fetched the status.
	fp.Advance(time.Hour)
	select {
	case id := <-shop.Notified():
		if id != dep.DepositID.String() {
			t.Errorf("notified of %s, want %s", id, dep.DepositID)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no notification; deliveries: %+v; runs: %+v", fp.Webhooks(), fp.Runs())
	}
	// The built-in default scenario (scenarios/d24/deposit-completes.yaml)
	// completes a ONE_SHOT deposit.
	if got := shop.Known(dep.DepositID.String()); got != "COMPLETED" {
		t.Errorf("status after the notification: %q, want COMPLETED", got)
	}

	// What the emulator saw: the notification and its attempts, and every
	// request the merchant made, authenticated.
	hooks := fp.Webhooks()
	if len(hooks) == 0 || len(hooks[0].Attempts) == 0 || hooks[0].Attempts[0].Status != 200 {
		t.Errorf("deliveries: %+v", hooks)
	}
	for _, r := range fp.Requests(fakeprovidertest.Filter{Provider: "d24"}) {
		if !r.Auth.OK {
			t.Errorf("%s %s: auth failed: %s", r.Method, r.Path, r.Auth.Reason)
		}
	}
}
