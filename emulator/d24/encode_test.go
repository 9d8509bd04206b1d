package d24

import (
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/jsonenc/jsonenctest"
)

// The hand-written encoders write what encoding/json writes.
func TestEncodersMatchEncodingJSON(t *testing.T) {
	pep, fee, sub := true, 12.5, int64(7)
	jsonenctest.Check(t, depositStatus{UserID: "u<1>", DepositID: 300000001, Payer: Payer{Address: &Address{City: "São Paulo"}, PEP: &pep},
		FeeAmount: &fee, SubscriptionID: &sub, Card: &CardDetail{Brand: "VI"}}, 300)
	jsonenctest.Check(t, Payer{}, 100)
	jsonenctest.Check(t, CardDetail{}, 50)
}
