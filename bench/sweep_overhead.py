"""What a design point costs beyond its agents: `cjsim sweep` of POINTS points of AGENTS retail
agents each against one `cjsim run` of POINTS x AGENTS agents, on one thread, rounds
alternating the two, CPU seconds (user + system of the child) as the operating system counts
them; then the same sweep on every thread, in wall seconds, against one thread. Prints JSON:
the medians side by side, the CPU ratio (target: at most 1.5) and the overhead per point
((sweep CPU - run CPU) / points; target: under 0.1 ms).

Usage: sweep_overhead.py CJSIM SOURCE_DIR [--points 1000] [--agents 1000] [--rounds 5]
       [--threads 2] > sweep_overhead.json
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("cjsim")
parser.add_argument("source")
parser.add_argument("--points", type=int, default=1000)
parser.add_argument("--agents", type=int, default=1000)
parser.add_argument("--rounds", type=int, default=5)
parser.add_argument("--threads", type=int, default=2)
args = parser.parse_args()
retail = os.path.join(os.path.abspath(args.source), "scenarios", "examples", "retail.yaml")


def side(points):
    """A grid of about `points` points: three parameters of side levels each, trimmed below."""
    n = 1
    while n ** 3 < points:
        n += 1
    return n


def timed(command):
    """(CPU seconds, wall seconds) of one child, from wait4's usage."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


with tempfile.TemporaryDirectory() as directory:
    n = side(args.points)
    # A list design of exactly `points` points, drawn from the grid in order.
    rows = []
    for i in range(n):
        for j in range(n):
            for k in range(n):
                rows.append((0.1 + 0.4 * i / max(n - 1, 1), 0.2 + 0.3 * j / max(n - 1, 1),
                             0.5 + 1.5 * k / max(n - 1, 1)))
    rows = rows[:args.points]
    experiment = os.path.join(directory, "points.yaml")
    with open(experiment, "w") as f:
        f.write(f"scenario: {retail}\ndesign: list\nagents: {args.agents}\nreplications: 1\n"
                "seed: 7\nparameters:\n")
        for column, path in enumerate(["touchpoints.account_signup.dropout",
                                       "touchpoints.basket.dropout", "settings.kappa"]):
            f.write(f"  {path}: [{', '.join(f'{row[column]:.6g}' for row in rows)}]\n")
    out = os.path.join(directory, "points.h5")
    sweep = [args.cjsim, "sweep", experiment, "--out", out, "--force"]
    run = [args.cjsim, "run", retail, "--agents", str(args.points * args.agents), "--seed", "7"]
    timed(sweep + ["--threads", "1"])  # warm-up: page cache, file system
    sweep_cpu, run_cpu, one_wall, all_wall = [], [], [], []
    for _ in range(args.rounds):
        cpu, wall = timed(sweep + ["--threads", "1"])
        sweep_cpu.append(cpu)
        one_wall.append(wall)
        run_cpu.append(timed(run + ["--threads", "1"])[0])
        all_wall.append(timed(sweep + ["--threads", str(args.threads)])[1])

median = statistics.median
result = {
    "points": args.points,
    "agents_per_point": args.agents,
    "rounds": args.rounds,
    "sweep_cpu_seconds": {"median": median(sweep_cpu), "min": min(sweep_cpu), "max": max(sweep_cpu)},
    "run_cpu_seconds": {"median": median(run_cpu), "min": min(run_cpu), "max": max(run_cpu)},
    "cpu_ratio_sweep_over_run": median(s / r for s, r in zip(sweep_cpu, run_cpu)),
    "overhead_ms_per_point": 1000 * median((s - r) / args.points for s, r in zip(sweep_cpu, run_cpu)),
    "sweep_wall_seconds_1_thread": median(one_wall),
    f"sweep_wall_seconds_{args.threads}_threads": median(all_wall),
    "speedup_threads": median(one_wall) / median(all_wall),
}
json.dump(result, sys.stdout, indent=2)
print()
