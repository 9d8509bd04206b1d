package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/store"
)

func open(t *testing.T, path string) *store.Store {
	t.Helper()
	st, err := store.Open(store.Options{Path: path})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

var ctx = context.Background()

type rec struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// A record and the events it causes commit together or not at all.
func TestUpdateIsOneTransaction(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name    string
		fn      func(tx *store.Tx) error
		wantErr error
		wantN   int // records of kind "thing" afterwards
		wantEvt int // records of kind "event" afterwards
	}{
		{"commit", func(tx *store.Tx) error {
			s := tx.In("t1", "p")
			if err := s.Put("thing", "1", rec{ID: "1"}); err != nil {
				return err
			}
			return s.Put("event", "e1", map[string]string{"about": "1"})
		}, nil, 1, 1},
		{"error after writes leaves nothing", func(tx *store.Tx) error {
			s := tx.In("t1", "p")
			if err := s.Put("thing", "1", rec{ID: "1"}); err != nil {
				return err
			}
			if err := s.Put("event", "e1", map[string]string{"about": "1"}); err != nil {
				return err
			}
			return boom
		}, boom, 0, 0},
		{"panic after writes leaves nothing", func(tx *store.Tx) error {
			s := tx.In("t1", "p")
			if err := s.Put("thing", "1", rec{ID: "1"}); err != nil {
				return err
			}
			panic("kaboom")
		}, &store.PanicError{}, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := open(t, "")
			err := st.Update(ctx, c.fn)
			switch want := c.wantErr.(type) {
			case nil:
				if err != nil {
					t.Fatalf("Update: %v", err)
				}
			case *store.PanicError:
				var pe *store.PanicError
				if !errors.As(err, &pe) {
					t.Fatalf("Update: got %v, want a PanicError", err)
				}
				if pe.Value != "kaboom" || len(pe.Stack) == 0 {
					t.Errorf("PanicError value %v, stack %d bytes", pe.Value, len(pe.Stack))
				}
			default:
				if !errors.Is(err, want) {
					t.Fatalf("Update: got %v, want %v", err, want)
				}
			}
			st.View(ctx, func(tx *store.Tx) error {
				s := tx.In("t1", "p")
				if n := s.Count("thing"); n != c.wantN {
					t.Errorf("things: %d, want %d", n, c.wantN)
				}
				if n := s.Count("event"); n != c.wantEvt {
					t.Errorf("events: %d, want %d", n, c.wantEvt)
				}
				return nil
			})
			// The store still works after a failed write.
			if err := st.Update(ctx, func(tx *store.Tx) error { return tx.In("t1", "p").Put("thing", "2", rec{ID: "2"}) }); err != nil {
				t.Fatalf("write after: %v", err)
			}
		})
	}
}

// A failing writer sharing a group commit with others fails alone.
func TestGroupCommitFailureIsolated(t *testing.T) {
	st := open(t, filepath.Join(t.TempDir(), "s.db"))
	const n = 64
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = st.Update(ctx, func(tx *store.Tx) error {
				if err := tx.In("t", "p").Put("thing", strconv.Itoa(i), rec{ID: strconv.Itoa(i)}); err != nil {
					return err
				}
				if i%3 == 0 {
					return fmt.Errorf("fail %d", i)
				}
				return nil
			})
		}()
	}
	wg.Wait()
	st.View(ctx, func(tx *store.Tx) error {
		for i := range n {
			raw := tx.In("t", "p").GetRaw("thing", strconv.Itoa(i))
			if i%3 == 0 {
				if errs[i] == nil || raw != nil {
					t.Errorf("writer %d: err %v, record %s; want an error and no record", i, errs[i], raw)
				}
			} else if errs[i] != nil || raw == nil {
				t.Errorf("writer %d: err %v, record present %v", i, errs[i], raw != nil)
			}
		}
		return nil
	})
}

