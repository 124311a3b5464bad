"""Interrupting `cjsim sweep` and resuming it: after SIGKILL at random moments (as a crash
would), or SIGINT/SIGTERM (exit 130, a clean stop), the parts directory holds only whole,
readable points, `--resume` runs the missing ones only, and the final file has the same
content as a straight run's; for large points, and for small ones run side by side. Resuming
with a changed experiment is refused.

Usage: sweep_resume.py CJSIM SOURCE_DIR [ATTEMPTS]
"""
import glob
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish  # noqa: E402
from h5compare import differences  # noqa: E402

cjsim, source = sys.argv[1], os.path.abspath(sys.argv[2])
# Each attempt is a straight run's time or more; a sanitized build, several times slower, makes
# two of each size (SIGKILL and SIGINT; SIGTERM's path is SIGINT's, and the release build tries it).
attempts = int(sys.argv[3]) if len(sys.argv) > 3 else (2 if os.environ.get("CJSIM_SANITIZED") else 3)
retail = os.path.join(source, "scenarios", "examples", "retail.yaml")
outcomes = {}
# Large points: enough agents that a signal lands mid-point. A sanitized build runs them several
# times slower, so fewer agents do there (what it checks, memory and races, does not need more).
LARGE_AGENTS = 40000 if os.environ.get("CJSIM_SANITIZED") else 150000


EXPERIMENT = f"""scenario: {retail}
agents: {{agents}}
replications: 2
seed: 11
parameters:
  touchpoints.account_signup.dropout: [0.2, 0.45]
  touchpoints.basket.dropout: [0.3, 0.42]
  settings.kappa: [1, 2]
"""
# Points too small to keep 2 threads busy run side by side, one per thread: interrupted and
# resumed the same way.
SMALL_POINTS = f"""scenario: {retail}
agents: 12000
replications: 2
seed: 11
parameters:
  touchpoints.account_signup.dropout: [0.2, 0.3, 0.4, 0.45]
  touchpoints.basket.dropout: [0.3, 0.34, 0.38, 0.42]
  settings.kappa: [1, 1.5, 2, 2.5]
"""


