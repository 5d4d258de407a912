#!/usr/bin/env bash
# Set up (once) and run the app: creates .venv, brings pip to requirements-pip.lock, installs requirements.lock (the exact versions,
# with hashes, that the tests passed on; see README "Dependencies"), starts Streamlit.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-pip.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
exec .venv/bin/python -m streamlit run app.py --server.address "${TOKENBUDGET_ADDRESS:-127.0.0.1}" "$@"
