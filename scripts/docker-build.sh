#!/bin/sh
# Builds the fakeprovider image (make docker): picks the build stage's base
# (the official Go image, or a local one when no registry is reachable: see
# docker-build-base.sh) and a builder that works with this CLI.
#
# Environment: DOCKER (CLI, default docker), IMAGE (default fakeprovider),
# VERSION (default dev), GO_IMAGE (skip the base detection),
# DOCKER_BUILDKIT (1: BuildKit, 0: the classic builder; unset: the CLI's
# default, or the classic builder when the CLI's default needs a buildx
# plugin that is not installed).
set -eu
cd "$(dirname "$0")/.."
DOCKER=${DOCKER:-docker}
IMAGE=${IMAGE:-fakeprovider}
VERSION=${VERSION:-dev}

client=$($DOCKER version --format '{{.Client.Version}}' 2>/dev/null || echo 0)
major=${client%%.*}
if ! $DOCKER buildx version >/dev/null 2>&1 && [ "${major:-0}" -ge 23 ] 2>/dev/null; then
	# CLIs from 23 on build with BuildKit only through buildx.
	case "${DOCKER_BUILDKIT:-}" in
	1)
		echo "docker-build: $DOCKER ($client) has no buildx, which its BuildKit builds need;" >&2
		echo "  use DOCKER_BUILDKIT=0 (the classic builder) or a CLI that talks to the daemon's" >&2
		echo "  built-in BuildKit (e.g. DOCKER=/usr/bin/docker, Debian's docker.io 20.10)" >&2
		exit 1
		;;
	"")
		echo "docker-build: $DOCKER has no buildx: using the classic builder" >&2
		export DOCKER_BUILDKIT=0
		;;
	esac
fi

GO_IMAGE=${GO_IMAGE:-$(DOCKER=$DOCKER sh scripts/docker-build-base.sh)}
start=$(date +%s)
$DOCKER build \
	--build-arg GO_IMAGE="$GO_IMAGE" \
	--build-arg VERSION="$VERSION" \
	--build-arg GOPROXY="$(go env GOPROXY 2>/dev/null || true)" \
	-t "$IMAGE:$VERSION" -t "$IMAGE:latest" .
size=$($DOCKER image inspect --format '{{.Size}}' "$IMAGE:latest")
echo "docker-build: $IMAGE:$VERSION ($IMAGE:latest) from $GO_IMAGE, builder ${DOCKER_BUILDKIT:-default}: $(($(date +%s) - start))s, $size bytes" >&2
