"""Calendar runs and comparisons stored: `cjsim run --out` and `compare --out` on the bank
example write HDF5 tables that h5py and pandas read, with units as attributes; `cjsim report`
makes Markdown, CSV and text of the stored file, the same figures the run printed, and the HTML
page, byte for byte the page `run`/`compare --report` wrote.

Usage: calendar_outputs.py CJSIM SOURCE_DIR
"""
import csv
import io
import json
import os
import shutil
import sys
import tempfile

cjsim, source = sys.argv[1], sys.argv[2]
bank = os.path.join(source, "scenarios", "examples", "bank_call_centre.yaml")
peak = os.path.join(source, "scenarios", "examples", "bank_call_centre_peak_staff.yaml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish, runner  # noqa: E402

run = runner(cjsim)
directory = tempfile.mkdtemp(prefix="cjsim-calendar-outputs-")
stored = os.path.join(directory, "bank.h5")
args = ["--days", "14", "--replications", "3", "--seed", "5"]

made = run("run", bank, *args, "--out", stored)
check(made.returncode == 0 and f"cjsim: wrote {stored}" in made.stderr,
      f"run --out on a calendar journey: {made.stderr}")
printed = run("run", bank, *args, "--json")
check(printed.returncode == 0, f"run --json: {printed.stderr}")
as_json = json.loads(printed.stdout) if printed.returncode == 0 else {}

# The tables, read as pandas reads any HDF5 compound dataset.
try:
    import h5py
    import pandas as pd
except ImportError:
    h5py = None
if h5py is not None and made.returncode == 0:
    with h5py.File(stored, "r") as f:
        check(f.attrs["format"] == "cjsim-run", "the run's format")
        group = f["calendar"]
        check(group.attrs["days"] == 14 and group.attrs["warmup_days"] == 0, "days attributes")
        days = pd.DataFrame(group["days"][()])
        check(list(days["day"]) == list(range(14)), f"days table: {list(days['day'])}")
        check(len(days.columns) == 2 + 3 * 10 - 1, f"days columns {list(days.columns)}")
        units = json.loads(group["days"].attrs["units"])
        check(units.get("mean_wait_hours") == "hours" and units.get("revenue") == "money"
              and units.get("nps") == "nps_points" and units.get("day") == "days",
              f"units of the days table: {units}")
        for d, row in zip(as_json.get("days", []), days.itertuples()):
            check(abs(row.arrivals_organic - d["arrivals_organic"]) < 1e-12
                  and abs(row.revenue - d["revenue"]) < 1e-9,
                  f"day {d['day']}: stored and printed differ")
        resources = pd.DataFrame(group["resources"][()])
        ids = [x.decode() for x in resources["id"]]
        check(ids == ["agents", "desks"], f"resources {ids}")
        for column in ["utilisation", "served", "abandoned", "mean_wait_hours", "p90_wait_hours",
                       "mean_queue", "staff_cost", "utilisation_ci_low"]:
            check(column in resources.columns, f"resources lack {column}")
        runits = json.loads(group["resources"].attrs["units"])
        check(runits.get("utilisation") == "share" and runits.get("staff_cost") == "money"
              and runits.get("p90_wait_hours") == "hours", f"resource units {runits}")
        for printed_row, row in zip(as_json.get("resources", []), resources.itertuples()):
            check(row.utilisation == printed_row["utilisation"]
                  and row.served == printed_row["served"],
                  f"resource {printed_row['id']}: stored and printed differ")
        queue = pd.DataFrame(group["resource_days"][()])
        check(len(queue) == 2 * 14 and "mean_queue" in queue.columns,
              f"queue length over time: {len(queue)} rows")
        figures = pd.DataFrame(group["figures"][()])
        names = [x.decode() for x in figures["figure"]]
        check("lifetime_value" in names and "staff_cost" in names, f"figures {names}")
        lifetime = figures[[n == "lifetime_value" for n in names]].iloc[0]
        check(lifetime["value"] == as_json.get("lifetime_value")
              and lifetime["unit"].decode() == "money", "lifetime value stored")
        counts = {n.decode(): c for n, c in zip(group["counts"]["name"], group["counts"]["count"])}
        check(counts.get("referred_agents") == as_json.get("referred_agents")
              and counts.get("deterred") == as_json.get("deterred"), f"counts {counts}")
        replications = pd.DataFrame(group["replications"][()])
        check(len(replications) == 3 and "lifetime_value" in replications.columns,
              "per-replication table")
        # Every customer's week, tidy: one row per persona, touchpoint, weekday and hour with a
        # visit, adding up to the printed 168-hour rows; the branch desk only on weekdays 9-17.
        heat = pd.DataFrame(group["hour_of_week"][()])
        for column in ["persona", "touchpoint", "weekday", "hour", "visits", "mean_emotion"]:
            check(column in heat.columns, f"hour_of_week lacks {column}")
        hunits = json.loads(group["hour_of_week"].attrs["units"])
        check(hunits.get("visits") == "count" and hunits.get("mean_emotion") == "emotion",
              f"hour_of_week units {hunits}")
        printed_visits = sum(sum(r["visits"]) for r in as_json.get("hour_of_week", []))
        check(len(heat) > 0 and int(heat["visits"].sum()) == printed_visits,
              f"hour_of_week: {heat['visits'].sum()} stored visits, {printed_visits} printed")
        desk = heat[[t.decode() == "branch_desk" for t in heat["touchpoint"]]]
        check(len(desk) > 0 and all(w.decode() not in ("saturday", "sunday") for w in desk["weekday"])
              and desk["hour"].between(9, 16).all(),
              f"branch desk visits outside its opening hours: {desk.head()}")
        check(heat["mean_emotion"].between(-1, 1).all(), "mean emotion outside -1..1")
        # The plain run's tables are there too, for any reader of run files.
        check("headline" in f and "raw" in f, "the plain run's layout")

# cjsim report: Markdown, CSV and text of the stored run; the text is what run printed.
text = run("run", bank, *args)
for fmt, name in [("md", "bank.md"), ("csv", "bank.csv"), ("text", "bank.txt")]:
    out = os.path.join(directory, name)
    made_report = run("report", stored, "-o", out)
    check(made_report.returncode == 0, f"report -o {name}: {made_report.stderr}")
    if made_report.returncode != 0:
        continue
    with open(out) as f:
        content = f.read()
    if fmt == "md":
        for section in ["# Retail bank contact centre", "### Resources", "Utilisation",
                        "### Resources by day (queue length over time)", "### Days",
                        "Lifetime value (in the run)", "| agents |",
                        "### Busiest hours of the week, by persona"]:
            check(section in content, f"Markdown lacks {section!r}")
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(content)))
        tables = {r["table"] for r in rows}
        heat_rows = [r for r in rows if r["table"] == "hour_of_week" and r["metric"] == "visits"]
        check(as_json and sum(int(r["value"]) for r in heat_rows)
              == sum(sum(r["visits"]) for r in as_json.get("hour_of_week", [])),
              "CSV hour_of_week visits differ from run --json")
        check({"headline", "calendar", "counts", "resources", "resource_days", "days",
               "hour_of_week"} <= tables,
              f"CSV tables {tables}")
        util = [r for r in rows if r["table"] == "resources" and r["scope"] == "resource:agents"
                and r["metric"] == "utilisation"]
        check(len(util) == 1 and util[0]["unit"] == "share" and as_json and
              float(util[0]["value"]) == as_json["resources"][0]["utilisation"],
              f"CSV utilisation row {util}")
    else:
        # The timing line is the one that differs between two runs.
        strip = lambda t: [l for l in t.splitlines() if "agent-steps/s" not in l]
        check(strip(content) == strip(text.stdout), "report text differs from what run printed")

