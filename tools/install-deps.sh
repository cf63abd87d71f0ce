#!/bin/sh
# Installs the Debian 12 packages Roster needs to build, run and test.
# Idempotent: when everything is present it only runs dpkg-query (well under a second).
set -eu

packages="
  build-essential meson ninja-build pkg-config gettext iso-codes
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  libgdk-pixbuf-2.0-dev libsqlite3-dev libargon2-dev libpwquality-dev libpwquality-common cracklib-runtime
  libcurl4-openssl-dev python3-aiosmtpd
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

[ -z "$missing" ] && exit 0

echo "roster: installing Debian packages:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
