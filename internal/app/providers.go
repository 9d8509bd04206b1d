package app

import (
	"github.com/fakeprovider/fakeprovider/emulator/crm"
	"github.com/fakeprovider/fakeprovider/emulator/crowdtrust"
	"github.com/fakeprovider/fakeprovider/emulator/d24"
	"github.com/fakeprovider/fakeprovider/emulator/difitek"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

// Providers returns fresh values of every emulated provider, in the order
// they are mounted. Adding a provider is one line here.
func Providers() []platform.Provider {
	return []platform.Provider{
		difitek.New(),
		d24.New(),
		crm.New(),
		crowdtrust.New(),
	}
}
