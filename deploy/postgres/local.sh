#!/usr/bin/env bash
# A throw-away local PostgreSQL for CI and for developers who want to run the suite on it.
#
#   deploy/postgres/local.sh start|stop|status|urls
#
# It installs PostgreSQL from Debian's packages when missing, runs a cluster in
# $KINERJA_PG_DIR (default /tmp/kinerja-postgres) on $KINERJA_PG_PORT (default 55432) with
# trust authentication on loopback only, and creates one database per service. `status` exits
# 0 when it is running. `urls` prints the environment variables (export lines) the services'
# settings and the tests read.
set -euo pipefail

port=${KINERJA_PG_PORT:-55432}
dir=${KINERJA_PG_DIR:-/tmp/kinerja-postgres}
databases=(appraisal feedback reporting webhooks kinerja_test)

say() { echo "postgres: $*" >&2; }

bindir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$found" ] && [ -x "$found/postgres" ] && echo "$found"
}

install() {
  bindir >/dev/null && return 0
  say "installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bindir >/dev/null || { say "PostgreSQL did not install"; exit 1; }
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  install
  local bin
  bin=$(bindir)
  if as_postgres "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    say "already running on port $port"
  else
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
    fi
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
      start >/dev/null
    say "running on 127.0.0.1:$port"
  fi
  for db in "${databases[@]}"; do
    psql -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" \
      | grep -q 1 || psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE $db" >/dev/null
  done
}

running() {
  local bin
  bin=$(bindir) || return 1
  as_postgres "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

stop() {
  local bin
  bin=$(bindir) || return 0
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  say "stopped"
}

urls() {
  for db in "${databases[@]}"; do
    echo "export ${db^^}_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:$port/$db"
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running ;;
  urls) urls ;;
  *) echo "usage: $0 start|stop|status|urls" >&2; exit 2 ;;
esac
