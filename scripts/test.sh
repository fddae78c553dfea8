#!/usr/bin/env bash
# Runs the whole suite: lint, then pytest on SQLite (with the browser tests), then on PostgreSQL.
# PostgreSQL is mandatory when CI=true; elsewhere a missing server is reported and skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

run_pytest() {
    "$PY" -m pytest "$@"
    local status=$?
    if [ "$status" -eq 5 ]; then
        echo "pytest collected no tests for: $*" >&2
        return 1
    fi
    return "$status"
}

echo "== ruff"
.venv/bin/ruff check . || exit 1

echo "== pytest on SQLite"
(unset DATABASE_URL; run_pytest) || exit 1

echo "== pytest on PostgreSQL ($PG_URL)"
if ! "$PY" - "$PG_URL" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://"), connect_timeout=5).close()
except Exception as error:
    print(f"PostgreSQL is not reachable: {error}", file=sys.stderr)
    sys.exit(1)
PY
then
    if [ "${CI:-}" = "true" ]; then
        echo "PostgreSQL is mandatory under CI=true." >&2
        exit 1
    fi
    echo "Skipping the PostgreSQL run: no server at $PG_URL." >&2
    exit 0
fi
DATABASE_URL="$PG_URL" run_pytest -m "not browser" || exit 1
