"""`cjsim sweep` over a calendar journey (the bank call centre example), driven from outside:
every design point's figures are those `cjsim run` gives of the point's scenario, to the bit;
the file does not depend on the threads, on MPI processes, on a kill and --resume, or on
--shard + --merge; the summary ranks by a resource's figure; bad input is refused naming what
is wrong.

Usage: calendar_sweep.py CJSIM SOURCE_DIR
"""
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

import h5py

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish, runner  # noqa: E402
from h5compare import differences  # noqa: E402

cjsim, source = sys.argv[1], os.path.abspath(sys.argv[2])
bank = os.path.join(source, "scenarios", "examples", "bank_call_centre.yaml")
run = runner(cjsim)

DESKS = [1, 3]
PATIENCE = [0.2, 0.5]
EXPERIMENT = f"""scenario: {bank}
replications: 2
seed: 5
days: 14
parameters:
  resources.desks.capacity: {DESKS}
  touchpoints.call_centre.patience_hours: {PATIENCE}
"""
# The point's scenario written as a future state of the example, for `cjsim run`.
POINT = """base: {bank}
changes:
  - update_resource: {{id: desks, capacity: {desks}}}
  - update_touchpoint: {{id: call_centre, patience_hours: {patience}}}
"""


def same(a, b):
    """Equal to the bit (JSON carries doubles exactly), undefined figures alike."""
    if a is None or b is None:
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return a == b or (math.isnan(a) and math.isnan(b))


def table(path, name):
    with h5py.File(path, "r") as f:
        rows = f[name][()]
        units = json.loads(f[name].attrs["units"])
    names = rows.dtype.names
    decoded = [{n: (r[n].decode() if isinstance(r[n], bytes) else r[n].item()) for n in names}
               for r in rows]
    return decoded, units


