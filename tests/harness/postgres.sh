#!/bin/sh
# tests/harness/postgres.sh start|stop DIR: a private PostgreSQL for a test run.
#
# start: makes a cluster in DIR/data (superuser "roster", trust authentication, C locale)
# and starts it listening on a Unix socket in DIR only (no TCP port), without fsync: the
# data lives as long as the run. Prints the libpq connection string. PostgreSQL will not
# run as root, so as root the cluster belongs to "nobody".
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
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown nobody "$dir"
    # nobody must reach DIR: every directory above it must be searchable.
    as_owner "$bindir/initdb" -D "$dir/data" -A trust -U roster --no-sync -E UTF8 \
      --locale=C >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off \
          -c full_page_writes=off -c max_connections=200" start >/dev/null \
      || { cat "$dir/postgres.log" >&2; exit 1; }
    echo "host=$dir user=roster dbname=postgres"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
