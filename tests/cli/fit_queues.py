"""`cjsim fit --calendar` on an event log with lifecycle transitions (schedule, start,
complete): the queues learnt (waits, abandonment, patience, servers) printed, in --json
(`queues`), written into the fitted journey (resources, touchpoint resource and patience_hours,
the service time as the duration) that `run` then runs, and stored with the fitted arrivals in
the --report-out HDF5 file as tables pandas reads; a log without transitions gains nothing.

Usage: fit_queues.py CJSIM SOURCE_DIR"""
import json
import math
import os
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish, runner  # noqa: E402

cjsim, source = sys.argv[1], os.path.abspath(sys.argv[2])
run = runner(cjsim)

# Hand-counted (tests/queue_fit_test.cc has the same log): on Monday 2024-01-01, c1 and c2 wait
# 1 h and 2 h for the desk, c3 is queued 4 h before its case ends without it, c4 is withdrawn
# after 45 minutes, and c5's two instances wait 1 h and 10 minutes.
LOG = """customer,timestamp,touchpoint,lifecycle:transition,concept:instance
c1,2024-01-01T09:00:00Z,desk,schedule,
c1,2024-01-01T10:00:00Z,desk,start,
c1,2024-01-01T10:30:00Z,desk,complete,
c1,2024-01-01T10:40:00Z,buy,complete,
c2,2024-01-01T09:00:00Z,desk,schedule,
c2,2024-01-01T11:00:00Z,desk,start,
c2,2024-01-01T12:00:00Z,desk,complete,
c3,2024-01-01T09:30:00Z,desk,schedule,
c3,2024-01-01T13:30:00Z,letter,complete,
c4,2024-01-01T10:00:00Z,desk,schedule,
c4,2024-01-01T10:45:00Z,desk,withdraw,
c4,2024-01-01T10:50:00Z,letter,complete,
c5,2024-01-01T14:00:00Z,desk,schedule,x
c5,2024-01-01T14:10:00Z,desk,schedule,y
c5,2024-01-01T14:20:00Z,desk,start,y
c5,2024-01-01T14:40:00Z,desk,complete,y
c5,2024-01-01T15:00:00Z,desk,start,x
c5,2024-01-01T15:30:00Z,desk,complete,x
c5,2024-01-01T15:40:00Z,buy,complete,
"""
WAITED = 1 + 2 + 1 / 6 + 1 + 4 + 0.75


def h5py_and_pandas():
    try:
        import h5py
        import pandas
        return h5py, pandas
    except ImportError:
        if os.environ.get("CJSIM_H5PY_REEXEC") != "1" and os.access("/usr/bin/python3", os.X_OK) and \
                os.path.realpath("/usr/bin/python3") != os.path.realpath(sys.executable):
            os.environ["CJSIM_H5PY_REEXEC"] = "1"
            os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
        return None, None


h5py, pandas = h5py_and_pandas()

