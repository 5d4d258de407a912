# Sourced by .ci/run (or by hand, `. scripts/postgres.sh && start_postgres`): a throwaway
# PostgreSQL cluster for the workspace tests, on a Unix socket in /tmp (port 55432, no TCP), in a
# temporary directory, with trust authentication. Exports TOKENBUDGET_TEST_POSTGRES_URL, which the
# tests' `store` fixture reads; `stop_postgres` ends the cluster and removes its directory.
# Needs Debian's postgresql package (`apt-get install postgresql`, which .ci/run does); as root
# (CI) the server runs as the postgres user through runuser.
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-55432}
PG_SOCKET_DIR=${PG_SOCKET_DIR:-/tmp}
PG_TEST_DB=tokenbudget_test

_as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  if _as_pg "$PG_BIN/pg_isready" -q -h "$PG_SOCKET_DIR" -p "$PG_PORT"; then
    echo "postgres.sh: a server already answers on $PG_SOCKET_DIR port $PG_PORT; using it" >&2
  else
    PG_DATA_DIR=$(mktemp -d /tmp/tokenbudget-pg.XXXXXX)
    if [ "$(id -u)" = "0" ]; then chown postgres: "$PG_DATA_DIR"; fi
    _as_pg "$PG_BIN/initdb" -D "$PG_DATA_DIR/data" -U postgres -A trust -E UTF8 --no-locale \
      >"$PG_DATA_DIR/initdb.log" 2>&1 || { cat "$PG_DATA_DIR/initdb.log" >&2; return 1; }
    _as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA_DIR/data" -l "$PG_DATA_DIR/server.log" -w \
      -o "-k $PG_SOCKET_DIR -p $PG_PORT -c listen_addresses='' -c fsync=off" start >/dev/null \
      || { cat "$PG_DATA_DIR/server.log" >&2; return 1; }
    export PG_DATA_DIR
  fi
  if ! _as_pg "$PG_BIN/psql" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$PG_TEST_DB'" postgres | grep -q 1; then
    _as_pg "$PG_BIN/createdb" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres "$PG_TEST_DB"
  fi
  export TOKENBUDGET_TEST_POSTGRES_URL="postgresql+psycopg://postgres@/$PG_TEST_DB?host=$PG_SOCKET_DIR&port=$PG_PORT"
  echo "postgres.sh: PostgreSQL ready: $TOKENBUDGET_TEST_POSTGRES_URL" >&2
}

stop_postgres() {
  if [ -n "${PG_DATA_DIR:-}" ] && [ -d "$PG_DATA_DIR/data" ]; then
    _as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DATA_DIR"
  fi
}
