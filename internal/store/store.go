// Package store keeps fakeprovider's state in one bbolt file.
//
// Records live under data/<tenant>/<provider>/<kind>/<id> as JSON, so a state
// dump shows what the emulated API would return. Every state change is one
// write transaction: a handler reads, writes its records and appends the
// events it causes in the same function, and either all of it commits or none.
//
// Writes go through a group committer: concurrent Update calls that arrive
// while a commit is in flight are run together in the next transaction and
// share one fsync. Unlike bbolt's DB.Batch there is no batching delay, so a
// lone writer pays no extra latency.
package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Top-level buckets. Packages of the platform own one each.
var (
	bucketData   = []byte("data")
	bucketIdem   = []byte("idempotency")
	bucketSystem = []byte("system")
)

// ErrClosed is returned by Update and View after Close.
var ErrClosed = errors.New("store: closed")

// Options configure Open.
type Options struct {
	// Path is the bbolt file. Empty means a fresh temporary file, unlinked
	// as soon as it is open where the system allows (nothing is left
	// behind even by kill -9), else removed by Close; such a store skips
	// fsync since its file dies with the process.
	Path string
	// NoSync skips fsync on commit even for a persistent file.
	NoSync bool
	// Logger receives store diagnostics; nil means slog.Default().
	Logger *slog.Logger
	// SkipCheck skips the consistency check of an existing file at open
	// (its meta pages are checked still).
	SkipCheck bool
}

// Store is the bbolt-backed state of the emulator.
type Store struct {
	db        *bolt.DB
	path      string
	temporary bool
	unlinked  bool // the temporary file's name is already gone
	log       *slog.Logger

	writes chan *write
	done   chan struct{}
	wg     sync.WaitGroup

	closeOnce sync.Once
	closed    chan struct{}
	// closeMu orders enqueueing against Close: Update holds it shared while
	// it queues a write, Close takes it exclusively to mark the store closed,
	// so no write can be queued after the committer's final drain.
	closeMu  sync.RWMutex
	isClosed bool

	cache readCache // decoded records of GetShared
	// commits moves twice per write transaction: to odd when it begins and
	// to even once it is over — for a committed one, before any of its
	// commit hooks announces it (a notification, a writer answered). A
	// record cached by a read transaction begun at an even count that is
	// still current is what a transaction would read now (ReadShared);
	// nothing read at an odd count is ever current.
	commits atomic.Uint64

	commitLog limiter // failed commits (a full disk)
	skipLog   limiter // records skipped because they cannot be decoded
}

type write struct {
	ctx context.Context
	fn  func(*Tx) error
	err chan error
}

// Open opens (or creates) the store described by opts.
func Open(opts Options) (*Store, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	path, temporary := opts.Path, false
	if path == "" {
		f, err := os.CreateTemp("", "fakeprovider-*.db")
		if err != nil {
			return nil, fmt.Errorf("store: temporary file: %w", err)
		}
		path, temporary = f.Name(), true
		// A zero-length file is initialised by bbolt, which syncs it; the
		// same bytes written here are not synced (the file dies with the
		// process).
		if img, err := emptyImage(); err == nil {
			if _, err := f.Write(img); err != nil {
				f.Truncate(0)
			}
		}
		f.Close()
	} else if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	if !temporary {
		// Checked before bbolt sees the file: it panics on damage, at open
		// on a goroutine of its own. The checks hold bbolt's lock, so they
		// never read a file that another process is writing.
		release, ok := tryLock(path)
		if !ok {
			return nil, &InUseError{Path: path, PID: lockHolder(path)}
		}
		err := checkMeta(path)
		if err == nil && !opts.SkipCheck {
			err = checkPages(path)
		}
		release()
		if err != nil {
			return nil, err
		}
	}
	db, err := openBolt(path, opts.NoSync || temporary)
	if err != nil {
		if temporary {
			os.Remove(path)
		}
		return nil, err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketData, bucketIdem, bucketSystem} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return migrate(tx, log)
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: init: %w", err)
	}
	// The open descriptor and the mapping keep an unlinked file alive; a
	// process that is killed then leaves nothing in TMPDIR. Where an open
	// file cannot be removed (Windows), Close removes it.
	unlinked := temporary && os.Remove(path) == nil
	s := &Store{
		db:        db,
		path:      path,
		temporary: temporary,
		unlinked:  unlinked,
		log:       log,
		writes:    make(chan *write, 1024),
		done:      make(chan struct{}),
		closed:    make(chan struct{}),
	}
	s.wg.Add(1)
	go s.commitLoop()
	return s, nil
}

