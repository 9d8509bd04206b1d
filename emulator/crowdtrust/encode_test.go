package crowdtrust

import (
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/jsonenc/jsonenctest"
)

// The hand-written encoders write what encoding/json writes.
func TestEncodersMatchEncodingJSON(t *testing.T) {
	jsonenctest.Check(t, CheckView{SearchID: "1253", WorkHistory: []WorkHistory{{Company: "A&B"}}, HomeAddresses: []HomeAddress{}}, 300)
}
