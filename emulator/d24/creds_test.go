package d24_test

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/d24"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
	"github.com/fakeprovider/fakeprovider/internal/store"
)

// olderTenant is a tenant record as stored before the Reconciliation API
// was emulated: D24 credentials without the reconciliation user.
const olderTenant = `{"id":"t_older","created":"2025-01-01T00:00:00Z","credentials":{"d24":{"login":"OldLogin01",
"secret_key":"OldSecretOldSecretOldSecretOldSec","read_only_key":"OldReadKey","cashout_login":"old_cashout_login",
"cashout_pass":"old_cashout_pass","cashout_secret_key":"old_cashout_secret_key"}}}`

// olderDefault is the default tenant as stored by the same version.
const olderDefault = `{"id":"default","created":"2025-01-01T00:00:00Z","credentials":{"d24":{"login":"gFNQnUZXSE",
"secret_key":"gUfmqFBEGvIemZhzcpkfpBMcHhyoXUxFp","read_only_key":"EgIECaVuyW","cashout_login":"cashout_login",
"cashout_pass":"cashout_pass","cashout_secret_key":"cashout_secret_key"}}}`

// TestOlderDataFileGetsReconciliationUsers: tenants of an older --data file
// get their reconciliation user at load (the defaults for the default
// tenant, fresh values for the others), saved, and log in with it.
func TestOlderDataFileGetsReconciliationUsers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "older.db")
	created := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	st, err := store.Open(store.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(tx *store.Tx) error {
		for id, rec := range map[string]string{"t_older": olderTenant, "default": olderDefault} {
			if err := tx.System("tenants").Put(id, []byte(rec)); err != nil {
				return err
			}
		}
		// A completed cashout of the same version: no document, no last change.
		return tx.In("default", "d24").Put("cashout", "8400001", json.RawMessage(`{"cashout_id":"8400001","external_id":"older-co",
"country":"BR","currency":"BRL","amount":10,"cashout_status":1,"notification_url":"","created":"`+created+`"}`))
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}

	tenantCreds := func(e *env, id string) *d24.Credentials {
		c, ok := e.h.App.Tenants.Credentials(id, "d24")
		if !ok {
			t.Fatalf("no d24 credentials for %s", id)
		}
		return c.(*d24.Credentials)
	}
	e := newEnv(t, platformtest.WithData(path))
	older := *tenantCreds(e, "t_older")
	tests := []struct {
		name      string
		email     string
		password  string
		wantEmail string
	}{
		{"default tenant gets the default user", e.creds.ReconciliationEmail, e.creds.ReconciliationPassword, "reconciliation@merchant.test"},
		{"older tenant gets a fresh user", older.ReconciliationEmail, older.ReconciliationPassword, older.ReconciliationEmail},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.email == "" || tc.password == "" {
				t.Fatalf("no reconciliation user: %q %q", tc.email, tc.password)
			}
			a := e.merchants().raw(http.MethodPost, "/v1/auth/login", mustJSON(map[string]string{"accessKey": tc.email, "secretKey": tc.password}),
				http.Header{"Content-Type": {"application/json"}})
			var who map[string]any
			json.Unmarshal(a.body, &who)
			if a.status != 200 || who["username"] != tc.wantEmail {
				t.Fatalf("login: %d %s", a.status, a.body)
			}
		})
	}
	// The older cashout lists with an empty document and its creation as its last change.
	token, _ := e.login()
	_, l := e.list(token, "/v1/cashouts")
	if l.Rows != 1 || l.Data[0]["externalId"] != "older-co" || l.Data[0]["clientDocument"] != "" ||
		l.Data[0]["lastChangeDate"] != created || l.Data[0]["creationDate"] != created || l.Data[0]["status"] != "COMPLETED" {
		t.Fatalf("older cashout %+v", l)
	}
	if _, l := e.list(token, "/v1/cashouts?clientDocument=84932568207"); l.Rows != 0 {
		t.Fatalf("older cashout matched a document %+v", l)
	}
	if older.Login != "OldLogin01" || older.ReconciliationEmail == "reconciliation@merchant.test" || len(older.ReconciliationPassword) != 16 {
		t.Fatalf("older tenant's credentials %+v", older)
	}
	e.h.Stop()
	// Saved: the next start with the same file has the same user.
	e2 := newEnv(t, platformtest.WithData(path))
	if again := *tenantCreds(e2, "t_older"); again != older {
		t.Fatalf("reconciliation user changed at restart: %+v → %+v", older, again)
	}
}
