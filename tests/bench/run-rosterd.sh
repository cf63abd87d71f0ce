#!/bin/sh
# tests/bench/run-rosterd.sh [N_USERS]
# rosterd at N_USERS users (default 100,000; issue 3). Builds $BUILD (build-bench, release),
# runs bench-rosterd (seeding over HTTP, then sequential p50/p99 per request kind), restarts
# rosterd on the seeded database and drives it with wrk on 127.0.0.1 beside nginx serving the
# same bytes as a static file. Installs nginx-light and wrk if missing (needs root or sudo).
# The wrk part runs for each count in WORKERS (default "1 2"): rosterd --workers N beside
# nginx with worker_processes N. Everything it starts it stops, and its temp dir goes. The
# figures go in docs/performance.md. KEEP=DIR keeps the seeded database in DIR; SEEDED=DIR
# runs only the wrk part on it (seeding 100,000 users takes minutes). POSTGRES=1 keeps the
# users in a private PostgreSQL instead (tests/harness/postgres.sh, durable: fsync on), which
# this run starts and removes, so it cannot be combined with KEEP or SEEDED.
set -eu
cd "$(dirname "$0")/../.."
N_USERS=${1:-100000}
BUILD=${BUILD:-build-bench}
DURATION=${DURATION:-10s}
WORKERS=${WORKERS:-1 2}

if ! command -v wrk >/dev/null \
   || { ! command -v nginx >/dev/null && ! [ -x /usr/sbin/nginx ]; }; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get install -y nginx-light wrk >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

[ -f "$BUILD/meson-private/coredata.dat" ] || meson setup "$BUILD" -Dbuildtype=release >/dev/null
meson compile -C "$BUILD" src/server/rosterd tests/bench/bench-rosterd >/dev/null
ROSTERD="$PWD/$BUILD/src/server/rosterd"
export ROSTERD

TMP=$(mktemp -d "${TMPDIR:-/tmp}/run-rosterd-XXXXXX")
ROSTERD_PID=
NGINX_PID=
cleanup () {
  [ -z "$NGINX_PID" ] || { kill "$NGINX_PID" 2>/dev/null || :; wait "$NGINX_PID" 2>/dev/null || :; }
  [ -z "$ROSTERD_PID" ] || { kill "$ROSTERD_PID" 2>/dev/null || :; wait "$ROSTERD_PID" 2>/dev/null || :; }
  [ -z "${POSTGRES:-}" ] || tests/harness/postgres.sh stop "$TMP/postgres" 2>/dev/null || :
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${POSTGRES:-}" ]; then
  [ -z "${KEEP:-}${SEEDED:-}" ] || { echo "POSTGRES=1 cannot keep its database: no KEEP or SEEDED"; exit 1; }
  ROSTER_TEST_POSTGRES=$(POSTGRES_DURABLE=1 tests/harness/postgres.sh start "$TMP/postgres")
  export ROSTER_TEST_POSTGRES
  echo "PostgreSQL $(pg_config --version 2>/dev/null | cut -d' ' -f2 || :): $ROSTER_TEST_POSTGRES"
fi

# 1. Seed and measure sequential latencies; the database stays in $DATA. With SEEDED=DIR
#    (a data dir an earlier run kept with KEEP=DIR), only the wrk part runs, on DIR.
if [ -n "${SEEDED:-}" ]; then
  DATA=$SEEDED
else
  DATA=${KEEP:-$TMP/data}
  mkdir -p "$DATA"
  "$BUILD/tests/bench/bench-rosterd" "$N_USERS" "$DATA" | tee "$DATA/bench.out"
fi
ID=$(sed -n 's/^id: //p' "$DATA/bench.out")
TOKEN=$(sed -n 's/^token: //p' "$DATA/bench.out")
[ -n "$ID" ] && [ -n "$TOKEN" ] || { echo "bench-rosterd did not finish"; exit 1; }
DATABASE=$(sed -n 's/^database: //p' "$DATA/bench.out")

# 2. rosterd again, on the seeded database, with $1 processes.
start_rosterd () {
  "$ROSTERD" --data-dir "$DATA" ${DATABASE:+--database "$DATABASE"} --listen 127.0.0.1:0 \
    --workers "$1" >"$TMP/rosterd.out" 2>"$TMP/rosterd.err" &
  ROSTERD_PID=$!
  i=0
  until URL=$(head -n 1 "$TMP/rosterd.out") && [ -n "$URL" ]; do
    i=$((i + 1)); [ $i -lt 200 ] || { cat "$TMP/rosterd.err"; exit 1; }
    sleep 0.1
  done
  case $URL in http://127.0.0.1:*) ;; *) echo "unexpected rosterd URL: $URL"; exit 1 ;; esac
}
stop_rosterd () {
  kill "$ROSTERD_PID"; wait "$ROSTERD_PID" || { echo "rosterd failed"; cat "$TMP/rosterd.err"; exit 1; }
  ROSTERD_PID=
}
start_rosterd 1

# 3. nginx serving one GET /Users/{id} answer, byte for byte, as a static file.
mkdir "$TMP/www" "$TMP/nginx"
# As root, nginx's worker runs as nobody: let it reach the copy (the data dir stays 0700).
chmod 755 "$TMP" "$TMP/www"
chmod 700 "$DATA"
curl -sf -H "Authorization: Bearer $TOKEN" "$URL/scim/v2/Users/$ID" -o "$TMP/www/user.json"
chmod 644 "$TMP/www/user.json"
NGINX_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_nginx () {
cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
worker_processes $1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $TMP/www;
    default_type application/scim+json;
  }
}
EOF
"$NGINX" -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" &
NGINX_PID=$!
sleep 0.5
curl -sf "http://127.0.0.1:$NGINX_PORT/user.json" | cmp -s - "$TMP/www/user.json" \
  || { echo "nginx does not serve the copy"; cat "$TMP/nginx/error.log"; exit 1; }
}
stop_nginx () {
  kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || :
  NGINX_PID=
}
stop_rosterd

