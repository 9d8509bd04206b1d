// Package clock is fakeprovider's time source. Auth windows use the wall
// clock, because real clients sign with theirs. Scenario timers, expirations
// and webhook retries use scenario time: the wall clock plus an offset that
// tests advance (globally or per tenant) so that nothing has to sleep.
package clock

import (
	"sync"
	"time"
)

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

// Advance moves scenario time forward by d for tenant ("" = every tenant).
func (c *Clock) Advance(tenant string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if tenant == "" {
		c.global += d
		return
	}
	c.tenants[tenant] += d
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
	c.global = o.Global
	c.tenants = map[string]time.Duration{}
	for k, v := range o.Tenants {
		c.tenants[k] = v
	}
}
