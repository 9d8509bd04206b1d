#!/bin/sh
# Installs the headless browser the inspector's browser test drives
# (internal/inspector/browser_test.go): Chromium from Debian's packages.
# Idempotent: does nothing when /usr/bin/chromium (or $FAKEPROVIDER_BROWSER)
# exists. Needs root (or sudo) and the Debian archive.
set -eu

if [ -n "${FAKEPROVIDER_BROWSER:-}" ] && [ -x "${FAKEPROVIDER_BROWSER}" ]; then
	echo "install-browser: using ${FAKEPROVIDER_BROWSER}"
	exit 0
fi
if [ -x /usr/bin/chromium ]; then
	echo "install-browser: /usr/bin/chromium is installed ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "install-browser: need root (or sudo) to run apt-get" >&2
		exit 1
	fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-browser: no apt-get; install Chromium yourself and set FAKEPROVIDER_BROWSER=/path/to/chromium" >&2
	exit 1
fi

echo "install-browser: installing Chromium for the inspector's browser test: Debian packages chromium and fonts-dejavu-core, system-wide with ${SUDO:+sudo }apt-get (skip it with FAKEPROVIDER_BROWSER=/path/to/chromium)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "install-browser: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
