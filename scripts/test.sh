#!/usr/bin/env bash
# Set up (once) and run every check: lint, format, unit/AppTest/browser tests. Installs
# requirements-dev.lock (exact versions with hashes; see README "Dependencies").
# Browser tests need Debian's Chromium (apt-get install chromium); without it they are skipped
# with a message, unless TOKENBUDGET_REQUIRE_BROWSER=1 (set by .ci/run) makes that a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/venv.sh
. scripts/venv.sh
make_venv .venv requirements-dev.lock
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
