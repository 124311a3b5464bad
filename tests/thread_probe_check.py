#!/usr/bin/env python3
"""CI's choice of ThreadSanitizer tests holds: tests/thread_probe.c records a GoogleTest test
that starts threads, and the test behind a process it started that starts threads, and not a
test or process that starts none; tests/threaded_tests.py turns the names into a ctest
expression that selects exactly those tests (a parameterised one by its ctest name), and
refuses a list too short to be believed or naming a test the build lacks.

Usage: thread_probe_check.py CJSIM_TESTS PROBE_LIBRARY BUILD_DIR SOURCE_DIR
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "cli", "lib"))
from cli_checks import check, finish  # noqa: E402

tests, probe, build_dir, source = sys.argv[1:5]
script = os.path.join(source, "tests", "threaded_tests.py")
THREADED = "Comparison.IdenticalFutureGivesExactlyZeroDifferences"
ONE_THREAD = "ScenarioLoader.GoodScenarioLoadsEveryField"
PARAMETERISED = ("RandomJourneys/ClosedForm."
                 "SimulationMatchesFundamentalMatrixWithinFourStandardErrors/0")


def recorded(filter_):
    with tempfile.TemporaryDirectory() as directory:
        out = os.path.join(directory, "threaded.txt")
        env = dict(os.environ, CJSIM_THREAD_PROBE_OUT=out, LD_PRELOAD=probe)
        done = subprocess.run([tests, f"--gtest_filter={filter_}"], env=env,
                              capture_output=True, text=True, timeout=120)
        check(done.returncode == 0, f"{filter_}: exit {done.returncode}: {done.stderr[-2000:]}")
        if not os.path.exists(out):
            return []
        with open(out, encoding="utf-8") as f:
            return f.read().split("\n")[:-1]


check(recorded(THREADED) == [THREADED], f"{THREADED} starts threads: not recorded as it should be")
check(recorded(ONE_THREAD) == [], f"{ONE_THREAD} starts no thread, yet was recorded")
parent_name = "Parent.StartsAProcessThatStartsThreads"
with tempfile.TemporaryDirectory() as directory:
    out = os.path.join(directory, "threaded.txt")
    env = dict(os.environ, CJSIM_THREAD_PROBE_OUT=out, LD_PRELOAD=probe,
               CJSIM_THREAD_PROBE_TEST=parent_name)
    # A process with no filter of its own (a `cjsim` a test runs) reports its parent test.
    subprocess.run([tests, "--gtest_list_tests"], env=env, capture_output=True, timeout=60)
    check(not os.path.exists(out), "a process that starts no thread was recorded")
    helper = [sys.executable, "-c", "import threading; t = threading.Thread(target=print); "
              "t.start(); t.join()"]
    subprocess.run(helper, env=env, capture_output=True, timeout=60)
    check(os.path.exists(out) and open(out, encoding="utf-8").read() == parent_name + "\n",
          "a process a test started reports that test")

# The expression: the recorded tests, by their ctest names, and nothing else of the unit tests.
with tempfile.TemporaryDirectory() as directory:
    listing = os.path.join(directory, "threaded.txt")
    everything = subprocess.run([tests, "--gtest_list_tests"], capture_output=True, text=True,
                                timeout=60).stdout
    names, suite = [], ""
    for line in everything.splitlines():
        if not line.startswith(" "):
            suite = line.strip()
        else:
            names.append(suite + line.split()[0])
    chosen = names[::7]
    for name in [PARAMETERISED, "CalendarEngine.TheSameSeedGivesTheSameBitsForAnyThreadCount",
                 "UncertainRuns.SameSeedSameResultsForAnyThreadCount"]:
        if name not in chosen:
            chosen.append(name)
    with open(listing, "w", encoding="utf-8") as f:
        f.write("\n".join(chosen + chosen[:3]) + "\n")
    made = subprocess.run([sys.executable, script, listing, build_dir], capture_output=True,
                          text=True, timeout=120)
    check(made.returncode == 0, f"threaded_tests.py failed: {made.stderr}")
    selected = subprocess.run(["ctest", "--test-dir", build_dir, "-N", "-L", "unit", "-R",
                               made.stdout.strip()], capture_output=True, text=True, timeout=120)
    count = re.search(r"Total Tests: (\d+)", selected.stdout)
    check(count is not None and int(count.group(1)) == len(set(chosen)),
          f"the expression selects {count.group(1) if count else '?'} unit tests, "
          f"not the {len(set(chosen))} listed")
    check("FourStandardErrors/1" in selected.stdout,
          "the parameterised test (index 0, value 1) is selected by its ctest name")

    with open(listing, "w", encoding="utf-8") as f:
        f.write(THREADED + "\n")
    short = subprocess.run([sys.executable, script, listing, build_dir], capture_output=True,
                           text=True, timeout=120)
    check(short.returncode != 0 and listing in short.stderr and "fewer than" in short.stderr,
          f"a one-test list is refused naming the file: {short.returncode} {short.stderr}")
    with open(listing, "w", encoding="utf-8") as f:
        f.write("\n".join(names[:60] + ["NoSuchSuite.NoSuchTest"]) + "\n")
    unknown = subprocess.run([sys.executable, script, listing, build_dir], capture_output=True,
                             text=True, timeout=120)
    check(unknown.returncode != 0 and "NoSuchSuite.NoSuchTest" in unknown.stderr,
          f"a name the build lacks is refused: {unknown.returncode} {unknown.stderr}")

finish("thread_probe")