with tempfile.TemporaryDirectory() as tmp:
    log = os.path.join(tmp, "log.csv")
    with open(log, "w") as f:
        f.write(LOG)
    fitted = os.path.join(tmp, "fitted.yaml")
    h5 = os.path.join(tmp, "fit.h5")
    common = ["--lifecycle", "complete", "--conversion-touchpoint", "buy", "-n", "2000"]
    result = run("fit", log, "-o", fitted, "--calendar", "--json", "--report-out", h5, *common)
    check(result.returncode == 0, f"fit --calendar: {result.returncode} {result.stderr}")
    report = json.loads(result.stdout) if result.returncode == 0 else {}
    queues = report.get("queues", [])
    check(len(queues) == 1 and queues[0]["touchpoint"] == "desk", f"queues {queues}")
    q = queues[0] if queues else {}
    check((q.get("queued"), q.get("served"), q.get("abandoned")) == (6, 4, 2), f"counts {q}")
    check(math.isclose(q.get("mean_wait_hours", 0), (1 + 2 + 1 / 6 + 1) / 4, rel_tol=1e-12), f"mean wait {q}")
    check(math.isclose(q.get("p90_wait_hours", 0), 2.0, rel_tol=1e-12), f"p90 wait {q}")
    check(math.isclose(q.get("abandonment_share", 0), 1 / 3, rel_tol=1e-12), f"abandonment {q}")
    check(q.get("patience_fitted") is True and math.isclose(q["patience_hours"], WAITED / 2, rel_tol=1e-12),
          f"patience {q}")
    low, high = q.get("patience_ci", [0, 0])
    check(low < WAITED / 2 < high, f"patience interval {low, high}")
    check(q.get("capacity") == 1 and len(q.get("servers", [])) == 168 and sum(q["servers"]) == 4,
          f"servers {q.get('capacity')} {q.get('servers')}")
    check(q.get("resource") == "desk_servers", f"resource {q.get('resource')}")

    # The journey carries the queue, and runs it in time.
    with open(fitted) as f:
        journey = yaml.safe_load(f)
    resources = journey.get("resources", [])
    check(len(resources) == 1 and resources[0]["id"] == "desk_servers" and resources[0]["capacity"] == 1,
          f"resources {resources}")
    check(resources and resources[0]["schedule"]["monday"][11] == 1 and resources[0]["schedule"]["monday"][12] == 0
          and resources[0]["schedule"]["sunday"] == 0, f"schedule {resources}")
    desks = [t for t in journey["touchpoints"] if t.get("resource") == "desk_servers"]
    check(len(desks) >= 1, f"no touchpoint uses the resource: {journey['touchpoints']}")
    for t in desks:
        check(math.isclose(t.get("patience_hours", 0), WAITED / 2, rel_tol=1e-12), f"patience {t}")
        check(math.isclose(t["duration"]["exponential"], (0.5 + 1 + 1 / 3 + 0.5) / 4, rel_tol=1e-12),
              f"service as duration {t}")
    ran = run("run", fitted, "--json")
    check(ran.returncode == 0, f"run of the fitted journey: {ran.stderr}")
    if ran.returncode == 0:
        ids = [r["id"] for r in json.loads(ran.stdout)["resources"]]
        check(ids == ["desk_servers"], f"run's resources {ids}")

    text = run("fit", log, "-o", os.path.join(tmp, "again.yaml"), "--calendar", *common)
    check(text.returncode == 0 and "Queues (from lifecycle transitions" in text.stdout
          and "patience" in text.stdout, f"text: {text.stdout[-1500:]} {text.stderr}")

    # The HDF5 file: the arrivals and the queues, under the JSON's names.
    if h5py is not None and os.path.exists(h5):
        arrivals = report["arrivals"]
        with h5py.File(h5, "r") as f:
            group = f["arrivals"]
            check(group.attrs["customers"] == arrivals["customers"], "arrivals customers")
            check(group.attrs["arrivals_per_day"] == arrivals["arrivals_per_day"], "arrivals per day")
            weekdays = pandas.DataFrame(group["weekdays"][()])
            check(list(weekdays["weekday_arrivals"]) == arrivals["weekday_arrivals"], f"weekdays {weekdays}")
            check(list(weekdays["weekday_profile"]) == arrivals["weekday_profile"], "weekday profile")
            hours = pandas.DataFrame(group["hours"][()])
            check(list(hours["hour_profile"]) == arrivals["hour_profile"], "hour profile")
            table = pandas.DataFrame(f["queues/touchpoints"][()])
            check(len(table) == 1 and table["touchpoint"][0] in (b"desk", "desk"), f"queues {table}")
            for key in ("queued", "served", "abandoned", "abandonment_share", "mean_wait_hours",
                        "p90_wait_hours", "patience_hours", "capacity", "mean_service_hours"):
                check(table[key][0] == q[key], f"{key}: {table[key][0]} != {q[key]}")
            check(table["patience_ci_low"][0] == low and table["patience_ci_high"][0] == high, "interval")
            servers = pandas.DataFrame(f["queues/servers"][()])
            check(len(servers) == 168 and list(servers["servers"]) == q["servers"]
                  and list(servers["busy"]) == q["busy"], "servers by hour")
    else:
        check(h5py is not None or os.environ.get("CJSIM_SANITIZED") == "1",
              "h5py and pandas are needed (Debian: python3-h5py, python3-pandas)")

    # A classifier that names the transition makes each one a touchpoint: no wait pairs up,
    # so no queue is learnt (rather than every schedule abandoned).
    classified = run("fit", log, "-o", os.path.join(tmp, "classified.yaml"), "--calendar", "--json",
                     "--classifier", "touchpoint+lifecycle:transition", "--conversion-touchpoint",
                     "buy+complete", "-n", "2000")
    check(classified.returncode == 0 and "queues" not in json.loads(classified.stdout),
          f"classified: {classified.stderr}")

    # No lifecycle transitions: nothing new, no `queues`, no resources.
    plain = os.path.join(tmp, "plain.csv")
    with open(plain, "w") as f:
        f.write("customer,timestamp,touchpoint,converted\n")
        for line in LOG.splitlines()[1:]:
            c, stamp, touchpoint, transition, _ = line.split(",")
            if transition == "complete":
                f.write(f"{c},{stamp},{touchpoint},{int(touchpoint == 'buy')}\n")
    bare = run("fit", plain, "-o", os.path.join(tmp, "plain.yaml"), "--calendar", "--json", "-n", "2000")
    check(bare.returncode == 0 and "queues" not in json.loads(bare.stdout), f"plain log: {bare.stderr}")
    with open(os.path.join(tmp, "plain.yaml")) as f:
        check("resources" not in yaml.safe_load(f), "a plain log wrote resources")

finish("fit_queues")
