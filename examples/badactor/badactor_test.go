package badactor_test

import (
	"context"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/examples/badactor"
	"github.com/fakeprovider/fakeprovider/fakeprovidertest"
)

func TestMain(m *testing.M) { os.Exit(fakeprovidertest.Main(m)) }

func newPlatform(t *testing.T) (*badactor.Platform, *fakeprovidertest.Tenant) {
	t.Helper()
	fp := fakeprovidertest.Shared(t) // a fresh tenant: its own keys, checks and clock
	if !slices.Contains(fp.Server().Providers(), "crowdtrust") {
		t.Skip("the CrowdTrust provider is not mounted in this build")
	}
	p := badactor.New(fp.URL("crowdtrust"), func(r *http.Request, body []byte) error { return fp.Sign(r, body) })
	// A receiver the emulator can reach, in-process or in a container.
	hook := fakeprovidertest.NewReceiver(t, p.Webhook())
	// The account's webhook URL (set in CrowdTrust's account; here through
	// the emulator's control endpoint).
	if st := fp.Control(http.MethodPost, "/crowdtrust/accounts/main/webhook?tenant="+fp.ID,
		map[string]string{"webhook": hook.URL + "/crowdtrust"}, nil); st != http.StatusOK {
		t.Fatalf("set webhook: %d", st)
	}
	return p, fp
}

// A check that takes three days (SSN ending 1111 in the emulator's
// built-in scenarios): Pending, then the webhook, then Complete.
func TestDelayedCheckPasses(t *testing.T) {
	t.Parallel()
	p, fp := newPlatform(t)
	ctx := context.Background()

	c, err := p.Screen(ctx, "Jack", "Smith", "1984-07-10", "123-45-1111")
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != "Pending" {
		t.Fatalf("new check: %+v", c)
	}
	fp.Advance(24 * time.Hour)
	if got, _ := p.Get(ctx, c.SearchID); got.Status != "Pending" {
		t.Errorf("after one day: %+v", got)
	}
	fp.Advance(3 * 24 * time.Hour) // the result and its webhook happen before this returns
	select {
	case res := <-p.Results:
		if res.SearchID != c.SearchID || res.BadActorCheckPass != "true" {
			t.Errorf("webhook: %+v", res)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no webhook; deliveries %+v", fp.Webhooks())
	}
	if got, err := p.Get(ctx, c.SearchID); err != nil || got.Status != "Complete" || got.BadActorCheckPass != "true" {
		t.Errorf("final check: %+v %v", got, err)
	}
}

// A failing check (SSN ending 0000) completes at once with the date of the
// disqualifying event.
func TestCheckFails(t *testing.T) {
	t.Parallel()
	p, fp := newPlatform(t)
	ctx := context.Background()
	c, err := p.Screen(ctx, "Jane", "Doe", "1979-02-01", "987-65-0000")
	if err != nil {
		t.Fatal(err)
	}
	fp.Advance(time.Minute)
	select {
	case res := <-p.Results:
		if res.BadActorCheckPass != "false" || res.DisqualifyingEventDate != "2014-01-15" {
			t.Errorf("webhook: %+v", res)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no webhook; deliveries %+v", fp.Webhooks())
	}
	if got, _ := p.Get(ctx, c.SearchID); got.BadActorCheckPass != "false" {
		t.Errorf("final check: %+v", got)
	}
}