with tempfile.TemporaryDirectory() as directory:
    experiment = os.path.join(directory, "staffing.yaml")
    with open(experiment, "w") as f:
        f.write(EXPERIMENT)
    out = os.path.join(directory, "staffing.h5")

    listed = run("sweep", experiment, "--list-points")
    check(listed.returncode == 0 and "14 days x 2 replications" in listed.stdout,
          f"--list-points: {listed.stdout} {listed.stderr}")
    check(len(listed.stdout.strip().splitlines()) == 2 + 1 + 4, f"--list-points: {listed.stdout}")

    done = run("sweep", experiment, "--out", out, "--threads", "2")
    check(done.returncode == 0, f"sweep failed: {done.stderr}")
    check("Calendar figures" in done.stdout and "desks" in done.stdout,
          f"the summary lacks the calendar figures: {done.stdout}")

    # Every point against `cjsim run` of its scenario: plain figures, calendar figures of the
    # run and of each resource, to the bit.
    points, point_units = table(out, "points")
    calendar, calendar_units = table(out, "calendar_points")
    resources, resource_units = table(out, "calendar_resources")
    check(len(points) == len(calendar) == 4, f"{len(points)} points, {len(calendar)} calendar rows")
    check(len(resources) == 8, f"{len(resources)} resource rows for 4 points of 2 resources")
    check(calendar_units.get("staff_cost") == "money", f"units: {calendar_units}")
    check(resource_units.get("p90_wait_hours") == "hours", f"units: {resource_units}")
    check(resource_units.get("utilisation") == "share", f"units: {resource_units}")
    for k, point in enumerate(points):
        desks, patience = point["resources.desks.capacity"], point["touchpoints.call_centre.patience_hours"]
        scenario = os.path.join(directory, f"point{k}.yaml")
        with open(scenario, "w") as f:
            f.write(POINT.format(bank=bank, desks=int(desks), patience=patience))
        alone = run("run", scenario, "--days", "14", "--replications", "2", "--seed", "5",
                    "--json")
        check(alone.returncode == 0, f"point {k}: run failed: {alone.stderr}")
        if alone.returncode != 0:
            continue
        r = json.loads(alone.stdout)
        for name in ["conversion_rate", "revenue_per_agent", "nps"]:
            check(same(point[name], r[name]), f"point {k}: {name} {point[name]} vs {r[name]}")
            check(same(point[name + "_ci_low"], r[name + "_ci"][0]), f"point {k}: {name} low")
        for name in ["journeys", "organic_agents", "referred_agents", "deterred", "customers"]:
            check(calendar[k][name] == r[name], f"point {k}: {name} {calendar[k][name]} vs {r[name]}")
        check(calendar[k]["abandoned"] == r["ended"]["abandoned"], f"point {k}: abandoned")
        for name in ["staff_cost", "lifetime_value", "journeys_per_customer",
                     "referred_per_organic", "organic_agents_per_day"]:
            check(same(calendar[k][name], r[name]), f"point {k}: {name} {calendar[k][name]} vs {r[name]}")
            check(same(calendar[k][name + "_ci_high"], r[name + "_ci"][1]), f"point {k}: {name} high")
        rows = [row for row in resources if row["point"] == k]
        check([row["resource"] for row in rows] == [x["id"] for x in r["resources"]],
              f"point {k}: resources {rows}")
        for row, expected in zip(rows, r["resources"]):
            for name in ["utilisation", "mean_wait_hours", "p90_wait_hours", "mean_queue",
                         "abandonment_rate", "staff_cost"]:
                check(same(row[name], expected[name]),
                      f"point {k} {row['resource']}: {name} {row[name]} vs {expected[name]}")
                check(same(row[name + "_ci_low"], expected[name + "_ci"][0]),
                      f"point {k} {row['resource']}: {name} low")
            for name in ["served", "abandoned"]:
                check(row[name] == expected[name], f"point {k} {row['resource']}: {name}")

    # More desks, shorter waits at the desks (the same arrivals: common random numbers).
    p90 = {(row["resources.desks.capacity"], row["touchpoints.call_centre.patience_hours"]):
           row["p90_wait_hours"] for row in resources if row["resource"] == "desks"}
    for patience in PATIENCE:
        check(p90[(3.0, patience)] < p90[(1.0, patience)], f"desk waits: {p90}")

    # The summary ranks by a resource's figure, as text and JSON.
    summary = run("sweep", "--summary", out, "--metric", "desks.p90_wait_hours", "--json")
    check(summary.returncode == 0, f"--summary --json: {summary.stderr}")
    if summary.returncode == 0:
        s = json.loads(summary.stdout)
        check(s["lower_is_better"] is True, "p90 wait: lower is better")
        best = s["best"][0]
        check(best["values"]["resources.desks.capacity"] == 3, f"best point: {best}")
        desks = [x for x in best["calendar"]["resources"] if x["id"] == "desks"][0]
        check("p90_wait_hours_ci" in desks and "staff_cost" in best["calendar"], f"json: {best}")
        check(len(s["sensitivity"][0]["ranked"]) == 2, f"sensitivity: {s['sensitivity']}")
    text = run("sweep", "--summary", out, "--metric", "staff_cost")
    check(text.returncode == 0 and "best first by staff_cost (lower is better)" in text.stdout,
          f"--metric staff_cost: {text.stdout} {text.stderr}")
    unknown = run("sweep", "--summary", out, "--metric", "tellers.p90_wait_hours")
    check(unknown.returncode != 0 and "no resource 'tellers'" in unknown.stderr,
          f"unknown resource metric: {unknown.stderr}")

    # Threads: the same file from one thread.
    one = os.path.join(directory, "one_thread.h5")
    single = run("sweep", experiment, "--out", one, "--threads", "1")
    check(single.returncode == 0, f"1 thread: {single.stderr}")
    check(differences(out, one) == [], f"1 vs 2 threads: {differences(out, one)}")

    # --shard I/N and --merge: the file one process writes.
    sharded = os.path.join(directory, "sharded.h5")
    for i in range(2):
        shard = run("sweep", experiment, "--out", sharded, "--shard", f"{i}/2")
        check(shard.returncode == 0, f"shard {i}: {shard.stderr}")
    merged = run("sweep", experiment, "--out", sharded, "--merge")
    check(merged.returncode == 0, f"merge: {merged.stderr}")
    check(differences(out, sharded) == [], f"shards vs one: {differences(out, sharded)}")

    # Two MPI processes (when the build has MPI and mpirun is there): the same file.
    mpirun = shutil.which("mpirun")
    if os.environ.get("CJSIM_WITH_MPI", "").upper() in ("1", "ON", "TRUE", "YES") and mpirun:
        launch = [mpirun, "--oversubscribe", "-np", "2"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            launch.insert(1, "--allow-run-as-root")
        environment = dict(os.environ)
        environment.update({"OMPI_MCA_btl": "self,vader", "OMPI_MCA_rmaps_base_oversubscribe": "1",
                            "ASAN_OPTIONS": environment.get("ASAN_OPTIONS", "") + ":detect_leaks=0"})
        ranks = os.path.join(directory, "two_ranks.h5")
        mpi = subprocess.run([*launch, cjsim, "sweep", experiment, "--out", ranks, "--threads", "1"],
                             capture_output=True, text=True, timeout=300, env=environment)
        check(mpi.returncode == 0, f"mpirun -np 2: {mpi.stderr}")
        check(differences(out, ranks) == [], f"2 processes vs one: {differences(out, ranks)}")

    # Killed mid-sweep and resumed: the file a straight sweep writes. Points are stored after
    # every round (--checkpoint 0), on one thread so that there are several rounds.
    rng = random.Random(int(os.environ.get("CJSIM_INTERRUPT_SEED", "20261206")))
    started = time.monotonic()
    timed = run("sweep", experiment, "--out", os.path.join(directory, "timed.h5"), "--threads", "1")
    seconds = time.monotonic() - started
    check(timed.returncode == 0, f"timed sweep: {timed.stderr}")
    resumed = os.path.join(directory, "resumed.h5")
    killed = subprocess.Popen([cjsim, "sweep", experiment, "--out", resumed, "--threads", "1",
                               "--checkpoint", "0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(rng.uniform(0.3, 0.7) * seconds)
    killed.kill()
    killed.communicate(timeout=300)
    finished = run("sweep", experiment, "--out", resumed, "--resume", "--threads", "2")
    check(finished.returncode == 0, f"resume: {finished.stderr}")
    check(differences(out, resumed) == [], f"resumed vs straight: {differences(out, resumed)}")

    # Bad input: an unknown resource named with the parameter; --agents refused.
    bad = os.path.join(directory, "bad.yaml")
    with open(bad, "w") as f:
        f.write(f"scenario: {bank}\nparameters:\n  resources.tellers.capacity: [1, 2]\n")
    refused = run("sweep", bad, "--out", os.path.join(directory, "bad.h5"))
    check(refused.returncode != 0 and "resources.tellers.capacity" in refused.stderr
          and "tellers" in refused.stderr and "bad.yaml:3" in refused.stderr,
          f"unknown resource: {refused.stderr}")
    agents = run("sweep", experiment, "--out", os.path.join(directory, "agents.h5"),
                 "--agents", "100")
    check(agents.returncode != 0 and "--agents does not apply to calendar journeys"
          in agents.stderr, f"--agents: {agents.stderr}")
    early = run("sweep", experiment, "--out", os.path.join(directory, "early.h5"), "--metric",
                "tellers.mean_wait_hours")
    check(early.returncode != 0 and "no resource 'tellers'" in early.stderr
          and not os.path.exists(os.path.join(directory, "early.h5.parts")),
          f"--metric of an unknown resource, before running: {early.stderr}")
    warmup = run("sweep", experiment, "--out", os.path.join(directory, "warmup.h5"),
                 "--warmup-days", "14")
    check(warmup.returncode != 0 and "warm-up of 14 days" in warmup.stderr,
          f"--warmup-days 14 of 14: {warmup.stderr}")

    # The shipped example runs (shortened), a point per base scenario and desk level.
    shipped = os.path.join(source, "scenarios", "examples", "bank_call_centre_staffing_sweep.yaml")
    example = run("sweep", shipped, "--out", os.path.join(directory, "example.h5"), "--days", "7",
                  "--replications", "1", "--metric", "desks.mean_wait_hours", "--top", "3")
    check(example.returncode == 0 and "12 points" in example.stdout
          and "7 days x 1 replication" in example.stdout, f"shipped example: {example.stdout} "
          f"{example.stderr}")

finish("calendar_sweep")