// Path is the bbolt file in use (for a temporary store, where it was
// made: its name is removed once the file is open).
func (s *Store) Path() string { return s.path }

// Temporary reports whether the file lives only as long as the store.
func (s *Store) Temporary() bool { return s.temporary }

// Close stops accepting writes, waits for queued ones, closes the database
// and, in temporary mode, removes the file if its name is still there.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.closeMu.Lock()
		s.isClosed = true
		close(s.closed)
		s.closeMu.Unlock()
		close(s.done)
		s.wg.Wait()
		err = s.db.Close()
		if s.temporary && !s.unlinked {
			if rmErr := os.Remove(s.path); rmErr != nil && err == nil {
				err = rmErr
			}
		}
	})
	return err
}

// View runs fn in a read-only transaction.
func (s *Store) View(ctx context.Context, fn func(*Tx) error) error {
	select {
	case <-s.closed:
		return ErrClosed
	default:
	}
	// Loaded before the transaction begins: it sees every commit counted.
	seq := s.commits.Load()
	return s.db.View(func(btx *bolt.Tx) error {
		return fn(&Tx{btx: btx, ctx: ctx, store: s, seq: seq})
	})
}

// Update runs fn in a write transaction and commits it. fn may run more than
// once when it shares a transaction with another writer that failed, so it
// must not have effects outside the transaction other than setting values it
// returns through its closure. An error from fn rolls back fn's writes only.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	w := &write{ctx: ctx, fn: fn, err: make(chan error, 1)}
	// A select on closed and writes together would pick at random when both
	// are ready, queueing a write after the committer stopped (a hang).
	s.closeMu.RLock()
	if s.isClosed {
		s.closeMu.RUnlock()
		return ErrClosed
	}
	select {
	case s.writes <- w:
	case <-ctx.Done():
		s.closeMu.RUnlock()
		return ctx.Err()
	}
	s.closeMu.RUnlock()
	// The write is queued: it will be run (or refused) by the committer, so
	// wait for its answer even if ctx ends, or its effect would be unknown.
	return <-w.err
}

// commitLoop is the single writer: it takes every write queued at the moment
// and runs them in one transaction, so concurrent writers share a commit.
func (s *Store) commitLoop() {
	defer s.wg.Done()
	const maxBatch = 256
	batch := make([]*write, 0, maxBatch)
	for {
		var first *write
		select {
		case first = <-s.writes:
		case <-s.done:
			// Drain what was queued before Close.
			for {
				select {
				case w := <-s.writes:
					s.runBatch([]*write{w})
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
	drain:
		for len(batch) < maxBatch {
			select {
			case w := <-s.writes:
				batch = append(batch, w)
			default:
				break drain
			}
		}
		s.runBatch(batch)
	}
}

// runBatch commits the writes together; a write whose fn fails is answered
// with its error and the others are retried without it.
func (s *Store) runBatch(batch []*write) {
	for len(batch) > 0 {
		failed := -1
		var failErr error
		s.commits.Add(1) // odd: a write is in progress
		settled := false
		settle := func() {
			if !settled {
				settled = true
				s.commits.Add(1)
			}
		}
		err := s.db.Update(func(btx *bolt.Tx) error {
			// The first commit hook: before any hook of the writes.
			btx.OnCommit(settle)
			for i, w := range batch {
				if err := safeCall(w.fn, &Tx{btx: btx, ctx: w.ctx, store: s, seq: writeSeq}); err != nil {
					failed, failErr = i, err
					return err
				}
			}
			return nil
		})
		settle() // rolled back or refused: no hook ran
		if failed >= 0 {
			batch[failed].err <- failErr
			batch = append(batch[:failed:failed], batch[failed+1:]...)
			continue
		}
		if err != nil {
			s.commitFailed(err, len(batch))
		}
		for _, w := range batch {
			w.err <- err
		}
		return
	}
}

// commitFailed logs a commit that the file refused (a full disk, an I/O
// error): the writes are answered with the error and nothing of them is
// saved; the next commit tries again.
func (s *Store) commitFailed(err error, writes int) {
	if n, ok := s.commitLog.allow(time.Now()); ok {
		s.log.Error("store: commit failed, the changes were not saved", "path", s.path, "writes", writes, "err", err, "failed_since_last_line", n)
	}
}

// PanicError is returned by Update when fn panicked; the transaction is
// rolled back and the stack is kept for the log.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("store: panic in transaction: %v", e.Value) }

func safeCall(fn func(*Tx) error, tx *Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: stack()}
		}
	}()
	return fn(tx)
}

