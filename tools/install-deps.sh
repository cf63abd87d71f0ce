#!/bin/sh
# Installs the Debian 12 packages Roster needs to build, run and test.
# Idempotent: when everything is present it only runs dpkg-query and pkg-config (about a
# second).
set -eu

packages="
  build-essential meson ninja-build pkg-config gettext iso-codes
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  libgdk-pixbuf-2.0-dev libsqlite3-dev libargon2-dev libgnutls28-dev libpwquality-dev libpwquality-common cracklib-runtime
  libcurl4-openssl-dev python3-aiosmtpd libpq-dev postgresql
  desktop-file-utils appstream
  xvfb xauth dbus-daemon dbus-bin gnome-keyring at-spi2-core libsecret-tools
  python3 python3-gi python3-pyatspi imagemagick fonts-cantarell curl procps
  openssl
"

missing=""
for p in $packages; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  case "$status" in
    ii*) ;;
    *) missing="$missing $p" ;;
  esac
done

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

if [ -n "$missing" ]; then
  echo "roster: installing Debian packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# GIO's module cache is written by a dpkg trigger; an image built without running triggers
# lacks it. Without the cache every process that resolves a proxy (each libsoup request)
# loads every GIO module eagerly, which is slower and leaks one GIOModule per module in
# GLib 2.74 (tests/harness/lsan.supp). Write it as the trigger would have.
gio_modules=$(pkg-config --variable=giomoduledir gio-2.0 2>/dev/null || true)
querymodules=$(pkg-config --variable=gio_querymodules gio-2.0 2>/dev/null || true)
if [ -n "$gio_modules" ] && [ -x "$querymodules" ] \
  && ls "$gio_modules"/*.so >/dev/null 2>&1 && [ ! -s "$gio_modules/giomodule.cache" ]; then
  echo "roster: writing the missing $gio_modules/giomodule.cache" >&2
  $SUDO "$querymodules" "$gio_modules"
fi
