"""`cjsim fit --calendar`: a calendar journey's arrivals fitted from an event log's first
timestamps on the log's own clock (its zone offsets), printed, in --json, written as the fitted
journey's `calendar` that `run` then runs; refused, with the reason, for data without
timestamps and for a funnel.

Usage: fit_calendar.py CJSIM SOURCE_DIR"""
import datetime
import json
import math
import os
import random
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish, runner  # noqa: E402

cjsim, source = sys.argv[1], os.path.abspath(sys.argv[2])
run = runner(cjsim)
rng = random.Random(5)

# 28 days from Monday 2024-01-01 on a clock at UTC+01:00: more customers on weekdays, most in
# office hours; each visits an ad, then half a product page, a tenth of them buy.
zone = datetime.timezone(datetime.timedelta(hours=1))
start = datetime.datetime(2024, 1, 1, tzinfo=zone)
weekday_rate = [60, 55, 50, 50, 45, 20, 15]
rows = ["customer,touchpoint,timestamp,converted"]
customer = 0
for day in range(28):
    weekday = day % 7
    for _ in range(weekday_rate[weekday]):
        hour = rng.choice([9, 10, 11, 12, 13, 14, 15, 16, 20, 21]) if rng.random() < 0.9 else rng.randrange(24)
        first = start + datetime.timedelta(days=day, hours=hour, minutes=rng.randrange(60))
        customer += 1
        # Written alternately with the offset and in UTC: the same instants, one clock.
        def stamp(t):
            return t.isoformat() if customer % 2 else t.astimezone(datetime.timezone.utc).isoformat()
        rows.append(f"c{customer},ad,{stamp(first)},0")
        if rng.random() < 0.5:
            rows.append(f"c{customer},product,{stamp(first + datetime.timedelta(minutes=20))},0")
            if rng.random() < 0.2:
                rows.append(f"c{customer},checkout,{stamp(first + datetime.timedelta(minutes=35))},1")

with tempfile.TemporaryDirectory() as tmp:
    log = os.path.join(tmp, "log.csv")
    with open(log, "w") as f:
        f.write("\n".join(rows) + "\n")
    fitted = os.path.join(tmp, "fitted.yaml")
    result = run("fit", log, "-o", fitted, "--calendar", "--json", "-n", "2000")
    check(result.returncode == 0, f"fit --calendar: {result.returncode} {result.stderr}")
    arrivals = json.loads(result.stdout)["arrivals"] if result.returncode == 0 else {}

    # Each first visit counts on its own timestamp's clock: the rows written in UTC an hour
    # earlier than those written at +01:00 (a log in one zone has one clock).
    expected = [[0] * 24 for _ in range(7)]
    for line in rows[1:]:
        c, touchpoint, stamp, _ = line.split(",")
        if touchpoint != "ad":
            continue
        t = datetime.datetime.fromisoformat(stamp)
        expected[t.weekday()][t.hour] += 1
    weekday_arrivals = [sum(r) for r in expected]
    hour_arrivals = [sum(expected[d][k] for d in range(7)) for k in range(24)]
    check(arrivals.get("customers") == customer, f"customers {arrivals.get('customers')} of {customer}")
    check(arrivals.get("weekday_arrivals") == weekday_arrivals,
          f"weekday arrivals {arrivals.get('weekday_arrivals')} != {weekday_arrivals}")
    check(arrivals.get("hour_arrivals") == hour_arrivals,
          f"hour arrivals {arrivals.get('hour_arrivals')} != {hour_arrivals}")
    check(arrivals.get("start_weekday") in ("monday", "sunday"), arrivals.get("start_weekday"))
    days = arrivals.get("days", 0)
    per_day = [weekday_arrivals[d] / max(arrivals.get("weekday_days", [1] * 7)[d], 1) for d in range(7)]
    A = sum(per_day) / 7
    check(math.isclose(arrivals.get("arrivals_per_day", 0), A, rel_tol=1e-12),
          f"arrivals per day {arrivals.get('arrivals_per_day')} != {A}")
    for d in range(7):
        check(math.isclose(arrivals["weekday_profile"][d], per_day[d] / A, rel_tol=1e-12),
              f"weekday factor {d}")
    for k in range(24):
        check(math.isclose(arrivals["hour_profile"][k], 24 * hour_arrivals[k] / customer,
                           rel_tol=1e-12, abs_tol=1e-15), f"hour factor {k}")
    low, high = arrivals["arrivals_per_day_ci"]
    check(low < A < high, f"interval {low, high} around {A}")

    # The fitted journey carries the calendar and runs as one.
    with open(fitted) as f:
        calendar = yaml.safe_load(f).get("calendar", {})
    check(calendar.get("days") == days and calendar.get("start_weekday") == arrivals["start_weekday"],
          f"written calendar {calendar}")
    check(math.isclose(calendar.get("arrivals_per_day", 0), A, rel_tol=1e-5), f"written A {calendar}")
    check(len(calendar.get("weekday_profile", [])) == 7 and len(calendar.get("hour_profile", [])) == 24,
          f"written profiles {calendar}")
    ran = run("run", fitted, "--json")
    check(ran.returncode == 0, f"run of the fitted calendar journey: {ran.stderr}")
    if ran.returncode == 0:
        result_days = json.loads(ran.stdout)["days"]
        check(len(result_days) == days, f"{len(result_days)} days run, {days} fitted")
        organic = sum(d["arrivals_organic"] for d in result_days)
        # Poisson: the run's arrivals within 4 standard deviations of the fitted A * days.
        check(abs(organic - A * days) < 4 * math.sqrt(A * days), f"{organic} arrivals, {A * days} expected")

    text = run("fit", log, "-o", os.path.join(tmp, "again.yaml"), "--calendar", "-n", "2000")
    check(text.returncode == 0 and "Arrivals (the calendar):" in text.stdout and "saturday" in text.stdout,
          f"text: {text.stdout[-800:]} {text.stderr}")

    # No timestamps, no arrivals: refused, saying why.
    paths = os.path.join(source, "tests", "data", "observed", "tiny_paths.csv")
    refused = run("fit", paths, "-o", os.path.join(tmp, "paths.yaml"), "--calendar")
    check(refused.returncode == 1 and "--calendar" in refused.stderr and "timestamps" in refused.stderr,
          f"path table: {refused.returncode} {refused.stderr}")
    check(not os.path.exists(os.path.join(tmp, "paths.yaml")), "a refused fit wrote its journey")

finish("fit_calendar")
