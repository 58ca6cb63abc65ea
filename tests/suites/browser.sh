#!/bin/sh
# Browser tests (tests/browser/*.test.mjs) under node's test runner, with
# Debian's chromium driven by playwright-core.
. tests/lib/common.sh
node_test tests/browser/
finish browser
