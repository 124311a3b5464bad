"""Hostile requests on the command line: a billion agents, a 1 GiB file, deep nesting, and
conversion rates of exactly 0% and 100% (the intervals must stay correct there).

Usage: hostile.py CJSIM SOURCE_DIR
"""
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time

cjsim, source = sys.argv[1], sys.argv[2]
data = os.path.join(source, "tests", "data")
tiny = os.path.join(data, "tiny.yaml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish, runner  # noqa: E402


run = runner(cjsim, timeout=120)


# A billion agents with per-agent records would need ~100 GiB: refused before anything runs.
start = time.monotonic()
with tempfile.TemporaryDirectory() as directory:
    out = os.path.join(directory, "r.h5")
    r = run("run", tiny, "--agents", "1000000000", "--agents-detail", "--out", out)
    check(r.returncode == 1 and "--agents-detail" in r.stderr and "GiB" in r.stderr,
          f"a billion agents with --agents-detail: exit {r.returncode}: {r.stderr}")
    check(not os.path.exists(out), "a refused run wrote its output")
check(time.monotonic() - start < 10, "refusing a billion detailed agents took too long")

# Without records a billion agents is just a long run: it starts, and Ctrl-C stops it.
process = subprocess.Popen([cjsim, "run", tiny, "--agents", "1000000000"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
time.sleep(2.0)
check(process.poll() is None, "a billion agents did not start running")
process.send_signal(signal.SIGINT)
stdout, stderr = process.communicate(timeout=60)
check(process.returncode == 130 and "interrupted" in stderr,
      f"Ctrl-C on a billion agents: exit {process.returncode}: {stderr}")
check(stdout == "", "an interrupted run printed results")

# The agent count is bounded on the command line too.
r = run("run", tiny, "--agents", "1000000000000000000000")
check(r.returncode == 2, f"an agent count beyond 64 bits: exit {r.returncode}")

with tempfile.TemporaryDirectory() as directory:
    huge = os.path.join(directory, "huge.yaml")
    with open(huge, "wb") as f:
        f.write(b"name: ")
        f.truncate(1 << 30)  # sparse: 1 GiB on one line
    start = time.monotonic()
    r = run("validate", huge)
    check(r.returncode == 1 and "larger than 32 MiB" in r.stderr,
          f"1 GiB file: exit {r.returncode}: {r.stderr[:300]}")
    check(time.monotonic() - start < 10, "refusing a 1 GiB file took too long")

    deep = os.path.join(directory, "deep.yaml")
    with open(deep, "w") as f:
        f.write("name: " + "[" * 200000 + "]" * 200000 + "\n")
    r = run("run", deep)
    check(r.returncode == 1 and "levels deep" in r.stderr,
          f"deep nesting: exit {r.returncode}: {r.stderr[:300]}")

# Wilson intervals at the edges: [0, >0] at 0%, [<1, 1] at 100%.
for name, rate in [("never_converts.yaml", 0.0), ("always_converts.yaml", 1.0)]:
    r = run("run", os.path.join(data, "edges", name), "--agents", "5000", "--json")
    check(r.returncode == 0, f"{name}: exit {r.returncode}: {r.stderr}")
    if r.returncode != 0:
        continue
    out = json.loads(r.stdout)
    low, high = out["conversion_rate_ci"]
    check(out["conversion_rate"] == rate, f"{name}: conversion rate {out['conversion_rate']}")
    if rate == 0.0:
        check(low == 0.0 and 0.0 < high < 0.01, f"{name}: interval [{low}, {high}]")
    else:
        check(high == 1.0 and 0.99 < low < 1.0, f"{name}: interval [{low}, {high}]")
    for key, value in out.items():
        if isinstance(value, float):
            check(math.isfinite(value) or key.startswith(("hours_to_convert", "nps",
                                                          "likelihood_to_recommend")),
                  f"{name}: {key} is {value}")

finish("hostile")
