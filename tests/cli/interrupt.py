"""Ctrl-C and SIGTERM at random moments of `cjsim run` and `cjsim compare` with --out: each
attempt ends with exit code 130 (interrupted), 0 (it had finished), or death by the signal
itself (it came before cjsim took over the signals, while loading, or after it let them go,
once the file was in place); the output file is then either absent or complete and valid, and
no temporary file is left behind.

Usage: interrupt.py CJSIM SOURCE_DIR [ATTEMPTS]
"""
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

import h5py

cjsim, source = sys.argv[1], sys.argv[2]
attempts = int(sys.argv[3]) if len(sys.argv) > 3 else 6
examples = os.path.join(source, "scenarios", "examples")
retail = os.path.join(examples, "retail.yaml")
future = os.path.join(examples, "retail_one_click_checkout.yaml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish  # noqa: E402
outcomes = {}


def valid_run_group(group, agents):
    return (group.attrs.get("format") == "cjsim-run" and int(group.attrs["agents"]) == agents
            and "headline" in group and "raw" in group)


def attempt(command, index, rng):
    agents = rng.choice([20_000, 2_000_000, 50_000_000])
    delay = rng.uniform(0.0, 1.5)
    sig = rng.choice([signal.SIGINT, signal.SIGTERM])
    with tempfile.TemporaryDirectory() as directory:
        out = os.path.join(directory, "results.h5")
        scenarios = [retail] if command == "run" else [retail, future]
        process = subprocess.Popen(
            [cjsim, command, *scenarios, "--agents", str(agents), "--threads", "2", "--out", out],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        process.send_signal(sig)
        try:
            _, stderr = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            failures.append(f"{command} #{index}: still running 120 s after {sig.name}")
            return
        code = process.returncode
        what = f"{command} #{index} ({agents} agents, {sig.name} after {delay:.2f} s, exit {code})"
        check(code in (0, 130, -sig), f"{what}: unexpected exit code; stderr: {stderr}")
        outcomes[code] = outcomes.get(code, 0) + 1
        # listdir, not glob: temporaries are hidden (dot) files.
        leftovers = [name for name in os.listdir(directory) if name != "results.h5"]
        check(not leftovers, f"{what}: left {leftovers}")
        if code == 130:
            check(not os.path.exists(out), f"{what}: stopped cleanly but wrote {out}")
            check("interrupted" in stderr, f"{what}: no message: {stderr}")
            return
        if code != 0 and not os.path.exists(out):
            return
        # Finished, or killed by a signal that came once the file was in place: whole.
        check(os.path.exists(out), f"{what}: finished without writing {out}")
        with h5py.File(out, "r") as f:
            if command == "run":
                check(valid_run_group(f, agents), f"{what}: incomplete run file")
            else:
                check(valid_run_group(f["current"], agents) and valid_run_group(f["future_1"], agents)
                      and "differences" in f, f"{what}: incomplete comparison file")


rng = random.Random(int(os.environ.get("CJSIM_INTERRUPT_SEED", "20261126")))
for command in ["run", "compare"]:
    for index in range(attempts):
        attempt(command, index, rng)

# A signal long after the start always lands in the simulation: exit 130 and nothing written.
with tempfile.TemporaryDirectory() as directory:
    out = os.path.join(directory, "results.h5")
    process = subprocess.Popen([cjsim, "run", retail, "--agents", "200000000", "--out", out],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    check(process.returncode == 130, f"SIGTERM mid-run: exit {process.returncode}: {stderr}")
    check(os.listdir(directory) == [], f"SIGTERM mid-run left {os.listdir(directory)}")

print("outcomes (exit code: attempts):", outcomes)
finish("interrupt")
