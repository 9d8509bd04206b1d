package clock

import "time"

// ResetOffset puts scenario time back on the wall clock for tenant (its own
// offset; the global one stays), or for everything when tenant is "", and
// returns the offset that was dropped.
func (c *Clock) ResetOffset(tenant string) (dropped time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if tenant == "" {
		dropped = c.global
		for _, d := range c.tenants {
			dropped = max(dropped, c.global+d)
		}
		c.global = 0
		clear(c.tenants)
		return dropped
	}
	dropped = c.tenants[tenant]
	delete(c.tenants, tenant)
	return dropped
}
