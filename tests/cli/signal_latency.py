"""Ctrl-C and SIGTERM stop `cjsim run` and `cjsim compare` within a second or two even inside
journeys that go on for billions of steps (a near-trapping cycle with a huge step cap), where
stopping between blocks of agents alone would wait for minutes: exit 130, and no output file.

Usage: signal_latency.py CJSIM SOURCE_DIR
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

cjsim, source = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish  # noqa: E402

# Each journey circles a <-> b about a million times per way out, with a cap of 10^12 steps.
TRAP = """name: Near trap
stages: [only]
settings: {max_steps: 1000000000000}
touchpoints:
  - {id: a, stage: only, channel: web, entry_weight: 1, dropout: 1.0e-9}
  - {id: b, stage: only, channel: web, dropout: 1.0e-9}
  - {id: buy, stage: only, channel: web, conversion: {value: 1}}
transitions:
  - {from: a, to: b, weight: 1}
  - {from: b, to: a, weight: 1000000}
  - {from: b, to: buy, weight: 1.0e-6}
personas:
  - {id: everyone, share: 1}
"""
# Sanitizer builds step several times slower; the bound is still far below a block's time.
LIMIT_SECONDS = 5.0 if os.environ.get("CJSIM_SANITIZED") else 1.5

with tempfile.TemporaryDirectory() as tmp:
    journey = os.path.join(tmp, "trap.yaml")
    with open(journey, "w", encoding="utf-8") as f:
        f.write(TRAP)
    for command in (["run", journey], ["compare", journey, journey]):
        for sig in (signal.SIGINT, signal.SIGTERM):
            out = os.path.join(tmp, "out.h5")
            process = subprocess.Popen([cjsim, *command, "-n", "64", "-t", "2", "--out", out],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            time.sleep(1.0)  # well inside the first journeys
            if process.poll() is not None:
                check(False, f"{command[0]}: ended before the signal: {process.stderr.read()}")
                continue
            sent = time.monotonic()
            process.send_signal(sig)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            waited = time.monotonic() - sent
            name = signal.Signals(sig).name
            check(process.returncode == 130,
                  f"{command[0]} after {name}: exit {process.returncode}, not 130")
            check(waited < LIMIT_SECONDS,
                  f"{command[0]} took {waited:.2f} s to stop after {name} (limit {LIMIT_SECONDS} s)")
            check(not os.path.exists(out), f"{command[0]} after {name} left {out}")
            process.stderr.close()

finish("signal_latency")
