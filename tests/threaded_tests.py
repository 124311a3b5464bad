#!/usr/bin/env python3
"""The ctest regular expression of the tests CI runs under ThreadSanitizer.

Usage: threaded_tests.py PROBE_FILE BUILD_DIR

PROBE_FILE lists, one a line, the GoogleTest tests (as their --gtest_filter names them) that
started a thread when the release build's unit tests ran with tests/thread_probe.c preloaded;
BUILD_DIR is that build, whose ctest names the tests (a parameterised test's ctest name shows
its value where GoogleTest's shows an index). ThreadSanitizer reports races
between threads: a test that starts none has nothing for it to find. The expression matches
those tests, the command-line tests (CI narrows them to the label `threads`) and the
ThreadSanitizer canary. It fails, naming the file, when the probe recorded too few tests to be
believed (a preload that did not load, an unwritable file), rather than let the stage run
next to nothing.
"""
import json
import re
import subprocess
import sys

# The suite's multi-threaded tests numbered 99 when this was written; far fewer means the
# probe did not see them.
MINIMUM = 40
# Tests that run their journeys on several threads and must be among them.
EXPECTED = ["CalendarEngine.TheSameSeedGivesTheSameBitsForAnyThreadCount",
            "UncertainRuns.SameSeedSameResultsForAnyThreadCount"]


def cmake_escape(name):
    # CMake's regular expressions: these characters are special; a backslash makes them plain.
    return re.sub(r"([\\^$.\[\]*+?()|])", r"\\\1", name)


def ctest_names(build_dir):
    """Each GoogleTest filter of BUILD_DIR's tests, to its ctest name."""
    listing = subprocess.run(["ctest", "--test-dir", build_dir, "--show-only=json-v1"],
                             capture_output=True, text=True)
    if listing.returncode != 0:
        sys.exit(f"{build_dir}: ctest could not list the tests: {listing.stderr.strip()}")
    names = {}
    for test in json.loads(listing.stdout)["tests"]:
        for arg in test.get("command", []):
            if arg.startswith("--gtest_filter="):
                names[arg[len("--gtest_filter="):]] = test["name"]
    return names


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: threaded_tests.py PROBE_FILE BUILD_DIR")
    path, build_dir = sys.argv[1], sys.argv[2]
    try:
        with open(path, encoding="utf-8") as f:
            filters = sorted({line.strip() for line in f if line.strip()})
    except OSError as e:
        sys.exit(f"{path}: cannot read the thread probe's list: {e.strerror}")
    known = ctest_names(build_dir)
    unknown = [f for f in filters if f not in known]
    if unknown:
        sys.exit(f"{path}: the thread probe recorded tests {build_dir} does not have: "
                 f"{', '.join(unknown[:5])}")
    names = sorted(known[f] for f in filters)
    if len(names) < MINIMUM:
        sys.exit(f"{path}: the thread probe recorded {len(names)} tests that start a thread, "
                 f"fewer than {MINIMUM}: was tests/thread_probe.c preloaded into the unit tests?")
    missing = [name for name in EXPECTED if name not in names]
    if missing:
        sys.exit(f"{path}: the thread probe did not record {', '.join(missing)}, which start "
                 "threads")
    alternatives = [r"cli\..*", r"ThreadSanitizer\..*"] + [cmake_escape(n) for n in names]
    print("^(" + "|".join(alternatives) + ")$")


if __name__ == "__main__":
    main()