// Many concurrent writers: every acknowledged write is present after a
// reopen of the same file.
func TestGroupCommitConcurrentDurable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	st, err := store.Open(store.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	const writers, each = 32, 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := map[string]bool{}
	seqs := map[uint64]bool{}
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("w%02d-%03d", w, i)
				var seq uint64
				err := st.Update(ctx, func(tx *store.Tx) error {
					s := tx.In("tenant", "p")
					var err error
					if seq, err = s.NextSeq("thing"); err != nil {
						return err
					}
					return s.Put("thing", id, rec{ID: id, Name: strconv.FormatUint(seq, 10)})
				})
				if err != nil {
					t.Errorf("write %s: %v", id, err)
					continue
				}
				mu.Lock()
				acked[id] = true
				if seqs[seq] {
					t.Errorf("sequence %d handed out twice", seq)
				}
				seqs[seq] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("persistent file gone after Close: %v", err)
	}
	st = open(t, path)
	if err := st.Check(ctx); err != nil {
		t.Fatalf("check: %v", err)
	}
	st.View(ctx, func(tx *store.Tx) error {
		s := tx.In("tenant", "p")
		if n := s.Count("thing"); n != len(acked) || n != writers*each {
			t.Errorf("after reopen: %d records, %d acknowledged, want %d", n, len(acked), writers*each)
		}
		for id := range acked {
			var r rec
			if ok, err := s.Get("thing", id, &r); !ok || err != nil || r.ID != id {
				t.Errorf("%s: ok %v err %v rec %+v", id, ok, err, r)
			}
		}
		return nil
	})
	// The sequence continues after the reopen.
	var next uint64
	st.Update(ctx, func(tx *store.Tx) error {
		var err error
		next, err = tx.In("tenant", "p").NextSeq("thing")
		return err
	})
	if next != writers*each+1 {
		t.Errorf("sequence after reopen: %d, want %d", next, writers*each+1)
	}
}

