#!/bin/bash
# tools/test.sh - the project's test command (README: ./tools/test.sh).
#
# From a clean clone, as root or as a user with sudo:
#   1. installs the Debian packages (tools/install-deps.sh);
#   2. builds build/ with --werror;
#   3. runs every suite there, each test in its own headless session
#      (Xvfb + private D-Bus + unlocked gnome-keyring + AT-SPI: tests/harness/), then the
#      server suite (and the ui-postgres tests) again against a private PostgreSQL
#      (tests/harness/postgres.sh);
#   4. builds build-sanitize/ with ASan + UBSan (no app) and runs the unit, server
#      and client suites there, headless too (the client needs a keyring);
#   5. prints the failures and, as the very last line, "N passed, N failed[, N skipped]".
# Exits non-zero if a build or a test failed. Long logs stay in the build dirs.
#
# Environment: ROSTER_TEST_JOBS (default 2) tests at a time; ROSTER_TEST_SKIP_SANITIZE=1
# skips steps 4 (for a quick local run; CI never sets it).

set -u
cd "$(dirname "$0")/.." || exit 1

python=/usr/bin/python3 # Debian's: PATH may hold a pyenv/venv python without system modules
jobs=${ROSTER_TEST_JOBS:-2}
failed_steps=()
ran_dirs=()

say() { printf '\n==> %s\n' "$*"; }

# Run a command with its output in a log file; on failure show the end of the log.
logged() {
  local log=$1
  shift
  if "$@" >"$log" 2>&1; then
    return 0
  fi
  echo "FAILED: $* (full log: $log)"
  # The errors, without the compiler command lines; else the end of the log.
  if grep -qE '(^FAILED|error|ERROR)' "$log"; then
    grep -E '^FAILED|: error:|ERROR' "$log" | cut -c1-200 | head -n 20
  else
    tail -n 30 "$log" | cut -c1-200
  fi | sed 's/^/    /'
  return 1
}

# setup_build DIR ARGS...: configure DIR, or reconfigure it with ARGS if it exists.
setup_build() {
  local dir=$1
  shift
  mkdir -p "$dir"
  if [ -f "$dir/meson-private/coredata.dat" ]; then
    logged "$dir/test-sh-setup.log" meson setup --reconfigure "$dir" "$@" \
      || logged "$dir/test-sh-setup.log" meson setup --wipe "$dir" "$@"
  else
    logged "$dir/test-sh-setup.log" meson setup "$dir" "$@"
  fi
}

# run_suites DIR MESON-TEST-ARGS...: run the tests; print one line per test, keep the rest.
# $setup (default headless) names the meson test setup, and the log the summary reads.
run_suites() {
  local dir=$1 out rc s=${setup:-headless}
  shift
  out="$dir/test-sh-meson-test-$s.log"
  rm -f "$dir/meson-logs/testlog-$s.json" # the summary reads what this run writes
  meson test -C "$dir" --setup="$s" --print-errorlogs --num-processes "$jobs" "$@" \
    >"$out" 2>&1
  rc=$?
  # meson's own per-test lines ("1/4 test-error  OK  0.01s  11 subtests passed").
  sed -n '/^Summary of Failures/q; /^ *[0-9]*\/[0-9]* /p' "$out" | sed 's/^/  /'
  if ! ls "$dir/meson-logs/testlog-$s.json" >/dev/null 2>&1; then
    if grep -q 'No suitable tests defined\|No tests defined' "$out"; then
      echo "  (no tests)"
    else
      echo "FAILED: meson test in $dir (full log: $out)"
      tail -n 20 "$out" | sed 's/^/    /'
      failed_steps+=("$dir: meson test did not run (see $out)")
    fi
  elif [ "$rc" -ne 0 ]; then
    echo "  Failures and their logs: $out, $dir/meson-logs/testlog-$s.txt"
  fi
  case " ${ran_dirs[*]} " in *" $dir "*) ;; *) ran_dirs+=("$dir") ;; esac
}

# ------------------------------------------------------------------ 1. dependencies
say "Installing dependencies"
if ! ./tools/install-deps.sh; then
  failed_steps+=("install-deps")
fi

# ------------------------------------------------------------------ 2.-3. main build
say "Building build/ (--werror)"
if setup_build build --werror -Dtest_clock=true && logged build/test-sh-compile.log meson compile -C build; then
  say "Testing build/ (all suites, headless)"
  rm -f build/meson-logs/testlog*.json
  run_suites build
  # The server suite again, with every rosterd's data in a private PostgreSQL, and the app's
  # pages that check what a database outage looks like (suite ui-postgres).
  say "Testing build/ (server suite and ui-postgres on PostgreSQL)"
  if tests/harness/postgres.sh start "$PWD/build/postgres" >build/test-sh-postgres.log 2>&1; then
    setup=postgres run_suites build --suite server --suite ui-postgres
    tests/harness/postgres.sh stop "$PWD/build/postgres" >>build/test-sh-postgres.log 2>&1
  else
    echo "FAILED: PostgreSQL did not start (see build/test-sh-postgres.log)"
    failed_steps+=("PostgreSQL did not start (see build/test-sh-postgres.log)")
  fi
else
  failed_steps+=("build: setup or compile (see build/test-sh-*.log)")
fi

# ------------------------------------------------------------------ 4. sanitizers
# GLib 2.74 still has GSlice: always-malloc makes every block visible to ASan and LSan.
# Leak detection is on, with tests/harness/lsan.supp for what GLib keeps on purpose.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:detect_leaks=1:fast_unwind_on_malloc=0"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/harness/lsan.supp:print_suppressions=0"
export G_SLICE=always-malloc
case "${ROSTER_TEST_SKIP_SANITIZE:-0}" in
  0 | '')
    say "Building build-sanitize/ (ASan + UBSan, no app)"
    if setup_build build-sanitize -Db_sanitize=address,undefined -Db_lundef=false -Dapp=false -Dtest_clock=true \
         --werror \
       && logged build-sanitize/test-sh-compile.log meson compile -C build-sanitize; then
      say "Testing build-sanitize/ (unit, server, client; headless)"
      rm -f build-sanitize/meson-logs/testlog*.json
      run_suites build-sanitize --suite unit --suite server --suite client
    else
      failed_steps+=("build-sanitize: setup or compile (see build-sanitize/test-sh-*.log)")
    fi
    ;;
  *) say "Skipping the sanitizer build (ROSTER_TEST_SKIP_SANITIZE is set)" ;;
esac
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS G_SLICE

# ------------------------------------------------------------------ 5. summary
say "Summary"
summary_args=()
for step in "${failed_steps[@]}"; do summary_args+=(--failed-step "$step"); done
if [ -x "$python" ]; then
  "$python" tests/harness/test-summary.py "${summary_args[@]}" "${ran_dirs[@]}"
  exit $?
fi
# Without Python (install-deps failed) there is nothing to parse the logs with.
echo "Failed:"
echo "  $python is missing (run tools/install-deps.sh)"
for step in "${failed_steps[@]}"; do echo "  $step"; done
echo "0 passed, $((${#failed_steps[@]} + 1)) failed"
exit 1
