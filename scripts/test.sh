#!/usr/bin/env bash
# Installs everything and runs the whole test suite: on PostgreSQL, then on SQLite (the embedded default).
# Extra arguments go to pytest (e.g. scripts/test.sh -k calendar).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test

PG_URL="${CCHC_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/cchc}"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "==> Khởi động PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

if [ -z "${CCHC_TEST_PG_URL:-}" ] && ! psql "postgres://postgres@127.0.0.1:5432/postgres" -Atqc 'select 1' >/dev/null 2>&1; then
  # A PostgreSQL freshly installed from Debian asks for a password over TCP: give the postgres role one for tests.
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  PG_URL="postgres://postgres:postgres@127.0.0.1:5432/cchc"
fi

export CCHC_DATA_DIR="$(mktemp -d -t cchc-test-XXXX)"
export CCHC_BROWSER="${CCHC_BROWSER:-/usr/bin/chromium}"

echo "==> ruff"
.venv/bin/ruff check --quiet src tests bench

echo "==> Kiểm thử trên PostgreSQL"
DATABASE_URL="$PG_URL" .venv/bin/python -m pytest -q -p no:cacheprovider --create-db "$@"

echo "==> Kiểm thử trên SQLite"
env -u DATABASE_URL .venv/bin/python -m pytest -q -p no:cacheprovider -m "not browser" "$@"
