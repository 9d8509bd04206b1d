package d24_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/emulator/d24"
)

// BenchmarkVerifyDeposit is the deposits-family signature check alone.
func BenchmarkSignDeposit(b *testing.B) {
	body := []byte(v1Body)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		d24.SignDeposit(v1Key, v1Date, v1Login, body)
	}
}

// BenchmarkGetDeposit is an authenticated status read through the whole
// server stack (middleware, journal, routing, auth, store, writer),
// without the network.
func BenchmarkGetDeposit(b *testing.B) {
	e := newEnv(b)
	a := e.signed("POST", "/v3/deposits", depositBody("bench-1", "Carlos", ""))
	var c struct {
		DepositID int64 `json:"deposit_id"`
	}
	a.json(b, &c)
	h := e.h.App.Server.Handler()
	path := "/v3/deposits/" + itoa(c.DepositID)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		e.p.SignRequest(req, nil, e.creds, time.Now())
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}