# The HTML page: `run --report` and `cjsim report` of the file that run wrote, byte for byte.
def same_page_stored_and_live(command, *inputs):
    stored_run = os.path.join(directory, command + "-page.h5")
    live_page = os.path.join(directory, command + "-live.html")
    made = run(command, *inputs, *args, "--out", stored_run, "--report", live_page)
    check(made.returncode == 0 and f"cjsim: wrote {live_page}" in made.stderr,
          f"{command} --report on a calendar journey: {made.stderr}")
    page = os.path.join(directory, command + "-stored.html")
    html = run("report", stored_run, "-o", page)
    check(html.returncode == 0, f"report to HTML of a calendar file: {html.stderr}")
    if made.returncode == 0 and html.returncode == 0:
        with open(live_page, "rb") as a, open(page, "rb") as b:
            live_bytes, stored_bytes = a.read(), b.read()
        check(live_bytes == stored_bytes, f"{command}: the stored file's page differs from the live one")
        check(b'id="day-in-the-life"' in live_bytes and b'id="blueprint"' in live_bytes,
              f"{command}: the calendar page lacks its views")


same_page_stored_and_live("run", bank)
same_page_stored_and_live("compare", bank, peak)

# compare --out: both states and the paired differences, read back the same.
compared = os.path.join(directory, "compare.h5")
made = run("compare", bank, peak, *args, "--out", compared)
check(made.returncode == 0, f"compare --out: {made.stderr}")
printed = run("compare", bank, peak, *args, "--json")
cmp_json = json.loads(printed.stdout) if printed.returncode == 0 else {}
if h5py is not None and made.returncode == 0:
    with h5py.File(compared, "r") as f:
        check(f.attrs["format"] == "cjsim-calendar-comparison", "comparison format")
        check(f["current"].attrs["label"] == "Retail bank contact centre", "current label")
        check("calendar" in f["future_1"], "the future state's calendar group")
        diffs = pd.DataFrame(f["differences"][()])
        rows = {(a.decode(), b.decode()): r for a, b, r in
                zip(diffs["figure"], diffs["resource"], diffs.itertuples())}
        cost = rows.get(("staff_cost", "agents"))
        printed_cost = [x for x in cmp_json.get("differences", [{}])[0].get("figures", [])
                        if x["figure"] == "staff_cost" and x["resource"] == "agents"]
        check(cost is not None and printed_cost and cost.difference == printed_cost[0]["difference"]
              and cost.unit.decode() == "money", "stored staff cost difference")
md = os.path.join(directory, "compare.md")
made_report = run("report", compared, "-o", md)
check(made_report.returncode == 0, f"report of a calendar comparison: {made_report.stderr}")
if made_report.returncode == 0:
    with open(md) as f:
        content = f.read()
    for section in ["# Calendar journeys compared", "(current state)", "(future state)",
                    "against Retail bank contact centre", "| Staff cost | agents |"]:
        check(section in content, f"comparison Markdown lacks {section!r}")
text_cmp = run("report", compared, "--format", "text", "-o", os.path.join(directory, "c.txt"))
check(text_cmp.returncode == 0, f"text report of a comparison: {text_cmp.stderr}")
if text_cmp.returncode == 0:
    with open(os.path.join(directory, "c.txt")) as f:
        stored_text = f.read()
    live = run("compare", bank, peak, *args)
    strip = lambda t: [l for l in t.splitlines() if "compared over" not in l]
    check(strip(stored_text) == strip(live.stdout), "stored comparison text differs")

# Options that still do not take calendar journeys say so.
refused = run("run", bank, "--days", "3", "--paths")
check(refused.returncode == 1 and "--paths" in refused.stderr, "run --paths refused")
shutil.rmtree(directory, ignore_errors=True)
finish("calendar_outputs")
