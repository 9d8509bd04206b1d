package store

import (
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// openBolt opens the bbolt file and turns its failures into errors that
// say what is wrong: damaged, or held by another process. bbolt panics on
// some damage ("assertion failed"); that is an error here too.
func openBolt(path string, noSync bool) (db *bolt.DB, err error) {
	defer func() {
		if p := recover(); p != nil {
			db, err = nil, &DamagedError{Path: path, Reason: fmt.Sprint(p)}
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{
		Timeout: time.Second,
		NoSync:  noSync,
		// Growing the file syncs its new size unless told not to: with
		// commits unsynced (a temporary store) that sync protects nothing
		// and cost a few milliseconds at the first commit (as etcd does
		// with --unsafe-no-fsync).
		NoGrowSync:     noSync,
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
	})
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, &InUseError{Path: path, PID: lockHolder(path)}
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrInvalidMapping):
		return nil, &DamagedError{Path: path, Reason: err.Error()}
	}
	return nil, fmt.Errorf("store: open %s: %w", path, err)
}

// limiter lets one log line through per interval and counts the others.
type limiter struct {
	mu         sync.Mutex
	next       time.Time
	suppressed int
}

// allow reports whether a line may be logged now and how many were held
// back since the last one.
func (l *limiter) allow(now time.Time) (int, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Before(l.next) {
		l.suppressed++
		return 0, false
	}
	n := l.suppressed
	l.suppressed, l.next = 0, now.Add(10*time.Second)
	return n, true
}
