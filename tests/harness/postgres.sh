#!/bin/sh
# tests/harness/postgres.sh start|stop DIR: a private PostgreSQL for a test run.
#
# start: makes a cluster (superuser "roster", trust authentication, C locale) and starts it
# listening on a Unix socket in DIR only (no TCP port), without fsync: the data lives as
# long as the run. Prints the libpq connection string. PostgreSQL will not run as root, so
# as root the cluster belongs to "nobody" and lives in /tmp, DIR a link to it. With
# POSTGRES_DURABLE=1 it keeps PostgreSQL's defaults for fsync and commits (for benchmarks).
# stop: stops it (fast shutdown) and removes DIR.
set -eu

cmd=${1:?usage: postgres.sh start|stop DIR}
dir=${2:?usage: postgres.sh start|stop DIR}

bindir=$(pg_config --bindir 2>/dev/null || true)
if [ ! -x "$bindir/initdb" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ ! -x "$bindir/initdb" ]; then
  echo "postgres.sh: PostgreSQL's initdb is not installed (tools/install-deps.sh installs it)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u nobody -- "$@") # from a directory nobody may enter
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    "$0" stop "$dir" 2>/dev/null || true
    if [ "$(id -u)" -eq 0 ]; then
      # nobody may not reach DIR (a clone in a mktemp -d dir is root's alone): the cluster
      # lives in a directory of nobody's under /tmp, and DIR is a link to it, so clients
      # find the socket at DIR all the same.
      real=$(mktemp -d /tmp/roster-postgres.XXXXXX)
      chown nobody "$real"
      mkdir -p "$(dirname "$dir")"
      ln -s "$real" "$dir"
    else
      mkdir -p "$dir"
      real=$(cd "$dir" && pwd -P)
    fi
    as_owner "$bindir/initdb" -D "$real/data" -A trust -U roster --no-sync -E UTF8 \
      --locale=C >"$real/initdb.log" 2>&1 \
      || { cat "$real/initdb.log" >&2; exit 1; }
    fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ -z "${POSTGRES_DURABLE:-}" ] || fast=
    as_owner "$bindir/pg_ctl" -D "$real/data" -l "$real/postgres.log" -w -t 60 \
      -o "-c listen_addresses='' -k $real $fast -c max_connections=200" start >/dev/null \
      || { cat "$real/postgres.log" >&2; exit 1; }
    echo "host=$dir user=roster dbname=postgres"
    ;;
  stop)
    real=$dir
    [ ! -L "$dir" ] || real=$(readlink "$dir")
    if [ -f "$real/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$real/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$real"
    rm -rf "$dir"
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
