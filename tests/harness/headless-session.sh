#!/bin/bash
# headless-session.sh - run one command in a private, throwaway headless desktop session.
#
# Usage: tests/harness/headless-session.sh [--no-keyring] [--keep] [-v] [--] COMMAND [ARGS...]
#
# Starts, for the lifetime of COMMAND only:
#   1. Xvfb on a display it picks itself (-displayfd: parallel sessions never race),
#      guarded by a fresh MIT-MAGIC-COOKIE in a private XAUTHORITY; no TCP.
#   2. A private D-Bus session bus, started *after* DISPLAY, XAUTHORITY and XDG_* are
#      exported, so services it activates (at-spi2-registryd, gcr-prompter…) can reach X.
#   3. gnome-keyring-daemon (secrets only), unlocked with a non-empty password: that creates
#      an unlocked "login" collection, the "default" alias libsecret stores to. No prompts.
#   4. The AT-SPI bus (at-spi-bus-launcher --launch-immediately), so GTK 4 exports its
#      accessibility tree and pyatspi can drive the app.
# COMMAND gets DISPLAY, XAUTHORITY, DBUS_SESSION_BUS_ADDRESS, private XDG_RUNTIME_DIR,
# XDG_DATA_HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME, GDK_BACKEND=x11, GSK_RENDERER=cairo
# (unless set) and ROSTER_TEST_SESSION_DIR (the session directory: logs, keyrings; it is
# deleted afterwards unless --keep). GSETTINGS_BACKEND is left as the caller set it.
#
# Options and environment:
#   --no-keyring, ROSTER_TEST_NO_KEYRING=1
#       No keyring *and* a bus that activates no services, so libsecret fails at once with
#       G_DBUS_ERROR_SERVICE_UNKNOWN. (A bus that can activate gnome-keyring with no unlocked
#       keyring would make the first store wait forever on a password prompt.)
#   --keep, ROSTER_TEST_KEEP_SESSION=1   keep the session directory and print its path
#   -v, ROSTER_TEST_SESSION_VERBOSE=1    report each step on stderr
#   ROSTER_TEST_KEYRING_PASSWORD         password of the throwaway keyring
#
# Exit status: COMMAND's; 125 if the session could not be set up; 129/130/143 on
# SIGHUP/SIGINT/SIGTERM (COMMAND's process tree gets SIGTERM first).
#
# This is the exe_wrapper of `meson test --setup=headless`, so each test gets its own
# session. Hence: nothing but COMMAND writes to stdout (TAP), and everything started here
# is stopped by PID, never by name. Debian packages: xvfb xauth dbus-daemon dbus-bin
# gnome-keyring at-spi2-core (util-linux provides mcookie).

# Functions run from traps and wait_until look unreachable to shellcheck:
# shellcheck disable=SC2317
set -u

want_keyring=1
keep=0
verbose=0
case "${ROSTER_TEST_NO_KEYRING:-0}" in 0 | '') ;; *) want_keyring=0 ;; esac
case "${ROSTER_TEST_KEEP_SESSION:-0}" in 0 | '') ;; *) keep=1 ;; esac
case "${ROSTER_TEST_SESSION_VERBOSE:-0}" in 0 | '') ;; *) verbose=1 ;; esac

while [ $# -gt 0 ]; do
  case "$1" in
    --no-keyring) want_keyring=0 ;;
    --keep) keep=1 ;;
    -v | --verbose) verbose=1 ;;
    -h | --help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) echo "headless-session: unknown option $1 (see --help)" >&2; exit 125 ;;
    *) break ;;
  esac
  shift
done

log() { [ "$verbose" = 0 ] || echo "headless-session: $*" >&2; }
die() { echo "headless-session: $*" >&2; exit 125; } # the EXIT trap tears down

