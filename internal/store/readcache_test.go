package store_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/store"
)

func getShared(t *testing.T, st *store.Store, tenant, id string) (rec, bool) {
	t.Helper()
	var v rec
	var ok bool
	err := st.View(ctx, func(tx *store.Tx) error {
		var err error
		ok, err = tx.In(tenant, "p").GetShared("k", id, &v)
		return err
	})
	if err != nil {
		t.Fatalf("GetShared %s/%s: %v", tenant, id, err)
	}
	return v, ok
}

func put(t *testing.T, st *store.Store, tenant, id string, v rec) {
	t.Helper()
	if err := st.Update(ctx, func(tx *store.Tx) error { return tx.In(tenant, "p").Put("k", id, v) }); err != nil {
		t.Fatal(err)
	}
}

// A committed write is what the next shared read returns; a deleted
// record is gone; each tenant reads its own record under the same id.
func TestGetSharedSeesEveryCommit(t *testing.T) {
	st := open(t, "")
	if _, ok := getShared(t, st, "a", "1"); ok {
		t.Fatal("missing record found")
	}
	put(t, st, "a", "1", rec{ID: "1", Name: "first"})
	put(t, st, "b", "1", rec{ID: "1", Name: "tenant b"})
	for round, name := range []string{"first", "second", "third"} {
		if round > 0 {
			put(t, st, "a", "1", rec{ID: "1", Name: name})
		}
		for range 2 { // the second read is served from the cache
			if got, ok := getShared(t, st, "a", "1"); !ok || got.Name != name {
				t.Fatalf("round %d: tenant a reads %+v, %v; want %q", round, got, ok, name)
			}
			if got, _ := getShared(t, st, "b", "1"); got.Name != "tenant b" {
				t.Fatalf("round %d: tenant b reads %+v", round, got)
			}
		}
	}
	if err := st.Update(ctx, func(tx *store.Tx) error { return tx.In("a", "p").Delete("k", "1") }); err != nil {
		t.Fatal(err)
	}
	if got, ok := getShared(t, st, "a", "1"); ok {
		t.Fatalf("deleted record read: %+v", got)
	}
	if got, _ := getShared(t, st, "b", "1"); got.Name != "tenant b" {
		t.Fatalf("tenant b after tenant a's delete: %+v", got)
	}
}

// The value a caller gets is its own copy: assigning its fields does not
// change what the next reader gets.
func TestGetSharedCopyIsTheCallers(t *testing.T) {
	st := open(t, "")
	put(t, st, "a", "1", rec{ID: "1", Name: "one"})
	v, _ := getShared(t, st, "a", "1")
	v.Name = "changed"
	if got, _ := getShared(t, st, "a", "1"); got.Name != "one" {
		t.Fatalf("second read %+v after the first caller's assignment", got)
	}
}

// Concurrent writers and shared readers: a reader never sees a value older
// than the last write committed before its read began.
func TestGetSharedConcurrentWrites(t *testing.T) {
	st := open(t, "")
	put(t, st, "a", "1", rec{ID: "1", Name: "0"})
	var mu sync.Mutex
	committed := 0
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; i <= 200; i++ {
			put(t, st, "a", "1", rec{ID: "1", Name: fmt.Sprint(i)})
			mu.Lock()
			committed = i
			mu.Unlock()
		}
	}()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 300 {
				mu.Lock()
				floor := committed
				mu.Unlock()
				got, _ := getShared(t, st, "a", "1")
				var n int
				fmt.Sscan(got.Name, &n)
				if n < floor {
					t.Errorf("read %d after %d was committed", n, floor)
					return
				}
			}
		}()
	}
	wg.Wait()
}
