#!/usr/bin/env bash
# Set up (once) and run the app: creates .venv, brings pip to requirements-pip.lock, installs requirements.lock (the exact versions,
# with hashes, that the tests passed on; see README "Dependencies"), starts Streamlit (app_pages/serve.py: the
# first page's imports done before the server answers).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/venv.sh
. scripts/venv.sh
make_venv .venv requirements.lock
exec .venv/bin/python -m app_pages.serve --server.address "${TOKENBUDGET_ADDRESS:-127.0.0.1}" "$@"