def sweep(experiment, out, *extra):
    return subprocess.Popen([cjsim, "sweep", experiment, "--out", out, "--threads", "2", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def parts_are_whole(parts, what):
    for name in os.listdir(parts):
        path = os.path.join(parts, name)
        if ".tmp-" in name or name == "lock":
            continue  # an interrupted write (resume removes it, never reads it), or the lock
        try:
            with h5py.File(path, "r") as f:
                check(f.attrs["format"] == "cjsim-sweep-part" and "set_0" in f,
                      f"{what}: {name} is not a whole part")
        except OSError as e:
            failures.append(f"{what}: {name} unreadable: {e}")


def resume_until_done(experiment, out, what, rng, kills_left, seconds):
    """Resumes until the sweep completes, killing some of the resumes too (within `seconds`,
    a straight run's time)."""
    for round_ in range(20):
        process = sweep(experiment, out, "--resume")
        if kills_left > 0:
            kills_left -= 1
            time.sleep(rng.uniform(0.0, 0.8) * seconds)
            process.kill()
        _, stderr = process.communicate(timeout=300)
        if process.returncode == 0:
            return True
        check(process.returncode == -signal.SIGKILL, f"{what}: resume exit {process.returncode}: {stderr}")
        if os.path.isdir(out + ".parts"):
            parts_are_whole(out + ".parts", what)
    failures.append(f"{what}: never finished")
    return False


rng = random.Random(int(os.environ.get("CJSIM_INTERRUPT_SEED", "20261127")))
with tempfile.TemporaryDirectory() as directory:
    experiment = os.path.join(directory, "experiment.yaml")
    with open(experiment, "w") as f:
        f.write(EXPERIMENT.format(agents=LARGE_AGENTS))
    small = os.path.join(directory, "small_points.yaml")
    with open(small, "w") as f:
        f.write(SMALL_POINTS)
    cases = []
    for label, path in [("large points", experiment), ("small points", small)]:
        straight = os.path.join(directory, f"straight_{len(cases)}.h5")
        started = time.monotonic()
        done = sweep(path, straight)
        _, stderr = done.communicate(timeout=300)
        seconds = time.monotonic() - started
        check(done.returncode == 0, f"{label}: straight sweep failed: {stderr}")
        cases.append((label, path, straight, seconds))

    for index in range(2 * attempts):
        label, case_experiment, case_straight, seconds = cases[index % 2]
        sig = [signal.SIGKILL, signal.SIGINT, signal.SIGTERM][(index // 2) % 3]
        out = os.path.join(directory, f"attempt{index}.h5")
        # Most signals land while points run: at 5% to 95% of a straight run's time.
        delay = rng.uniform(0.05, 0.95) * seconds
        what = f"attempt {index}, {label} ({sig.name} after {delay:.2f} s)"
        process = sweep(case_experiment, out)
        time.sleep(delay)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=300)
        code = process.returncode
        outcomes[code] = outcomes.get(code, 0) + 1
        if code == 0:
            check(not os.path.exists(out + ".parts"), f"{what}: finished but left parts")
        else:
            check(code in (130, -sig), f"{what}: exit {code}: {stderr}")
            # A signal at the very end may come once the file is in place (its parts perhaps
            # not yet removed): then the file must be whole, as the comparison below checks.
            if os.path.exists(out) and code == 130:
                failures.append(f"{what}: stopped cleanly (130) yet wrote {out}")
            if code == 130:
                check("--resume" in stderr, f"{what}: no hint to resume: {stderr}")
            if os.path.isdir(out + ".parts"):
                parts_are_whole(out + ".parts", what)
            if not resume_until_done(case_experiment, out, what, rng, 1, seconds):
                continue
        check(not os.path.exists(out + ".parts"), f"{what}: parts left after the resume")
        leftovers = [p for p in glob.glob(out + "*") if p != out]
        leftovers += [n for n in os.listdir(os.path.dirname(out)) if ".tmp-" in n]
        check(not leftovers, f"{what}: left {leftovers}")
        diff = differences(case_straight, out)
        check(diff == [], f"{what}: resumed file differs from the straight run: {diff}")

    # A resume with a changed experiment is refused, and the parts are kept.
    out = os.path.join(directory, "changed.h5")
    process = sweep(experiment, out, "--checkpoint", "0")
    deadline = time.time() + 120
    while time.time() < deadline and not glob.glob(os.path.join(out + ".parts", "batch-*.h5")):
        time.sleep(0.02)
    process.kill()
    process.communicate(timeout=300)
    if os.path.exists(out):
        failures.append("the sweep finished before it could be killed; use more agents")
    else:
        changed = os.path.join(directory, "changed.yaml")
        with open(changed, "w") as f:
            f.write(EXPERIMENT.format(agents=LARGE_AGENTS + 1))
        refused = subprocess.run([cjsim, "sweep", changed, "--out", out, "--resume"],
                                 capture_output=True, text=True, timeout=300)
        check(refused.returncode == 1 and "different experiment" in refused.stderr,
              f"changed experiment: exit {refused.returncode}: {refused.stderr}")
        check(glob.glob(os.path.join(out + ".parts", "batch-*.h5")), "refusal removed the parts")

    # Resuming a finished sweep does nothing and changes nothing.
    straight = cases[0][2]
    before = os.path.getmtime(straight)
    again = subprocess.run([cjsim, "sweep", experiment, "--out", straight, "--resume"],
                           capture_output=True, text=True, timeout=300)
    check(again.returncode == 0 and "already complete" in again.stderr, again.stderr)
    check(os.path.getmtime(straight) == before, "resuming a finished sweep rewrote it")

    # A kill between the file's rename and the removal of its parts leaves both: resuming
    # finds the file complete, removes the parts and changes nothing else.
    os.makedirs(os.path.join(straight + ".parts"))
    shutil.copy(straight, os.path.join(straight + ".parts", "point-0.h5"))
    again = subprocess.run([cjsim, "sweep", experiment, "--out", straight, "--resume"],
                           capture_output=True, text=True, timeout=300)
    check(again.returncode == 0 and "already complete" in again.stderr,
          f"finished file with leftover parts: exit {again.returncode}: {again.stderr}")
    check(not os.path.exists(straight + ".parts"), "the leftover parts were kept")
    check(os.path.getmtime(straight) == before, "resuming a finished sweep rewrote it")

    # Killed mid-sweep, many small points lose at most the last batch: finished points are
    # stored together every --checkpoint seconds, so no stretch between two stores (nor between
    # the last store and the kill) is much longer than that, and every stored point is whole.
    # Enough points for several stores before the kill, in every build (a round is about 2^18
    # agents: about 131 of these points): a sanitized build, several times slower, stores after
    # nearly every round, so fewer points give it as many stores.
    points = 1500 if os.environ.get("CJSIM_SANITIZED") else 4000
    many = os.path.join(directory, "many_points.yaml")
    with open(many, "w") as f:
        f.write(f"scenario: {retail}\ndesign: latin_hypercube\npoints: {points}\nagents: 2000\n"
                "seed: 3\nparameters:\n  touchpoints.basket.dropout: {from: 0.2, to: 0.5}\n"
                "  settings.kappa: {from: 0.5, to: 2}\n")
    out = os.path.join(directory, "many.h5")
    checkpoint = 0.25
    process = sweep(many, out, "--checkpoint", str(checkpoint))
    started = time.monotonic()
    seen, stores = set(), []
    parts = out + ".parts"
    while process.poll() is None and time.monotonic() - started < 120:
        if os.path.isdir(parts):
            for name in os.listdir(parts) if os.path.isdir(parts) else []:
                if name.startswith("batch-") and ".tmp-" not in name and name not in seen:
                    seen.add(name)
                    stores.append(time.monotonic())
        if len(stores) >= 3:
            break
        time.sleep(0.01)
    time.sleep(rng.uniform(0, checkpoint))
    killed_at = time.monotonic()
    process.kill()
    process.communicate(timeout=300)
    if os.path.exists(out):
        failures.append("the many-point sweep finished before it could be killed; use more points")
    else:
        check(len(stores) >= 3, f"only {len(stores)} stores seen")
        # A round of small points takes well under a second on an idle machine: the allowance
        # over the checkpoint is for it, the store and the polling on a machine loaded by a
        # whole test suite (a batch per point would give gaps of milliseconds, none at all
        # would give one gap as long as the sweep).
        slack = 6.0
        gaps = [b - a for a, b in zip(stores, stores[1:])] + [killed_at - stores[-1]]
        check(max(gaps) < checkpoint + slack,
              f"stores {checkpoint} s apart were {[round(g, 2) for g in gaps]} s apart")
        parts_are_whole(parts, "many points")
        stored = 0
        for name in os.listdir(parts):
            if name.startswith("batch-") and ".tmp-" not in name:
                with h5py.File(os.path.join(parts, name), "r") as f:
                    stored += int(f.attrs["points"])
        check(0 < stored < points, f"{stored} of {points} points stored at the kill")
        resumed = subprocess.run([cjsim, "sweep", many, "--out", out, "--resume", "--threads", "1"],
                                 capture_output=True, text=True, timeout=600)
        check(resumed.returncode == 0 and f"{stored} of {points} design points are stored" in resumed.stderr,
              f"resume after the kill: exit {resumed.returncode}: {resumed.stderr}")
        straight = os.path.join(directory, "many_straight.h5")
        done = sweep(many, straight, "--checkpoint", "100")
        _, stderr = done.communicate(timeout=600)
        check(done.returncode == 0, stderr)
        diff = differences(straight, out)
        check(diff == [], f"killed and resumed many points differ from a straight run: {diff[:5]}")

print("outcomes (exit code: attempts):", outcomes)
finish("sweep_resume")
