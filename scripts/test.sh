#!/usr/bin/env bash
# Runs the whole suite: lint, then pytest on SQLite (with the browser tests), then on PostgreSQL.
# Both database passes run even when the first fails, so one run shows every failure; the script
# ends with both results and exits non-zero if either failed.
# PostgreSQL is mandatory when CI=true; elsewhere a missing server is reported and skipped.
# TEST_TODAY=YYYY-MM-DD[THH:MM] adds one more SQLite pass (no browser tests) with the clock travelled
# to that moment. Under CI=true it defaults to the next 29 February at 23:30: a future day, a leap day
# and late evening, so a test that depends on the real date fails here before the calendar gets to it.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

run_pytest() {
    "$PY" -m pytest "$@"
    local status=$?
    if [ "$status" -eq 5 ]; then
        echo "pytest collected no tests for: ${*:-the whole suite}" >&2
        return 1
    fi
    return "$status"
}

postgres_reachable() {
    "$PY" - "$PG_URL" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://"), connect_timeout=5).close()
except Exception as error:
    print(f"PostgreSQL is not reachable: {error}", file=sys.stderr)
    sys.exit(1)
PY
}

next_leap_evening() {
    "$PY" - <<'PY'
import calendar
import datetime

today = datetime.date.today()
year = today.year
while not calendar.isleap(year) or datetime.date(year, 2, 29) <= today:
    year += 1
print(f"{year}-02-29T23:30")
PY
}

if [ "${CI:-}" = "true" ] && [ -z "${TEST_TODAY:-}" ]; then
    TEST_TODAY="$(next_leap_evening)"
fi

echo "== ruff"
.venv/bin/ruff check . || exit 1

echo "== pytest on SQLite"
if (unset DATABASE_URL; run_pytest); then sqlite=passed; else sqlite=failed; fi

echo "== pytest on PostgreSQL ($PG_URL)"
if postgres_reachable; then
    if DATABASE_URL="$PG_URL" run_pytest -m "not browser"; then postgres=passed; else postgres=failed; fi
elif [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is mandatory under CI=true." >&2
    postgres=failed
else
    echo "Skipping the PostgreSQL run: no server at $PG_URL." >&2
    postgres=skipped
fi

summary="SQLite: $sqlite; PostgreSQL: $postgres"
if [ -n "${TEST_TODAY:-}" ]; then
    echo "== pytest on SQLite with the clock at $TEST_TODAY"
    if (unset DATABASE_URL; run_pytest -m "not browser" --today="$TEST_TODAY"); then shifted=passed; else shifted=failed; fi
    summary="$summary; SQLite on $TEST_TODAY: $shifted"
fi

echo "== $summary"
case "$summary" in
    *failed*) exit 1 ;;
esac
exit 0
