//go:build linux

package store

import (
	"os"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// emptyImage returns the bytes of a new bbolt database (its meta pages,
// empty freelist and empty root page), made by bbolt itself on an
// anonymous memory file. bbolt syncs a new file to disk before using it
// (a millisecond or more on ext4 or overlayfs, most of a temporary store's
// open); a temporary store, removed at exit, starts from this image
// instead and skips that sync.
func emptyImage() ([]byte, error) {
	fd, err := unix.MemfdCreate("fakeprovider-empty-store", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), "memfd:fakeprovider-empty-store")
	db, err := bolt.Open(f.Name(), 0o600, &bolt.Options{
		OpenFile:       func(string, int, os.FileMode) (*os.File, error) { return f, nil },
		NoSync:         true,
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
	})
	if err != nil {
		f.Close()
		return nil, err
	}
	img := make([]byte, 4*db.Info().PageSize)
	_, err = f.ReadAt(img, 0)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return img, err
}
