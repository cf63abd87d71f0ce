#!/usr/bin/python3
"""Summarise meson test runs: tools/test.sh's last line, "N passed, N failed[, N skipped]".

Usage: test-summary.py [--failed-step NAME]... BUILDDIR...

For each BUILDDIR it reads every meson-logs/testlog-SETUP.json (or testlog.json without a
test setup): one JSON object per test run, one per line. A TAP test counts by its subtests, read from its stdout: "ok N" passes, "not ok N"
fails, "ok N # SKIP" (and a "1..0 # SKIP" plan) is skipped, "not ok N # TODO" is an
expected failure and counts as skipped. A TAP test that failed as a whole without a
"not ok" line (a crash, a timeout, a bail out, bad TAP) adds one failure. Other tests count
once, by their result. Each --failed-step (a build that failed, for instance) is one
failure. Exits 1 if anything failed, else 0.
"""

import glob
import json
import os
import re
import sys

TAP_LINE = re.compile(r"^(not )?ok\b\s*(\d+)?\s*-?\s*([^#]*?)\s*(?:#\s*(\w+)\b.*)?$",
                      re.IGNORECASE)
TAP_PLAN_SKIP = re.compile(r"^1\.\.0\s*#\s*skip", re.IGNORECASE)
GOOD_RESULTS = {"OK", "EXPECTEDFAIL"}
SKIP_RESULTS = {"SKIP"}


def tap_protocol_tests(builddir):
    """Names of the tests meson runs with the TAP protocol, from meson-info."""
    path = os.path.join(builddir, "meson-info", "intro-tests.json")
    try:
        with open(path, encoding="utf-8") as f:
            return {t["name"] for t in json.load(f) if t.get("protocol") == "tap"}
    except (OSError, ValueError):
        return set()


def count_tap(stdout):
    passed, failed, skipped, failures = 0, 0, 0, []
    for line in stdout.splitlines():
        line = line.strip()
        if TAP_PLAN_SKIP.match(line):
            skipped += 1
            continue
        m = TAP_LINE.match(line)
        if not m:
            continue
        not_ok, number, description, directive = m.groups()
        directive = (directive or "").upper()
        if directive == "SKIP":
            skipped += 1
        elif not_ok and directive == "TODO":
            skipped += 1
        elif not_ok:
            failed += 1
            failures.append(description or "subtest %s" % number)
        else:
            passed += 1
    return passed, failed, skipped, failures


def summarise(builddir):
    # `meson test --setup=NAME` writes testlog-NAME.json; tools/test.sh removes old ones.
    logs = sorted(glob.glob(os.path.join(builddir, "meson-logs", "testlog-*.json")))
    if not logs:
        logs = [os.path.join(builddir, "meson-logs", "testlog.json")]
    passed = failed = skipped = 0
    failures = []
    for path in logs:
        p, fl, s, names = summarise_log(builddir, path)
        passed, failed, skipped = passed + p, failed + fl, skipped + s
        failures += names
    return passed, failed, skipped, failures


def summarise_log(builddir, path):
    label = os.path.basename(os.path.normpath(builddir))
    setup = os.path.basename(path)[len("testlog-"):-len(".json")]
    if setup and setup != "headless" and os.path.basename(path) != "testlog.json":
        label += " (%s)" % setup
    tap_tests = tap_protocol_tests(builddir)
    passed = failed = skipped = 0
    failures = []
    try:
        f = open(path, encoding="utf-8", errors="replace")
    except OSError:
        return 0, 0, 0, []  # no tests ran (tools/test.sh reports why)
    with f:
        for raw in f:
            raw = raw.strip()
            if not raw:
                continue
            try:
                run = json.loads(raw)
            except ValueError:
                failed += 1
                failures.append("%s: unreadable line in testlog.json" % label)
                continue
            name = run.get("name", "?")
            # With several suites meson logs "project:suite / name"; meson-info has "name".
            short_name = name.rsplit(" / ", 1)[-1]
            result = run.get("result", "ERROR")
            stdout = run.get("stdout") or ""
            if tap_tests:
                is_tap = short_name in tap_tests
            else:  # no introspection data: recognise TAP by its plan or result lines
                is_tap = re.search(r"^(not )?ok\b|^1\.\.\d+", stdout, re.M) is not None
            if is_tap:
                p, fl, s, subfailures = count_tap(stdout)
                passed, skipped = passed + p, skipped + s
                failed += fl
                failures += ["%s: %s: %s" % (label, name, sub) for sub in subfailures]
                if result not in GOOD_RESULTS | SKIP_RESULTS and fl == 0:
                    failed += 1
                    failures.append("%s: %s (%s)" % (label, name, result))
                elif result in SKIP_RESULTS and p + fl + s == 0:
                    skipped += 1
            elif result in GOOD_RESULTS:
                passed += 1
            elif result in SKIP_RESULTS:
                skipped += 1
            else:
                failed += 1
                failures.append("%s: %s (%s)" % (label, name, result))
    return passed, failed, skipped, failures


def main(argv):
    steps, dirs = [], []
    args = iter(argv)
    for arg in args:
        if arg == "--failed-step":
            steps.append(next(args))
        else:
            dirs.append(arg)

    passed = failed = skipped = 0
    failures = list(steps)
    failed += len(steps)
    for d in dirs:
        p, fl, s, names = summarise(d)
        passed, failed, skipped = passed + p, failed + fl, skipped + s
        failures += names

    if failures:
        print("Failed:")
        for name in failures:
            print("  " + name)
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