[ $# -gt 0 ] || die "no command given (see --help)"
atspi_launcher=
for p in /usr/libexec/at-spi-bus-launcher /usr/lib/at-spi2-core/at-spi-bus-launcher; do
  [ -x "$p" ] && { atspi_launcher=$p; break; }
done
[ -n "$atspi_launcher" ] || die "missing at-spi-bus-launcher (Debian package at-spi2-core)"
for tool in Xvfb xauth mcookie dbus-daemon dbus-send gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || die "missing $tool (run tools/install-deps.sh)"
done

# ------------------------------------------------------------------------ bookkeeping
# Unix socket paths must stay under 108 bytes: use /tmp if TMPDIR is deep in a CI workspace.
tmp_base=${TMPDIR:-/tmp}
[ ${#tmp_base} -le 40 ] || tmp_base=/tmp
session_dir=$(mktemp -d "$tmp_base/roster-session.XXXXXX") || die "mktemp failed"
started=() # PIDs we started, oldest first
xvfb_pid='' bus_pid='' cmd_pid=''

# True while PID exists and is not a zombie (a zombie still answers kill -0).
alive() {
  local s
  { read -r s <"/proc/$1/stat"; } 2>/dev/null || return 1
  s=${s##*) } # skip "pid (comm) ": comm may contain spaces
  [ "${s%% *}" != Z ]
}

# Every live process of this session but ourselves. They all inherited
# ROSTER_TEST_SESSION_DIR=$session_dir, whoever started them: this script, COMMAND, the bus
# activating a service (gnome-keyring, gcr-prompter, at-spi2-registryd…), or an orphan that
# COMMAND left behind (a test's rosterd, say). No process outside the session has it, so this
# finds exactly ours, by PID, even once reparented to init. (A process that wipes its
# environment escapes this; the daemons started here are also stopped by PID below.)
session_pids() {
  local dir pid var marker="ROSTER_TEST_SESSION_DIR=$session_dir"
  # Pure bash: a helper process (grep, cat) would carry the marker itself.
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [ "$pid" != "$$" ] || continue
    while IFS= read -r -d '' var; do
      [ "$var" != "$marker" ] || { ! alive "$pid" || echo "$pid"; break; }
    done 2>/dev/null <"$dir/environ"
  done
}

# SIGTERM the given PIDs, give them up to 3 s together, SIGKILL what is left, reap ours.
stop_pids() {
  local pid i left
  [ $# -gt 0 ] || return 0
  log "stopping $*"
  kill -TERM "$@" 2>/dev/null
  for ((i = 0; i < 30; i++)); do
    left=
    for pid in "$@"; do alive "$pid" && left="$left $pid"; done
    [ -n "$left" ] || break
    sleep 0.1
  done
  # shellcheck disable=SC2086 # a list of PIDs
  [ -z "$left" ] || { log "SIGKILL to$left"; kill -KILL $left 2>/dev/null; }
  for pid in "$@"; do wait "$pid" 2>/dev/null; done
  return 0
}

teardown() {
  local pass pid pids=()
  # Ignore further signals (timeout(1) and meson signal the whole process group, so a
  # second one often follows the first): teardown is bounded, and must not stop halfway.
  trap - EXIT
  trap '' INT TERM HUP
  # Everything but Xvfb: COMMAND's leftovers, AT-SPI, the keyring, activated services, the
  # bus. Sweep again in case a dying client made the bus activate something. Xvfb goes
  # last, so clients never see the X server vanish under them.
  for pass in 1 2 3; do
    pids=()
    for pid in $(session_pids); do [ "$pid" = "$xvfb_pid" ] || pids+=("$pid"); done
    if [ "$pass" = 1 ]; then
      # Our own children too, in case one wiped its environment. Unreaped, their PIDs
      # cannot have been reused yet.
      for pid in "${started[@]}"; do
        [ "$pid" = "$xvfb_pid" ] || ! alive "$pid" || pids+=("$pid")
      done
    fi
    [ ${#pids[@]} -gt 0 ] || break
    # shellcheck disable=SC2046 # a list of PIDs
    stop_pids $(printf '%s\n' "${pids[@]}" | sort -u)
  done
  [ -z "$xvfb_pid" ] || stop_pids "$xvfb_pid"
  if [ "$keep" = 1 ]; then
    echo "headless-session: session directory kept: $session_dir" >&2
  else
    # A service that is just exiting may still be removing its socket: retry once.
    rm -rf "$session_dir" 2>/dev/null || { sleep 0.5; rm -rf "$session_dir"; }
  fi
}
trap 'rc=$?; teardown; exit $rc' EXIT

# On a signal (Ctrl-C, meson's timeout, a CI job limit) exit: teardown then stops COMMAND's
# whole tree with the rest (a background job of a non-interactive shell ignores SIGINT, and
# signals are not passed on to children by themselves).
on_signal() {
  log "got SIG$1"
  case $1 in INT) exit 130 ;; HUP) exit 129 ;; *) exit 143 ;; esac
}
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP

# Poll a command for up to $1 seconds.
wait_until() {
  local deadline=$(($(date +%s%N) + $1 * 1000000000))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s%N)" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

# Print a log file of ours on stderr and give up.
fail_with_log() { cat "$session_dir/$1" >&2; die "$2"; }

# The daemons run without the test-only debugging environment: G_DEBUG=fatal-warnings would
# turn any warning of gnome-keyring or at-spi into a crash that looks like a test failure.
# (The bus hands its own environment to the services it activates, hence also for it.)
# Only for background jobs: it execs, so that $! is the daemon itself.
daemon() { exec env -u G_DEBUG -u G_SLICE -u MALLOC_CHECK_ -u MALLOC_PERTURB_ -u LD_PRELOAD "$@"; }

# ------------------------------------------------------------------------ environment
export ROSTER_TEST_SESSION_DIR="$session_dir"
export XDG_RUNTIME_DIR="$session_dir/runtime" XDG_DATA_HOME="$session_dir/data" \
       XDG_CONFIG_HOME="$session_dir/config" XDG_CACHE_HOME="$session_dir/cache"
mkdir -m 700 "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" \
  || die "cannot create the session directories"
# Nothing of an outer desktop session may leak in.
unset WAYLAND_DISPLAY DISPLAY DBUS_SESSION_BUS_ADDRESS AT_SPI_BUS_ADDRESS GNOME_KEYRING_CONTROL \
      SSH_AUTH_SOCK SESSION_MANAGER NO_AT_BRIDGE
export GDK_BACKEND=x11
export GSK_RENDERER="${GSK_RENDERER:-cairo}" # fast, no GL stack, deterministic pixels

# ------------------------------------------------------------------------ 1. Xvfb
export XAUTHORITY="$session_dir/Xauthority"
cookie=$(mcookie) || die "mcookie failed"
# Xvfb trusts every cookie in -auth whatever display it is listed for, so a placeholder
# entry does until we know the display number.
xauth -q -f "$XAUTHORITY" add :65535 MIT-MAGIC-COOKIE-1 "$cookie" 2>/dev/null
# Xvfb writes the display number to fd 3 once it accepts connections. -noreset: by default
# Xvfb resets when its last client leaves, and a client connecting during the reset gets
# "cannot open display" -- which is what an app restarted right after quitting met whenever
# nothing else (no keyring, no AT-SPI registry) held a connection.
daemon Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset -auth "$XAUTHORITY" \
  3>"$session_dir/display" </dev/null >"$session_dir/xvfb.log" 2>&1 &
xvfb_pid=$!
started+=("$xvfb_pid")
wait_until 20 test -s "$session_dir/display" || fail_with_log xvfb.log "Xvfb did not start"
DISPLAY=":$(tr -d '\n' <"$session_dir/display")"
export DISPLAY
xauth -q -f "$XAUTHORITY" add "$DISPLAY" MIT-MAGIC-COOKIE-1 "$cookie"
log "Xvfb $xvfb_pid on $DISPLAY"

# ------------------------------------------------------------------------ 2. session bus
bus_args=(--session)
if [ "$want_keyring" = 0 ]; then
  # A session bus without <servicedir> or <standard_session_servicedirs/>: it activates
  # nothing, so org.freedesktop.secrets is ServiceUnknown at once.
  cat >"$session_dir/bus.conf" <<'EOF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
  bus_args=(--config-file="$session_dir/bus.conf")
fi
export DBUS_SESSION_BUS_ADDRESS="unix:path=$session_dir/bus"
daemon dbus-daemon "${bus_args[@]}" --nofork --nopidfile --nosyslog \
  --address="$DBUS_SESSION_BUS_ADDRESS" </dev/null >"$session_dir/dbus.log" 2>&1 &
bus_pid=$!
started+=("$bus_pid")
bus_call() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    "org.freedesktop.DBus.$1" ${2:+"string:$2"}
}
wait_until 20 bus_call GetId || fail_with_log dbus.log "dbus-daemon did not start"
log "dbus-daemon $bus_pid at $DBUS_SESSION_BUS_ADDRESS"

# ------------------------------------------------------------------------ 3. keyring
if [ "$want_keyring" = 1 ]; then
  # --foreground: no fork, so $! is the daemon. --unlock reads the password from stdin and
  # creates $XDG_DATA_HOME/keyrings/login.keyring with it. An empty password creates no
  # keyring at all, and the first store then waits on a prompt.
  printf '%s' "${ROSTER_TEST_KEYRING_PASSWORD:-roster-test-keyring}" \
    | daemon gnome-keyring-daemon --foreground --unlock --components=secrets \
      >"$session_dir/keyring.log" 2>&1 &
  started+=("$!")
  has_secrets() { bus_call NameHasOwner org.freedesktop.secrets | grep -q 'boolean true'; }
  wait_until 20 has_secrets || fail_with_log keyring.log "gnome-keyring-daemon did not start"
  log "gnome-keyring-daemon $! owns org.freedesktop.secrets"
fi

# ------------------------------------------------------------------------ 4. AT-SPI
# Started even with --no-keyring: that bus cannot activate org.a11y.Bus, and GTK would warn
# (fatal in tests) that it has no accessibility bus. The launcher starts the a11y bus now and
# publishes it on our session bus; the registry daemon is activated on the a11y bus, with our
# DISPLAY, so it can synthesize input through XTest.
daemon "$atspi_launcher" --launch-immediately </dev/null >"$session_dir/atspi.log" 2>&1 &
started+=("$!")
a11y_ready() {
  dbus-send --session --print-reply --dest=org.a11y.Bus /org/a11y/bus org.a11y.Bus.GetAddress \
    | grep -q 'unix:'
}
wait_until 20 a11y_ready || fail_with_log atspi.log "the AT-SPI bus did not start"
log "at-spi-bus-launcher $!"

# ------------------------------------------------------------------------ the command
log "running: $*"
# In the background, so the signal traps can run while we wait; 0<&0 keeps the caller's
# stdin (a non-interactive shell would give a background job /dev/null).
"$@" 0<&0 &
cmd_pid=$!
wait "$cmd_pid"
rc=$?
cmd_pid=
log "command exited with $rc"
exit "$rc" # the EXIT trap tears down and keeps $rc
