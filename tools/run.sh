#!/bin/sh
# tools/run.sh - the README's run command: build, then start Roster from the build tree.
#
# The app starts its own local rosterd from the build tree (ROSTER_ROSTERD) and reads its
# GSettings schema from build/data, so nothing needs installing. Arguments go to the app.
# It needs a desktop session; for a headless try:
#   tests/harness/headless-session.sh ./tools/run.sh
set -eu
cd "$(dirname "$0")/.."

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "tools/run.sh: Roster is a desktop app and needs a graphical session" >&2
  echo "(neither DISPLAY nor WAYLAND_DISPLAY is set). Run it from a desktop, or try it" >&2
  echo "headless: tests/harness/headless-session.sh ./tools/run.sh" >&2
  exit 1
fi

./tools/install-deps.sh
if [ ! -f build/meson-private/coredata.dat ]; then
  meson setup build
fi
meson compile -C build

ROSTER_ROSTERD="$PWD/build/src/server/rosterd" GSETTINGS_SCHEMA_DIR="$PWD/build/data" \
  exec ./build/src/app/roster "$@"
