#!/bin/sh
# Installs wrk, the HTTP benchmarking tool, from Debian's archive (package
# "wrk", which pulls in LuaJIT) when it is not on PATH. `go run ./bench`
# calls this before its wrk workloads; without root or apt-get it fails and
# the bench reports the wrk rows as skipped.
set -e
command -v wrk >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
		echo "install-wrk: not root and no sudo: install Debian's wrk package" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y --no-install-recommends wrk ||
	{ $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends wrk; }
