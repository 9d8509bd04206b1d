package crm

import (
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/jsonenc/jsonenctest"
)

// The hand-written encoder writes what encoding/json writes.
func TestEncodersMatchEncodingJSON(t *testing.T) {
	jsonenctest.Check(t, clientView{ID: "1", Owner: &person{"1", "A <b>", "a@b"}, Participants: &[]person{}, TradingAccounts: []TradingAccountRef{{}}}, 300)
}
