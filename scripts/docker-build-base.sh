#!/bin/sh
# Prints the image to use for the Dockerfile's build stage (GO_IMAGE).
#
# The official Go image when it is present or can be pulled; otherwise (no
# registry reachable) a local one made once and then reused: a minimal
# Debian rootfs from Debian's archive (debootstrap) with this machine's Go
# toolchain, `docker import`ed as fakeprovider-build-base:<go version>.
# Only the build stage differs: the final stage is FROM scratch either way.
#
# Environment: DOCKER (CLI, default docker), GO_IMAGE_OFFICIAL (default
# golang:1.26-bookworm), DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -eu
DOCKER=${DOCKER:-docker}
OFFICIAL=${GO_IMAGE_OFFICIAL:-golang:1.26-bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if $DOCKER image inspect "$OFFICIAL" >/dev/null 2>&1 ||
	timeout 120 $DOCKER pull -q "$OFFICIAL" >/dev/null 2>&1; then
	echo "$OFFICIAL"
	exit 0
fi

GOROOT=$(go env GOROOT)
LOCAL=fakeprovider-build-base:$(go env GOVERSION)
if $DOCKER image inspect "$LOCAL" >/dev/null 2>&1; then
	echo "$LOCAL"
	exit 0
fi

echo "$OFFICIAL cannot be pulled: preparing $LOCAL (Debian bookworm + $GOROOT)" >&2
if ! command -v debootstrap >/dev/null 2>&1; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "debootstrap is missing (apt-get install debootstrap, as root)" >&2
		exit 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
fi
start=$(date +%s)
root=$(mktemp -d "${TMPDIR:-/tmp}/fakeprovider-base.XXXXXX")
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include=ca-certificates bookworm "$root/fs" "$MIRROR" >&2
rm -rf "$root/fs/var/cache/apt/archives/"*.deb "$root/fs/var/lib/apt/lists/"*
mkdir -p "$root/fs/usr/local" "$root/fs/go"
cp -a "$GOROOT" "$root/fs/usr/local/go"
# This machine's trust store (it may hold a proxy's CA that downloads need),
# for the build stage's go commands only: the final stage copies Debian's
# own bundle, /etc/ssl/certs/ca-certificates.crt, as it does from the
# official image.
cp "${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}" "$root/fs/etc/ssl/build-ca-certificates.crt"
tar -C "$root/fs" -c . | $DOCKER import \
	-c 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	-c 'ENV GOPATH=/go' \
	-c 'ENV SSL_CERT_FILE=/etc/ssl/build-ca-certificates.crt' \
	-c 'WORKDIR /go' \
	-c 'CMD ["bash"]' \
	- "$LOCAL" >/dev/null
echo "prepared $LOCAL in $(($(date +%s) - start))s" >&2
echo "$LOCAL"
