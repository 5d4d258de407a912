#!/usr/bin/env bash
# The price routine a scheduled CI job runs (weekly, say): install the newest genai-prices and
# litellm beside the locked ones, then report what they add or change against the shipped table.
#   1. bump: a throwaway venv with the locks, then the newest peer releases on top;
#   2. audit: `tokenbudget audit --since-pinned` (what the newer peers changed, judged as of the
#      last audit's day) and `tokenbudget audit` (is the table still true today);
#   3. the report goes to artifacts/price-audit-<date>.txt and to stdout.
# Exit status 0: nothing to judge. 1: differences to look at; a person then checks the provider's
# page and a second source, records each change (pricing/data) or judgement (pricing/judged),
# updates pricing/audited.toml and re-locks (README, "Keeping prices current"). The job never
# edits the table: judging is a person's. Needs the network (PyPI); the app never does this.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${TOKENBUDGET_AUDIT_VENV:-.venv-audit}
# shellcheck source=scripts/venv.sh
. scripts/venv.sh
make_venv "$VENV" requirements-dev.lock
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade genai-prices litellm
mkdir -p artifacts
REPORT="artifacts/price-audit-$(date -u +%Y-%m-%d).txt"
status=0
echo "== What the newest peers add or change (as of the last audit's day) ==" > "$REPORT"
"$VENV/bin/python" -m cli audit --since-pinned >> "$REPORT" || status=1
printf '\n== The table against the newest peers today ==\n' >> "$REPORT"
"$VENV/bin/python" -m cli audit >> "$REPORT" || status=1
cat "$REPORT"
echo "Report: $REPORT (status $status)"
exit "$status"
