// Package clock is fakeprovider's time source. Auth windows use the wall
// clock, because real clients sign with theirs. Scenario timers, expirations
// and webhook retries use scenario time: the wall clock plus an offset that
// tests advance (globally or per tenant) so that nothing has to sleep.
package clock

import (
	"fmt"
	"sync"
	"time"
)

// MaxOffset bounds the fast-forward of scenario time (the global offset
// plus a tenant's): 100 years ahead keeps every timestamp far inside what
// time.Duration and the providers' date formats hold.
const MaxOffset = 100 * 365 * 24 * time.Hour

// Clock is the wall clock plus fast-forward offsets.
type Clock struct {
	wall func() time.Time

	mu      sync.RWMutex
	global  time.Duration
	tenants map[string]time.Duration
}

// New returns a clock reading wall (time.Now when nil).
func New(wall func() time.Time) *Clock {
	if wall == nil {
		wall = time.Now
	}
	return &Clock{wall: wall, tenants: map[string]time.Duration{}}
}

// Now is the wall clock.
func (c *Clock) Now() time.Time { return c.wall() }

// ScenarioNow is the wall clock plus the global offset and the tenant's own.
func (c *Clock) ScenarioNow(tenant string) time.Time {
	return c.wall().Add(c.Offset(tenant))
}

// Offset is the total fast-forward of tenant ("" for the global offset alone).
func (c *Clock) Offset(tenant string) time.Duration {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.global + c.tenants[tenant]
}

// CheckAdvance reports, without moving anything, whether advancing tenant
// ("" = every tenant) by d keeps every offset within MaxOffset.
func (c *Clock) CheckAdvance(tenant string, d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("scenario time only moves forward (got %s)", d)
	}
	if d > MaxOffset {
		return fmt.Errorf("%s is longer than the bound of %s (100 years ahead)", d, MaxOffset)
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	ahead := c.global + c.tenants[tenant]
	if tenant == "" {
		for _, t := range c.tenants {
			ahead = max(ahead, c.global+t)
		}
	}
	if ahead+d > MaxOffset {
		return fmt.Errorf("advancing by %s would put scenario time %s ahead of the wall clock, past the bound of %s (100 years); it is %s ahead now",
			d, ahead+d, MaxOffset, ahead)
	}
	return nil
}

// Advance moves scenario time forward by d for tenant ("" = every tenant).
// An offset never passes MaxOffset (callers check with CheckAdvance; this
// keeps the sum from overflowing whatever they pass).
func (c *Clock) Advance(tenant string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if tenant == "" {
		c.global = bounded(c.global, d)
		return
	}
	c.tenants[tenant] = bounded(c.tenants[tenant], d)
}

// bounded is off+d within [0, MaxOffset].
func bounded(off, d time.Duration) time.Duration {
	d = min(max(d, 0), MaxOffset)
	off = min(max(off, 0), MaxOffset)
	return min(off+d, MaxOffset)
}

// Offsets is a snapshot of the offsets, for display and persistence.
type Offsets struct {
	Global  time.Duration            `json:"global"`
	Tenants map[string]time.Duration `json:"tenants,omitempty"`
}

// Snapshot returns the current offsets.
func (c *Clock) Snapshot() Offsets {
	c.mu.RLock()
	defer c.mu.RUnlock()
	o := Offsets{Global: c.global, Tenants: make(map[string]time.Duration, len(c.tenants))}
	for k, v := range c.tenants {
		o.Tenants[k] = v
	}
	return o
}

// Restore sets the offsets (after a restart).
func (c *Clock) Restore(o Offsets) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Offsets written before they were bounded may have overflowed.
	c.global = bounded(o.Global, 0)
	c.tenants = map[string]time.Duration{}
	for k, v := range o.Tenants {
		c.tenants[k] = bounded(v, 0)
	}
}