# A filtered page whose literal changes with every request, as in bench-rosterd.
cat >"$TMP/filter.lua" <<'EOF'
request = function ()
  local literal = string.format ("user%04d", math.random (0, 999))
  local filter = 'userName sw "' .. literal .. '" or displayName co "' .. literal .. '"'
  filter = filter:gsub ("[^%w%-_.~]", function (c) return string.format ("%%%02X", c:byte ()) end)
  return wrk.format (nil, "/scim/v2/Users?filter=" .. filter .. "&sortBy=displayName&count=50")
end
EOF

rps () { sed -n 's/^Requests\/sec: *//p' "$1"; }
p99 () { sed -n 's/^ *99% *//p' "$1"; }
non2xx () { sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$1"; }

echo
echo "wrk -t2 -c32 -d$DURATION --latency, loopback ($(wc -c <"$TMP/www/user.json") bytes per user); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| processes | wrk -c32 | req/s | p99 | target |"
echo "|---|---|---|---|---|"
for W in $WORKERS; do
  start_nginx "$W"
  wrk -t2 -c32 -d"$DURATION" --latency "http://127.0.0.1:$NGINX_PORT/user.json" >"$TMP/wrk-nginx"
  stop_nginx
  start_rosterd "$W"
  wrk -t2 -c32 -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" \
    "$URL/scim/v2/Users/$ID" >"$TMP/wrk-get"
  # Twice: the first run starts with empty render caches (each process renders every user
  # it sends once), the second sees them filled, as a long-running rosterd would be.
  wrk -t2 -c32 -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" -s "$TMP/filter.lua" \
    "$URL" >"$TMP/wrk-filter-cold"
  wrk -t2 -c32 -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" -s "$TMP/filter.lua" \
    "$URL" >"$TMP/wrk-filter"
  stop_rosterd
  for f in wrk-nginx wrk-get wrk-filter-cold wrk-filter; do
    [ -z "$(non2xx "$TMP/$f")" ] || { echo "$f: non-2xx answers"; cat "$TMP/$f"; exit 1; }
  done
  [ -z "${VERBOSE:-}" ] || cat "$TMP/wrk-nginx" "$TMP/wrk-get" "$TMP/wrk-filter-cold" "$TMP/wrk-filter"

  NGINX_RPS=$(rps "$TMP/wrk-nginx")
  GET_RPS=$(rps "$TMP/wrk-get")
  FILTER_RPS=$(rps "$TMP/wrk-filter")
  echo "| $W | nginx, static copy of GET /Users/{id} | $NGINX_RPS | $(p99 "$TMP/wrk-nginx") | |"
  echo "| $W | rosterd GET /Users/{id} | $GET_RPS | $(p99 "$TMP/wrk-get") | ≥ 25 % of nginx: $(awk "BEGIN { printf \"%.1f %%\", 100 * $GET_RPS / $NGINX_RPS }") |"
  echo "| $W | rosterd filtered page, caches empty at the start | $(rps "$TMP/wrk-filter-cold") | $(p99 "$TMP/wrk-filter-cold") | |"
  echo "| $W | rosterd filtered page | $FILTER_RPS | $(p99 "$TMP/wrk-filter") | p99 < 20 ms, ≥ 3,800 req/s |"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