// Tx is one bbolt transaction with helpers for the emulator's layout.
type Tx struct {
	btx   *bolt.Tx
	ctx   context.Context
	store *Store
	// The tenant/provider bucket last opened in this transaction: the
	// reads of a request fall in one scope, and opening the three levels
	// above a kind was a fifth of the cost of a read.
	scopeTenant, scopeProvider string
	scopeBucket                *bolt.Bucket
	// seq is the commit count loaded before a read transaction began
	// (odd while a write was in progress); writeSeq in a write
	// transaction, whose reads are never current.
	seq uint64
}

// writeSeq marks a write transaction's reads: what it sees may still be
// rolled back.
const writeSeq = ^uint64(0)

// Context is the context of the request that opened the transaction.
func (tx *Tx) Context() context.Context { return tx.ctx }

// Writable reports whether the transaction may write.
func (tx *Tx) Writable() bool { return tx.btx.Writable() }

// In scopes the transaction to one tenant's records of one provider.
func (tx *Tx) In(tenant, provider string) Scope {
	return Scope{tx: tx, tenant: tenant, provider: provider}
}

// Scope is a transaction narrowed to tenant/provider.
type Scope struct {
	tx       *Tx
	tenant   string
	provider string
}

// Tenant is the scope's tenant id.
func (s Scope) Tenant() string { return s.tenant }

// Provider is the scope's provider name.
func (s Scope) Provider() string { return s.provider }

// Tx is the transaction the scope belongs to.
func (s Scope) Tx() *Tx { return s.tx }

// ErrReadOnly is returned when a write is attempted in a View.
var ErrReadOnly = errors.New("store: write in a read-only transaction")

func (s Scope) bucket(kind string, create bool) (*bolt.Bucket, error) {
	tx := s.tx
	b := tx.scopeBucket
	if b == nil || tx.scopeTenant != s.tenant || tx.scopeProvider != s.provider {
		b = tx.btx.Bucket(bucketData)
		for _, name := range []string{s.tenant, s.provider} {
			var err error
			if b, err = child(tx, b, name, create); b == nil || err != nil {
				return nil, err
			}
		}
		tx.scopeTenant, tx.scopeProvider, tx.scopeBucket = s.tenant, s.provider, b
	}
	if kind == "" {
		return b, nil
	}
	return child(tx, b, kind, create)
}

// child opens (or, when create is set, creates) a nested bucket.
func child(tx *Tx, b *bolt.Bucket, name string, create bool) (*bolt.Bucket, error) {
	if next := b.Bucket([]byte(name)); next != nil {
		return next, nil
	}
	if !create {
		return nil, nil
	}
	if !tx.btx.Writable() {
		return nil, ErrReadOnly
	}
	return b.CreateBucket([]byte(name))
}

// GetRaw returns the stored JSON of kind/id, or nil. The slice is valid only
// during the transaction.
func (s Scope) GetRaw(kind, id string) []byte {
	b, _ := s.bucket(kind, false)
	if b == nil {
		return nil
	}
	return b.Get([]byte(id))
}

