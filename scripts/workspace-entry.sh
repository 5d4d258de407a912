#!/usr/bin/env bash
# The shared instance's entry (the Dockerfile's CMD; tests/workspace/test_entry.py runs it
# against the CI PostgreSQL): wait for the workspace database named by TOKENBUDGET_DATABASE_URL
# (TOKENBUDGET_DB_WAIT seconds, 60 by default), run its migrations, then serve the app on
# $TOKENBUDGET_ADDRESS:$PORT (0.0.0.0:8501 by default) through app_pages/serve.py. Extra arguments go
# to streamlit run.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}
"$PYTHON" -m cli.workspace_setup --wait "${TOKENBUDGET_DB_WAIT:-60}"
exec "$PYTHON" -m app_pages.serve \
  --server.headless=true \
  --server.address="${TOKENBUDGET_ADDRESS:-0.0.0.0}" \
  --server.port="${PORT:-8501}" \
  --browser.gatherUsageStats=false \
  "$@"
