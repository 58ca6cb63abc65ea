#!/bin/sh
# Search: the engine (themes/default/static/search-engine.js) and the UI
# (search.js) under node's test runner (tests/search/*.test.mjs): decoding,
# tokenizer parity with `agentkb tokenize`, ranking, prefix, typos, CJK,
# facets, file loading, the real index of the sample site, 10,000-agent
# performance, and the UI in Debian's chromium (playwright-core). Files run
# one at a time so the timing budgets are not measured against a browser
# starting next door.
. tests/lib/common.sh
node_test --test-concurrency=1 tests/search/
finish search
