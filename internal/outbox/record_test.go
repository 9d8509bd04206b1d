package outbox

import "testing"

func TestTrimResends(t *testing.T) {
	for _, c := range []struct {
		name             string
		auto, resends    int
		kept, dropped    int
		firstIsAutomatic bool
	}{
		{"under the bound", 3, 10, 13, 0, true},
		{"at the bound", 1, MaxAttempts - 1, MaxAttempts, 0, true},
		{"resends beyond", 1, MaxAttempts + 20, MaxAttempts, 21, true},
		{"automatic ones are kept", 5, MaxAttempts, MaxAttempts, 5, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var r Record
			for i := 0; i < c.auto; i++ {
				r.Attempts = append(r.Attempts, Attempt{})
			}
			for i := 0; i < c.resends; i++ {
				r.Attempts = append(r.Attempts, Attempt{Resend: true, Status: i})
				r.trimResends()
			}
			if len(r.Attempts) != c.kept || r.AttemptsDropped != c.dropped || r.Attempts[0].Resend == c.firstIsAutomatic {
				t.Fatalf("%d kept, %d dropped; want %d, %d", len(r.Attempts), r.AttemptsDropped, c.kept, c.dropped)
			}
			if last := r.Attempts[len(r.Attempts)-1]; !last.Resend || last.Status != c.resends-1 {
				t.Errorf("the newest resend is not kept: %+v", last)
			}
			auto := 0
			for _, a := range r.Attempts {
				if !a.Resend {
					auto++
				}
			}
			if auto != c.auto {
				t.Errorf("%d automatic attempts kept, want %d", auto, c.auto)
			}
		})
	}
}
