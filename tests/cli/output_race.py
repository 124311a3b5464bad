"""Outputs are published safely even when something happens while a run is under way:
a file that appears at the --out path during the run is left alone (exit 1, naming --force),
and a second Ctrl-C while the results are being written ends the process at once without
leaving the temporary file behind.

Usage: output_race.py CJSIM SOURCE_DIR
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

cjsim, source = sys.argv[1], sys.argv[2]
retail = os.path.join(source, "scenarios", "examples", "retail.yaml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import failures, finish  # noqa: E402

# A run that outlasts the 0.3 s before the file appears, many times over: a sanitized build
# is 10 to 20 times slower, so it needs a tenth of the agents for the same seconds.
LONG_RUN = "1000000" if os.environ.get("CJSIM_SANITIZED") else "20000000"
# Without tests/slow_sync.c (below), per-agent paths make the write long enough to be caught in
# the act: a second or so for 2 million agents in the release build; a sanitized build writes
# several times slower, so a quarter of them give it seconds (500,000 take 11 s under
# ThreadSanitizer, most of it writing).
PATHS_RUN = "500000" if os.environ.get("CJSIM_SANITIZED") else "2000000"


def wait_for(predicate, process, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if predicate():
            return True
        time.sleep(0.005)
    return predicate()


with tempfile.TemporaryDirectory() as directory:
    out = os.path.join(directory, "results.h5")
    process = subprocess.Popen([cjsim, "run", retail, "--agents", LONG_RUN, "--out", out],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    with open(out, "w") as f:
        f.write("written by someone else\n")
    _, stderr = process.communicate(timeout=300)
    with open(out) as f:
        kept = f.read() == "written by someone else\n"
    if process.returncode != 1 or "--force" not in stderr or not kept:
        failures.append(f"a file created during the run: exit {process.returncode}, kept {kept}, "
                        f"stderr: {stderr}")
    leftovers = sorted(set(os.listdir(directory)) - {"results.h5"})
    if leftovers:
        failures.append(f"a file created during the run: left behind {leftovers}")

# Two Ctrl-C while the results are being written. In a plain build the test preloads
# tests/slow_sync.c (CJSIM_SLOW_SYNC, set by CMake), which holds the temporary file's sync for
# seconds and says when it has begun: the signals then land inside the write every time, and
# the process must end by them, with neither the temporary file nor a results file left. A
# sanitized build cannot preload it (its sanitizer's interceptors come first); there the
# signals are sent once the temporary file holds bytes, which is often after the write, so the
# run finishing whole is accepted there too.
SLOW_SYNC = os.environ.get("CJSIM_SLOW_SYNC")
with tempfile.TemporaryDirectory() as directory:
    out = os.path.join(directory, "results.h5")
    mark = os.path.join(directory, "syncing")
    environment = dict(os.environ)
    if SLOW_SYNC:
        environment.update(LD_PRELOAD=SLOW_SYNC, CJSIM_SLOW_SYNC_MARK=mark,
                           CJSIM_SLOW_SYNC_SECONDS="20")
    agents = "200000" if SLOW_SYNC else PATHS_RUN
    process = subprocess.Popen(
        [cjsim, "run", retail, "--agents", agents, "--paths", "--out", out],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=environment)
    # Temporaries are hidden files beside the output: .results.h5.tmp-PID.
    temporaries = lambda: [name for name in os.listdir(directory) if ".tmp-" in name]
    # The up-front check of the directory creates and removes an empty temporary too: wait
    # for one that holds results.
    def being_written():
        if SLOW_SYNC:
            return os.path.exists(mark)
        for name in temporaries():
            try:
                if os.path.getsize(os.path.join(directory, name)) > 0:
                    return True
            except OSError:
                pass  # removed between the listing and the look
        return False
    if not wait_for(being_written, process, 240):
        failures.append("the results' temporary file never appeared")
    process.send_signal(signal.SIGINT)
    time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    started = time.monotonic()
    try:
        process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        failures.append("still running after two Ctrl-C")
    finished = process.returncode == 0 and os.path.exists(out)
    if SLOW_SYNC and (finished or time.monotonic() - started > 10):
        failures.append(f"two Ctrl-C during the write's 20 s sync: exit {process.returncode} "
                        f"after {time.monotonic() - started:.1f} s (it should end at once)")
    if not finished and process.returncode != -signal.SIGINT:
        failures.append(f"two Ctrl-C while writing: exit {process.returncode}")
    if temporaries():
        failures.append(f"two Ctrl-C while writing left {temporaries()}")
    if not finished and os.path.exists(out):
        failures.append("two Ctrl-C while writing left a results file")

finish("output_race")
