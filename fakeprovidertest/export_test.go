package fakeprovidertest

import "github.com/fakeprovider/fakeprovider/internal/platform"

// WithProviders adds providers to the server (tests only).
func WithProviders(p ...platform.Provider) Option {
	return func(c *config) { c.extra = append(c.extra, p...) }
}
