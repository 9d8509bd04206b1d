package clock

import (
	"fmt"
	"strconv"
	"time"

	"github.com/fakeprovider/fakeprovider/internal/store"
)

// Save stores the offset that a fast-forward of tenant ("" = every tenant)
// changed, in tx: the global offset in the system bucket, a tenant's own
// under the tenant (so that it goes with the tenant's other records and
// costs nothing to another tenant's reset).
func (c *Clock) Save(tx *store.Tx, tenant string) error {
	snap := c.Snapshot()
	if tenant == "" {
		return tx.System(store.ClockBucket).Put(store.ClockKey, encodeOffset(snap.Global))
	}
	return saveTenant(tx, tenant, snap.Tenants[tenant])
}

// ClearAfterReset follows, in tx, a reset of tenant ("" = every tenant):
// scenario time goes back on the wall clock. A tenant's own offset went with
// its bucket; a reset of everything also deletes the global offset. The
// offsets in memory follow on commit.
func (c *Clock) ClearAfterReset(tx *store.Tx, tenant string) error {
	if tenant == "" {
		recs := tx.System(store.ClockBucket)
		if recs.Get(store.ClockKey) != nil {
			if err := recs.Delete(store.ClockKey); err != nil {
				return err
			}
		}
	}
	tx.OnCommit(func() { c.ResetOffset(tenant) })
	return nil
}

func saveTenant(tx *store.Tx, tenant string, d time.Duration) error {
	recs := tx.Records(tenant, store.ClockBucket)
	if d == 0 {
		if recs.Get(store.ClockKey) == nil {
			return nil
		}
		return recs.Delete(store.ClockKey)
	}
	return recs.Put(store.ClockKey, encodeOffset(d))
}

// Load restores the offsets stored by Save (at start).
func (c *Clock) Load(tx *store.Tx) error {
	var off Offsets
	off.Tenants = map[string]time.Duration{}
	var err error
	if raw := tx.System(store.ClockBucket).Get(store.ClockKey); raw != nil {
		if off.Global, err = decodeOffset(raw); err != nil {
			return fmt.Errorf("stored clock offset: %w", err)
		}
	}
	err = tx.ForEachTenant(store.ClockBucket, func(tenant string) error {
		raw := tx.Records(tenant, store.ClockBucket).Get(store.ClockKey)
		if raw == nil {
			return nil
		}
		d, err := decodeOffset(raw)
		if err != nil {
			return fmt.Errorf("stored clock offset of %s: %w", tenant, err)
		}
		off.Tenants[tenant] = d
		return nil
	})
	if err != nil {
		return err
	}
	c.Restore(off)
	return nil
}

func encodeOffset(d time.Duration) []byte { return strconv.AppendInt(nil, int64(d), 10) }

func decodeOffset(raw []byte) (time.Duration, error) {
	n, err := strconv.ParseInt(string(raw), 10, 64)
	return time.Duration(n), err
}