func TestTemporaryFileRemovedAtClose(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	st, err := store.Open(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Temporary() {
		t.Fatal("no path: want a temporary store")
	}
	path := st.Path()
	if filepath.Dir(path) != os.Getenv("TMPDIR") {
		t.Errorf("temporary file %s not under TMPDIR %s", path, os.Getenv("TMPDIR"))
	}
	if err := st.Update(ctx, func(tx *store.Tx) error { return tx.In("t", "p").Put("k", "1", rec{}) }); err != nil {
		t.Fatal(err)
	}
	// Unlinked once open (where the system allows it): a killed process
	// leaves nothing behind. The store works on the open file.
	if _, err := os.Stat(path); runtime.GOOS != "windows" && !os.IsNotExist(err) {
		t.Errorf("temporary file %s still named while open (stat err %v)", path, err)
	}
	var got rec
	if err := st.View(ctx, func(tx *store.Tx) error {
		ok, err := tx.In("t", "p").Get("k", "1", &got)
		if err == nil && !ok {
			err = fmt.Errorf("record missing")
		}
		return err
	}); err != nil {
		t.Fatalf("read from the unlinked file: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("temporary file %s still there after Close (stat err %v)", path, err)
	}
	if err := st.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestPersistentReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "dir", "state.db") // parent dirs are created
	st, err := store.Open(store.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if st.Temporary() || st.Path() != path {
		t.Fatalf("Temporary %v Path %s", st.Temporary(), st.Path())
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.In("t1", "d24").Put("deposit", "42", rec{ID: "42", Name: "x"}); err != nil {
			return err
		}
		return tx.In("t1", "d24").PutIdempotency("k1", store.IdemRecord{Fingerprint: "fp", Status: 201, Body: []byte(`{"id":42}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	st = open(t, path)
	st.View(ctx, func(tx *store.Tx) error {
		var r rec
		ok, err := tx.In("t1", "d24").Get("deposit", "42", &r)
		if !ok || err != nil || r.Name != "x" {
			t.Errorf("record after reopen: ok %v err %v %+v", ok, err, r)
		}
		ir, err := tx.In("t1", "d24").Idempotency("k1")
		if err != nil || ir == nil || ir.Status != 201 || string(ir.Body) != `{"id":42}` {
			t.Errorf("idempotency after reopen: %+v %v", ir, err)
		}
		return nil
	})
}

func TestNextSeqPerTenantAndProvider(t *testing.T) {
	st := open(t, "")
	type key struct{ tenant, provider, name string }
	steps := []struct {
		key
		want uint64
	}{
		{key{"a", "d24", "deposit"}, 1},
		{key{"a", "d24", "deposit"}, 2},
		{key{"b", "d24", "deposit"}, 1},
		{key{"a", "crm", "deposit"}, 1},
		{key{"a", "d24", "cashout"}, 1},
		{key{"a", "d24", "deposit"}, 3},
		{key{"b", "d24", "deposit"}, 2},
	}
	for i, s := range steps {
		var got uint64
		err := st.Update(ctx, func(tx *store.Tx) error {
			var err error
			got, err = tx.In(s.tenant, s.provider).NextSeq(s.name)
			return err
		})
		if err != nil || got != s.want {
			t.Errorf("step %d %+v: got %d (%v), want %d", i, s.key, got, err, s.want)
		}
	}
	// A failed transaction does not consume a value.
	st.Update(ctx, func(tx *store.Tx) error {
		tx.In("a", "d24").NextSeq("deposit")
		return errors.New("rollback")
	})
	var got uint64
	st.Update(ctx, func(tx *store.Tx) error {
		var err error
		got, err = tx.In("a", "d24").NextSeq("deposit")
		return err
	})
	if got != 4 {
		t.Errorf("after a rolled back NextSeq: got %d, want 4", got)
	}
	// Sequences are not records: Dump leaves them out.
	st.View(ctx, func(tx *store.Tx) error {
		if d := tx.Dump("a", ""); len(d["d24"]) != 0 {
			t.Errorf("dump shows sequences: %v", d)
		}
		return nil
	})
}

func TestForEachOrderCountAndStop(t *testing.T) {
	st := open(t, "")
	ids := []string{"03", "01", "05", "02", "04", "1/2", "1/10", "10/1"}
	st.Update(ctx, func(tx *store.Tx) error {
		for _, id := range ids {
			if err := tx.In("t", "p").Put("k", id, rec{ID: id}); err != nil {
				return err
			}
		}
		return nil
	})
	sorted := append([]string(nil), ids[:5]...)
	sort.Strings(sorted)
	all := append(append([]string(nil), sorted...), "1/10", "1/2", "10/1")
	reversed := make([]string, len(sorted))
	for i, id := range sorted {
		reversed[len(sorted)-1-i] = id
	}
	cases := []struct {
		name    string
		reverse bool
		prefix  *string
		stopAt  string
		kind    string
		want    []string
	}{
		{"forward", false, nil, "", "k", all},
		{"reverse", true, nil, "", "k", append([]string{"10/1", "1/2", "1/10"}, reversed...)},
		{"forward stop", false, nil, "02", "k", []string{"01", "02"}},
		{"reverse stop", true, nil, "04", "k", []string{"10/1", "1/2", "1/10", "05", "04"}},
		{"missing kind", false, nil, "", "none", nil},
		{"missing kind reverse", true, nil, "", "none", nil},
		{"prefix", false, ptr("1/"), "", "k", []string{"1/10", "1/2"}},
		{"prefix stop", false, ptr("1/"), "1/10", "k", []string{"1/10"}},
		{"prefix none", false, ptr("2/"), "", "k", nil},
		{"prefix empty", false, ptr(""), "", "k", all},
		{"prefix missing kind", false, ptr("1/"), "", "none", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			err := st.View(ctx, func(tx *store.Tx) error {
				fn := func(id string, raw []byte) error {
					var r rec
					if err := json.Unmarshal(raw, &r); err != nil || r.ID != id {
						t.Errorf("%s: %s (%v)", id, raw, err)
					}
					got = append(got, id)
					if id == c.stopAt {
						return store.ErrStop
					}
					return nil
				}
				if c.reverse {
					return tx.In("t", "p").ForEachReverse(c.kind, fn)
				}
				if c.prefix != nil {
					return tx.In("t", "p").ForEachPrefix(c.kind, *c.prefix, fn)
				}
				return tx.In("t", "p").ForEach(c.kind, fn)
			})
			if err != nil {
				t.Fatalf("walk: %v", err)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
	// Another error ends the walk and is returned.
	boom := errors.New("boom")
	err := st.View(ctx, func(tx *store.Tx) error {
		return tx.In("t", "p").ForEach("k", func(string, []byte) error { return boom })
	})
	if !errors.Is(err, boom) {
		t.Errorf("ForEach error: %v", err)
	}
	st.View(ctx, func(tx *store.Tx) error {
		for _, c := range []struct {
			tenant, provider, kind string
			want                   int
		}{{"t", "p", "k", 8}, {"t", "p", "none", 0}, {"other", "p", "k", 0}, {"t", "other", "k", 0}} {
			if n := tx.In(c.tenant, c.provider).Count(c.kind); n != c.want {
				t.Errorf("Count(%s/%s/%s) = %d, want %d", c.tenant, c.provider, c.kind, n, c.want)
			}
		}
		return nil
	})
}

func ptr(s string) *string { return &s }

func TestGetPutDelete(t *testing.T) {
	st := open(t, "")
	err := st.Update(ctx, func(tx *store.Tx) error {
		s := tx.In("t", "p")
		if err := s.Put("k", "1", rec{ID: "1", Name: "one"}); err != nil {
			return err
		}
		if err := s.PutRaw("k", "bad", []byte("{not json")); err != nil {
			return err
		}
		if err := s.Delete("k", "missing"); err != nil {
			t.Errorf("delete missing: %v", err)
		}
		if err := s.Delete("nokind", "missing"); err != nil {
			t.Errorf("delete in missing kind: %v", err)
		}
		if err := s.Put("k", "fn", func() {}); err == nil {
			t.Error("Put of an unencodable value: no error")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st.View(ctx, func(tx *store.Tx) error {
		s := tx.In("t", "p")
		var r rec
		if ok, err := s.Get("k", "1", &r); !ok || err != nil || r.Name != "one" {
			t.Errorf("Get: %v %v %+v", ok, err, r)
		}
		if ok, err := s.Get("k", "2", &r); ok || err != nil {
			t.Errorf("Get missing: %v %v", ok, err)
		}
		if ok, err := s.Get("k", "bad", &r); !ok || err == nil {
			t.Errorf("Get of broken JSON: %v %v", ok, err)
		}
		if s.Tenant() != "t" || s.Provider() != "p" || s.Tx() != tx || tx.Writable() || tx.Context() != ctx {
			t.Error("scope accessors")
		}
		// Writes in a read transaction are refused.
		if err := tx.In("new", "p").Put("k", "1", rec{}); !errors.Is(err, store.ErrReadOnly) {
			t.Errorf("Put in View: %v, want ErrReadOnly", err)
		}
		if _, err := tx.In("new", "p").NextSeq("x"); !errors.Is(err, store.ErrReadOnly) {
			t.Errorf("NextSeq in View: %v, want ErrReadOnly", err)
		}
		if err := s.Delete("k", "1"); !errors.Is(err, store.ErrReadOnly) {
			t.Errorf("Delete in View: %v, want ErrReadOnly", err)
		}
		if err := tx.In("new", "p").PutIdempotency("k", store.IdemRecord{}); !errors.Is(err, store.ErrReadOnly) {
			t.Errorf("PutIdempotency in View: %v, want ErrReadOnly", err)
		}
		return nil
	})
	st.Update(ctx, func(tx *store.Tx) error { return tx.In("t", "p").Delete("k", "1") })
	st.View(ctx, func(tx *store.Tx) error {
		if raw := tx.In("t", "p").GetRaw("k", "1"); raw != nil {
			t.Errorf("deleted record still there: %s", raw)
		}
		return nil
	})
}

func TestIdempotencyRecords(t *testing.T) {
	st := open(t, "")
	first := store.IdemRecord{Fingerprint: "fp1", Status: 201, Header: map[string][]string{"Content-Type": {"application/json"}}, Body: []byte(`{"id":1}`), Created: time.Unix(1700000000, 0).UTC()}
	st.Update(ctx, func(tx *store.Tx) error { return tx.In("t1", "d24").PutIdempotency("key", first) })
	cases := []struct {
		tenant, provider, key string
		want                  *store.IdemRecord
	}{
		{"t1", "d24", "key", &first},
		{"t1", "d24", "other", nil},
		{"t2", "d24", "key", nil}, // keys are per tenant
		{"t1", "crm", "key", nil}, // and per provider
	}
	st.View(ctx, func(tx *store.Tx) error {
		for _, c := range cases {
			got, err := tx.In(c.tenant, c.provider).Idempotency(c.key)
			if err != nil {
				t.Errorf("%+v: %v", c, err)
				continue
			}
			if (got == nil) != (c.want == nil) {
				t.Errorf("%s/%s/%s: got %+v, want %+v", c.tenant, c.provider, c.key, got, c.want)
				continue
			}
			if got != nil && (got.Fingerprint != c.want.Fingerprint || got.Status != c.want.Status ||
				string(got.Body) != string(c.want.Body) || got.Header.Get("Content-Type") != "application/json" || !got.Created.Equal(c.want.Created)) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		}
		return nil
	})
}

func TestResetTenant(t *testing.T) {
	seed := func(st *store.Store) {
		st.Update(ctx, func(tx *store.Tx) error {
			for _, tn := range []string{"a", "b", "c"} {
				if err := tx.In(tn, "p").Put("k", "1", rec{ID: tn}); err != nil {
					return err
				}
				if err := tx.In(tn, "p").PutIdempotency("key", store.IdemRecord{Status: 200}); err != nil {
					return err
				}
				// Something of a platform package in its own system bucket.
				if err := tx.System("tenants").Put(tn, []byte("creds")); err != nil {
					return err
				}
				// And a platform record under the tenant, indexed.
				seq, err := tx.NextID("deliveries")
				if err != nil {
					return err
				}
				if err := tx.Indexed(tn, "deliveries").Put(fmt.Sprintf("d%d", seq), []byte(`{}`)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	cases := []struct {
		reset string
		gone  []string
		kept  []string
	}{
		{"a", []string{"a"}, []string{"b", "c"}},
		{"", []string{"a", "b", "c"}, nil},
		{"nobody", nil, []string{"a", "b", "c"}},
	}
	for _, c := range cases {
		t.Run("reset "+c.reset, func(t *testing.T) {
			st := open(t, "")
			seed(st)
			if err := st.Update(ctx, func(tx *store.Tx) error { return tx.ResetTenant(c.reset) }); err != nil {
				t.Fatal(err)
			}
			st.View(ctx, func(tx *store.Tx) error {
				for _, tn := range c.gone {
					if tx.In(tn, "p").GetRaw("k", "1") != nil {
						t.Errorf("%s: record survived reset", tn)
					}
					if r, _ := tx.In(tn, "p").Idempotency("key"); r != nil {
						t.Errorf("%s: idempotency key survived reset", tn)
					}
				}
				for _, tn := range c.kept {
					if tx.In(tn, "p").GetRaw("k", "1") == nil {
						t.Errorf("%s: record lost by reset of %q", tn, c.reset)
					}
					if r, _ := tx.In(tn, "p").Idempotency("key"); r == nil {
						t.Errorf("%s: idempotency key lost by reset of %q", tn, c.reset)
					}
				}
				for _, tn := range []string{"a", "b", "c"} {
					if tx.System("tenants").Get(tn) == nil {
						t.Errorf("system data of %s lost by a reset", tn)
					}
				}
				located := map[string]bool{}
				_ = tx.ForEachIndexed("deliveries", false, func(id, tenant string) error {
					located[tenant] = true
					if tx.Indexed(tenant, "deliveries").Get(id) == nil {
						t.Errorf("index entry %s → %s without its record", id, tenant)
					}
					return nil
				})
				for _, tn := range c.gone {
					if located[tn] {
						t.Errorf("%s: index entries survived reset", tn)
					}
				}
				for _, tn := range c.kept {
					if !located[tn] {
						t.Errorf("%s: index entries lost by reset of %q", tn, c.reset)
					}
				}
				return nil
			})
		})
	}
}

func TestDump(t *testing.T) {
	st := open(t, "")
	st.Update(ctx, func(tx *store.Tx) error {
		tx.In("t", "d24").Put("deposit", "1", rec{ID: "1"})
		tx.In("t", "d24").Put("deposit", "2", rec{ID: "2"})
		tx.In("t", "d24").NextSeq("deposit")
		tx.In("t", "crm").Put("client", "c", rec{ID: "c"})
		tx.In("other", "d24").Put("deposit", "9", rec{ID: "9"})
		return nil
	})
	st.View(ctx, func(tx *store.Tx) error {
		cases := []struct {
			tenant, provider string
			want             string
		}{
			{"t", "", `{"crm":{"client":{"c":{"id":"c","name":""}}},"d24":{"deposit":{"1":{"id":"1","name":""},"2":{"id":"2","name":""}}}}`},
			{"t", "d24", `{"d24":{"deposit":{"1":{"id":"1","name":""},"2":{"id":"2","name":""}}}}`},
			{"t", "nope", `{}`},
			{"nobody", "", `{}`},
		}
		for _, c := range cases {
			raw, err := json.Marshal(tx.Dump(c.tenant, c.provider))
			if err != nil || string(raw) != c.want {
				t.Errorf("Dump(%q,%q) = %s (%v), want %s", c.tenant, c.provider, raw, err, c.want)
			}
		}
		return nil
	})
}

func TestClosed(t *testing.T) {
	st, err := store.Open(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	// Repeated: the closed check must not depend on a random select choice.
	for i := range 50 {
		done := make(chan error, 1)
		go func() { done <- st.Update(ctx, func(*store.Tx) error { return nil }) }()
		select {
		case err := <-done:
			if !errors.Is(err, store.ErrClosed) {
				t.Fatalf("Update %d after Close: %v, want ErrClosed", i, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Update %d after Close blocked", i)
		}
	}
	if err := st.View(ctx, func(*store.Tx) error { return nil }); !errors.Is(err, store.ErrClosed) {
		t.Errorf("View after Close: %v", err)
	}
}

// Writes queued before Close are committed (Close drains the queue), and
// writers racing Close get either success or ErrClosed, never a hang.
func TestCloseWhileWriting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	st, err := store.Open(store.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var acked []string
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := strconv.Itoa(i)
			err := st.Update(ctx, func(tx *store.Tx) error { return tx.In("t", "p").Put("k", id, rec{ID: id}) })
			switch {
			case err == nil:
				mu.Lock()
				acked = append(acked, id)
				mu.Unlock()
			case !errors.Is(err, store.ErrClosed):
				t.Errorf("write %s: %v", id, err)
			}
		}()
	}
	st.Close()
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(10 * time.Second):
		t.Fatal("writers racing Close hang")
	}
	st = open(t, path)
	st.View(ctx, func(tx *store.Tx) error {
		for _, id := range acked {
			if tx.In("t", "p").GetRaw("k", id) == nil {
				t.Errorf("acknowledged write %s lost", id)
			}
		}
		return nil
	})
}

func TestCanceledContextBeforeQueueing(t *testing.T) {
	st := open(t, "")
	// A context already done may still be queued (the queue has room); in
	// any case the answer is either the commit or the context's error.
	c, cancel := context.WithCancel(ctx)
	cancel()
	err := st.Update(c, func(tx *store.Tx) error { return tx.In("t", "p").Put("k", "1", rec{}) })
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("Update with a canceled context: %v", err)
	}
}

func TestCheckAndOpenErrors(t *testing.T) {
	st := open(t, "")
	if err := st.Check(ctx); err != nil {
		t.Errorf("Check on a fresh store: %v", err)
	}
	dir := t.TempDir()
	notDB := filepath.Join(dir, "garbage.db")
	os.WriteFile(notDB, []byte("this is not a bbolt file, not at all, definitely not"), 0o600)
	if _, err := store.Open(store.Options{Path: notDB}); err == nil {
		t.Error("Open of a non-bbolt file: no error")
	}
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o600)
	if _, err := store.Open(store.Options{Path: filepath.Join(blocker, "x.db")}); err == nil {
		t.Error("Open under a regular file: no error")
	}
}
