package schedule

import (
	"container/heap"
	"fmt"
	"math/rand"
	"sort"
	"testing"
	"time"
)

// queue.due visits exactly the entries a full scan finds due.
func TestQueueDueIsAFullScan(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for round := range 50 {
		q := &queue{order: map[string]int{"step": 0}}
		for i := range rnd.Intn(200) {
			heap.Push(q, &item{e: Entry{Kind: "step", ID: fmt.Sprint(i), Due: base.Add(time.Duration(rnd.Intn(100)) * time.Minute)}})
		}
		now := base.Add(time.Duration(rnd.Intn(110)) * time.Minute)
		var want, got []string
		for _, it := range q.items {
			if !it.e.Due.After(now) {
				want = append(want, it.e.ID)
			}
		}
		q.due(now, func(e Entry) { got = append(got, e.ID) })
		sort.Strings(want)
		sort.Strings(got)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("round %d: due %v, a full scan %v", round, got, want)
		}
	}
}
