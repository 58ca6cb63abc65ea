#!/bin/sh
# Installs the Debian packages agentkb needs to build and test, if any are
# missing. Run as root (or with sudo available); otherwise it prints the
# apt-get command to run.
set -e
PACKAGES="pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev liblua5.4-dev libpcre2-dev highlight"
missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
# node runs the report checks in make test (tests/check-report.mjs).
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
[ -z "$missing" ] && exit 0
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
