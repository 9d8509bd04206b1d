#!/bin/sh
# Makes a Docker daemon reachable for the container tests
# (internal/containertest, testcontainers/): does nothing when one answers;
# otherwise installs Debian's docker.io (dockerd 20.10, and its CLI at
# /usr/bin/docker, which builds with the daemon's built-in BuildKit) and
# debootstrap (for the local build base, see docker-build-base.sh), starts
# dockerd in the background (log: $DOCKERD_LOG, default /tmp/dockerd.log)
# and waits for it. Needs root (or sudo) and the Debian archive.
set -eu
LOG=${DOCKERD_LOG:-/tmp/dockerd.log}

if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
	echo "start-docker: daemon $(docker version --format '{{.Server.Version}}') is running"
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "start-docker: need root (or sudo) to install and start dockerd" >&2
		exit 1
	fi
fi
if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq docker.io debootstrap >/dev/null
fi
echo "start-docker: starting dockerd (log: $LOG)"
$SUDO sh -c "nohup dockerd >'$LOG' 2>&1 &"
i=0
until docker version --format '{{.Server.Version}}' >/dev/null 2>&1; do
	i=$((i + 1))
	if [ "$i" -gt 60 ]; then
		echo "start-docker: dockerd did not answer in 30s:" >&2
		tail -20 "$LOG" >&2 || true
		exit 1
	fi
	sleep 0.5
done
echo "start-docker: daemon $(docker version --format '{{.Server.Version}}') is running"
