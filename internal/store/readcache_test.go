package store_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/store"
)

// sharedReader is one of the two shared reads: GetShared in a read
// transaction, or ReadShared (which may answer without one).
type sharedReader func(t *testing.T, st *store.Store, tenant, id string) (rec, bool)

var sharedReaders = []struct {
	name string
	read sharedReader
}{
	{"GetShared", getShared},
	{"ReadShared", readShared},
}

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

func readShared(t *testing.T, st *store.Store, tenant, id string) (rec, bool) {
	t.Helper()
	var v rec
	ok, err := st.ReadShared(ctx, tenant, "p", "k", id, &v)
	if err != nil {
		t.Fatalf("ReadShared %s/%s: %v", tenant, id, err)
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
	for _, r := range sharedReaders {
		t.Run(r.name, func(t *testing.T) { testSeesEveryCommit(t, r.read) })
	}
}

func testSeesEveryCommit(t *testing.T, getShared sharedReader) {
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
	for _, r := range sharedReaders {
		t.Run(r.name, func(t *testing.T) { testCopyIsTheCallers(t, r.read) })
	}
}

func testCopyIsTheCallers(t *testing.T, getShared sharedReader) {
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
	for _, r := range sharedReaders {
		t.Run(r.name, func(t *testing.T) { testConcurrentWrites(t, r.read) })
	}
}

func testConcurrentWrites(t *testing.T, getShared sharedReader) {
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

// What a write transaction read and then rolled back is never what a
// shared read returns afterwards, and a write to another record does not
// make a shared read return an older value.
func TestReadSharedAfterRollbackAndOtherWrites(t *testing.T) {
	st := open(t, "")
	put(t, st, "a", "1", rec{ID: "1", Name: "kept"})
	readShared(t, st, "a", "1")
	errRollback := fmt.Errorf("roll back")
	err := st.Update(ctx, func(tx *store.Tx) error {
		sc := tx.In("a", "p")
		if err := sc.Put("k", "1", rec{ID: "1", Name: "rolled back"}); err != nil {
			return err
		}
		var v rec
		if _, err := sc.GetShared("k", "1", &v); err != nil || v.Name != "rolled back" {
			t.Errorf("the write transaction reads %+v, %v", v, err)
		}
		return errRollback
	})
	if err != errRollback {
		t.Fatalf("Update: %v", err)
	}
	for range 2 {
		if got, _ := readShared(t, st, "a", "1"); got.Name != "kept" {
			t.Fatalf("after the rollback: %+v", got)
		}
	}
	put(t, st, "a", "2", rec{ID: "2", Name: "other"})
	put(t, st, "a", "1", rec{ID: "1", Name: "new"})
	put(t, st, "a", "2", rec{ID: "2", Name: "other again"})
	for range 2 {
		if got, _ := readShared(t, st, "a", "1"); got.Name != "new" {
			t.Fatalf("after later writes: %+v", got)
		}
	}
}

// A commit hook (where a notification of the write starts) already reads
// what the write committed, even from a record cached just before.
func TestReadSharedInACommitHookSeesTheCommit(t *testing.T) {
	st := open(t, "")
	put(t, st, "a", "1", rec{ID: "1", Name: "old"})
	for range 2 { // cached, then served without a transaction
		if got, _ := readShared(t, st, "a", "1"); got.Name != "old" {
			t.Fatalf("before the write: %+v", got)
		}
	}
	seen := make(chan string, 1)
	err := st.Update(ctx, func(tx *store.Tx) error {
		tx.OnCommit(func() {
			var v rec
			st.ReadShared(ctx, "a", "p", "k", "1", &v)
			seen <- v.Name
		})
		return tx.In("a", "p").Put("k", "1", rec{ID: "1", Name: "new"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := <-seen; got != "new" {
		t.Errorf("the commit hook read %q, want new", got)
	}
}
