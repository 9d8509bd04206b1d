#!/bin/sh
# Runs the testcontainers module's checks and tests (make test): vet,
# staticcheck and `go test -race` in testcontainers/fakeprovider, its own Go
# module. With a Docker daemon, the image is built first (make docker, as
# fakeprovider-tc:test, removed at the end) and the tests run against it;
# without one they skip (or fail with FAKEPROVIDER_REQUIRE_DOCKER=1).
#
# Ryuk, testcontainers' reaper, is an image from Docker Hub: it is disabled
# (TESTCONTAINERS_RYUK_DISABLED=true); each test terminates what it starts.
set -eu
cd "$(dirname "$0")/.."
GO=${GO:-go}
STATICCHECK=${STATICCHECK:-$($GO env GOPATH)/bin/staticcheck}
IMAGE=fakeprovider-tc

if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
	make --no-print-directory docker IMAGE=$IMAGE VERSION=test >/dev/null
	trap 'docker rmi -f $IMAGE:test $IMAGE:latest >/dev/null 2>&1; docker image prune -f --filter label=org.fakeprovider.stage=build >/dev/null 2>&1 || true' EXIT
	export FAKEPROVIDER_IMAGE=$IMAGE:test
	# A daemon running on this machine publishes ports here, even when this
	# machine is itself a container (where testcontainers would otherwise
	# guess the default gateway).
	if [ -z "${DOCKER_HOST:-}" ] && [ -z "${TESTCONTAINERS_HOST_OVERRIDE:-}" ] && pgrep -x dockerd >/dev/null 2>&1; then
		export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
	fi
fi
export TESTCONTAINERS_RYUK_DISABLED=${TESTCONTAINERS_RYUK_DISABLED:-true}
cd testcontainers/fakeprovider
$GO vet ./...
$STATICCHECK ./...
$GO test -race -count=1 -timeout 10m ./...
