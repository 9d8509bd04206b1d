package d24_test

import (
	"net/http"
	"strings"
	"testing"
)

// A status change the lifecycle does not allow is a 409 naming the status
// the deposit keeps, not a 200 that changed nothing.
func TestControlStatusConflict(t *testing.T) {
	e := newEnv(t)
	a := e.signed("POST", "/v3/deposits", depositBody("ctl-409", "Carlos", ""))
	var created struct {
		DepositID int64 `json:"deposit_id"`
	}
	a.json(t, &created)
	path := "/d24/deposits/" + itoa(created.DepositID) + "/status"
	var ok map[string]any
	if st := e.control(http.MethodPost, path, map[string]string{"status": "completed"}, &ok); st != 200 || ok["status"] != "COMPLETED" {
		t.Fatalf("complete: %d %v", st, ok)
	}
	var conflict map[string]any
	if st := e.control(http.MethodPost, path, map[string]string{"status": "CANCELLED"}, &conflict); st != 409 {
		t.Fatalf("cancel a completed deposit: %d %v, want 409", st, conflict)
	}
	if conflict["error"] != "conflict" || conflict["status"] != "COMPLETED" || conflict["requested"] != "CANCELLED" || !strings.Contains(conflict["message"].(string), "nothing changed") {
		t.Errorf("409 body %v", conflict)
	}
	if got := e.depositStatus(created.DepositID); got != "COMPLETED" {
		t.Errorf("deposit is %s", got)
	}
}