// Get decodes kind/id into v and reports whether it exists.
func (s Scope) Get(kind, id string, v any) (bool, error) {
	raw := s.GetRaw(kind, id)
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("store: decode %s/%s/%s/%s: %w", s.tenant, s.provider, kind, id, err)
	}
	return true, nil
}

// Put stores v as JSON under kind/id.
func (s Scope) Put(kind, id string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s/%s: %w", kind, id, err)
	}
	return s.PutRaw(kind, id, raw)
}

// PutRaw stores raw JSON under kind/id.
func (s Scope) PutRaw(kind, id string, raw []byte) error {
	b, err := s.bucket(kind, true)
	if err != nil {
		return err
	}
	return b.Put([]byte(id), raw)
}

// Delete removes kind/id; a missing record is not an error.
func (s Scope) Delete(kind, id string) error {
	b, err := s.bucket(kind, false)
	if err != nil || b == nil {
		return err
	}
	if !s.tx.btx.Writable() {
		return ErrReadOnly
	}
	return b.Delete([]byte(id))
}

// ForEach calls fn for every record of kind in key order; returning
// ErrStop ends the walk without error. A record that cannot be decoded (fn
// returns a JSON syntax or type error for it) is skipped and logged, so
// that one damaged record does not fail a whole list.
func (s Scope) ForEach(kind string, fn func(id string, raw []byte) error) error {
	b, err := s.bucket(kind, false)
	if err != nil || b == nil {
		return err
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil { // nested bucket
			continue
		}
		if stop, err := s.visit(kind, k, v, fn); stop {
			return err
		}
	}
	return nil
}

// ForEachPrefix is ForEach over the records whose id starts with prefix
// (a cursor seek, not a walk of the whole kind).
func (s Scope) ForEachPrefix(kind, prefix string, fn func(id string, raw []byte) error) error {
	b, err := s.bucket(kind, false)
	if err != nil || b == nil {
		return err
	}
	c := b.Cursor()
	p := []byte(prefix)
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		if v == nil { // nested bucket
			continue
		}
		if stop, err := s.visit(kind, k, v, fn); stop {
			return err
		}
	}
	return nil
}

// ForEachReverse is ForEach from the last key to the first.
func (s Scope) ForEachReverse(kind string, fn func(id string, raw []byte) error) error {
	b, err := s.bucket(kind, false)
	if err != nil || b == nil {
		return err
	}
	c := b.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		if v == nil {
			continue
		}
		if stop, err := s.visit(kind, k, v, fn); stop {
			return err
		}
	}
	return nil
}

// Count is the number of records of kind.
func (s Scope) Count(kind string) int {
	b, _ := s.bucket(kind, false)
	if b == nil {
		return 0
	}
	return b.Stats().KeyN
}

// visit calls fn for one record and says whether the walk ends (and with
// what error).
func (s Scope) visit(kind string, k, v []byte, fn func(id string, raw []byte) error) (bool, error) {
	err := fn(string(k), v)
	switch {
	case err == nil:
		return false, nil
	case errors.Is(err, ErrStop):
		return true, nil
	case isDecodeError(err):
		s.tx.skipped(s.tenant+"/"+s.provider+"/"+kind+"/"+string(k), err)
		return false, nil
	}
	return true, err
}

// isDecodeError reports whether err comes from decoding JSON that is
// malformed or does not fit its type.
func isDecodeError(err error) bool {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	return errors.As(err, &syn) || errors.As(err, &typ)
}

// skipped logs (rate-limited) a record left out because it cannot be
// decoded.
func (tx *Tx) skipped(key string, err error) {
	if tx.store == nil {
		return
	}
	if n, ok := tx.store.skipLog.allow(time.Now()); ok {
		tx.store.log.Error("store: skipped a record that cannot be decoded", "record", key, "err", err, "skipped_since_last_line", n)
	}
}

// ErrStop ends a ForEach early.
var ErrStop = errors.New("store: stop")

// NextSeq returns the next value (1, 2, …) of the named per-tenant,
// per-provider sequence.
func (s Scope) NextSeq(name string) (uint64, error) {
	b, err := s.bucket("_seq_"+name, true)
	if err != nil {
		return 0, err
	}
	return b.NextSequence()
}
