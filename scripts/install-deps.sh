#!/bin/sh
# Installs what agentkb needs, if anything is missing.
#   scripts/install-deps.sh build   Debian packages to build and run agentkb
#   scripts/install-deps.sh test    also node, chromium and the npm packages of the tests
#                                   (make deps and make site; make test installs nothing)
# Run as root (or with sudo available); otherwise it prints the apt-get command to run.
set -e
MODE=${1:-build}
PACKAGES="pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev liblua5.4-dev libpcre2-dev libarchive-dev libjansson-dev libmicrohttpd-dev highlight"
if [ "$MODE" = test ]; then
	# node runs the report, link and browser checks; chromium is the browser they drive;
	# unzip (and tar, always there) unpack the bundles tests/suites/bundle.sh makes;
	# valgrind runs make valgrind (CI, after the tests).
	PACKAGES="$PACKAGES chromium unzip valgrind"
fi
missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
if [ "$MODE" = test ]; then
	command -v node >/dev/null 2>&1 || missing="$missing nodejs"
	command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi
if [ -n "$missing" ]; then
	echo "agentkb: installing missing packages:$missing"
	if [ "$(id -u)" -eq 0 ]; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq $missing
	elif command -v sudo >/dev/null 2>&1; then
		sudo apt-get update -qq
		sudo apt-get install -y -qq $missing
	else
		echo "agentkb: run as root: apt-get install$missing" >&2
		exit 1
	fi
fi
# playwright-core drives Debian's chromium; it never downloads a browser.
if [ "$MODE" = test ] && [ ! -d node_modules/playwright-core ]; then
	npm ci --no-audit --no-fund
fi
