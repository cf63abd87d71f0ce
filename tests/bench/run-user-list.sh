#!/bin/sh
# tests/bench/run-user-list.sh [N_USERS] [SCREENS_PER_FRAME]
# Builds build/ and runs the user-list benchmark in a headless session (Xvfb, cairo renderer).
# The figures go in docs/performance.md. BENCH_SEEDED=DIR uses a copy of the database that
# `KEEP=DIR tests/bench/run-rosterd.sh` seeded instead of seeding (minutes at 100,000 users).
set -eu
cd "$(dirname "$0")/../.."
[ -f build/meson-private/coredata.dat ] || meson setup build >/dev/null
meson compile -C build src/server/rosterd tests/bench/bench-user-list >/dev/null
ROSTERD="$PWD/build/src/server/rosterd" GSK_RENDERER=cairo GSETTINGS_BACKEND=memory \
  GTK_A11Y=none exec tests/harness/headless-session.sh build/tests/bench/bench-user-list "$@"
