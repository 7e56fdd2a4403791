#!/usr/bin/env bash
# `make test-future`: the distributed suite with every clock a year ahead (TIMESHIFT_DAYS, default 365).
# Python processes travel through time-machine (tests/timeshift/sitecustomize.py); the Airflow metadata
# and warehouse live in a throw-away PostgreSQL started under libfaketime with the same offset, so the
# database's now() agrees with the scheduler's. Redis keeps no clock state that matters here.
set -euo pipefail
cd "$(dirname "$0")/.."
DAYS="${TIMESHIFT_DAYS:-365}"
PORT="${NYENGGET_FUTURE_PG_PORT:-55432}"
PGBIN="/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -1)/bin"
LIBFAKETIME="$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)"
[ -n "$LIBFAKETIME" ] || { echo "libfaketime is required (apt-get install -y faketime)" >&2; exit 2; }
DIR="$(mktemp -d /tmp/nyengget-future-pg.XXXXXX)"
chown postgres "$DIR"
as_pg() { su postgres -s /bin/bash -c "$*"; }
as_pg "'$PGBIN/initdb' -D '$DIR/data' -A trust -U postgres" > "$DIR/initdb.log"
# LD_PRELOAD rather than the faketime wrapper, which waits for the postmaster and never returns
PG_CTL="LD_PRELOAD='$LIBFAKETIME' FAKETIME='+${DAYS}d' FAKETIME_DONT_FAKE_MONOTONIC=1 '$PGBIN/pg_ctl' -D '$DIR/data' -l '$DIR/log' -w"
OPTS="-p $PORT -k $DIR -c listen_addresses=127.0.0.1"
as_pg "$PG_CTL -o '$OPTS' start" > /dev/null
trap 'as_pg "'"$PGBIN"'/pg_ctl -D '"$DIR"'/data -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$DIR"' EXIT
echo "==> PostgreSQL on 127.0.0.1:$PORT reads $(psql -h 127.0.0.1 -p "$PORT" -U postgres -Atc 'select now()')"
export PYTHONPATH="$PWD/tests/timeshift${PYTHONPATH:+:$PYTHONPATH}" TIMESHIFT_DAYS="$DAYS"
export NYENGGET_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
export NYENGGET_TEST_PG_RESTART="su postgres -s /bin/bash -c \"$PG_CTL -m fast -o '$OPTS' restart\""
echo "==> Python reads $(.venv/bin/python -c 'import datetime; print(datetime.datetime.now(datetime.UTC))')"
.venv/bin/python -m pytest -q -o addopts="-ra --strict-markers" tests/distributed "$@"
