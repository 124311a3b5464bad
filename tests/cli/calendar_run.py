"""`cjsim run` on a calendar journey (the bank call centre example), driven from outside.

Usage: calendar_run.py CJSIM SOURCE_DIR
"""
import json
import os
import signal
import subprocess
import sys
import time

cjsim, source = sys.argv[1], sys.argv[2]
bank = os.path.join(source, "scenarios", "examples", "bank_call_centre.yaml")
peak = os.path.join(source, "scenarios", "examples", "bank_call_centre_peak_staff.yaml")
tiny = os.path.join(source, "tests", "data", "tiny.yaml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish, runner  # noqa: E402

run = runner(cjsim)


def run_json(*args):
    result = run("run", bank, "--json", *args)
    check(result.returncode == 0, f"run --json {args} failed: {result.stderr}")
    return json.loads(result.stdout) if result.returncode == 0 else {}


out = run_json("--days", "14", "--replications", "2", "--seed", "3")
# The plain run's keys, then the calendar's.
for key in ["agents", "conversion_rate", "conversion_rate_ci", "nps", "ended", "touchpoints",
            "organic_agents", "referred_agents", "journeys", "resources", "days",
            "lifetime_value", "lifetime_value_ci", "staff_cost"]:
    check(key in out, f"--json lacks key {key}")
if out:
    check("abandoned" in out["ended"], "ended lacks abandoned")
    check(out["ended"]["abandoned"] > 0, "nobody abandoned the call centre queue")
    check(sum(out["ended"].values()) == out["journeys"] == out["agents"],
          "ended counts, journeys and agents disagree")
    check(len(out["days"]) == 14, f"{len(out['days'])} days for --days 14")
    day_keys = {"day", "arrivals_organic", "arrivals_referred", "arrivals_returning", "deterred",
                "conversions", "repeat_purchases", "revenue", "abandoned", "mean_wait_hours"}
    for day in out["days"]:
        check(day_keys <= set(day), f"day keys {sorted(day)}")
        check(day["conversions_ci"][0] is not None, "no interval from two replications")
    check([d["day"] for d in out["days"]] == list(range(14)), "days are not 0..13 in order")
    organic = sum(d["arrivals_organic"] for d in out["days"])
    check(abs(organic - out["organic_agents"] / 2) < 1e-6,
          "the days' organic arrivals do not add up to organic_agents per replication")
    ids = [r["id"] for r in out["resources"]]
    check(ids == ["agents", "desks"], f"resources {ids}")
    for r in out["resources"]:
        for key in ["utilisation", "served", "abandoned", "mean_wait_hours", "p90_wait_hours",
                    "mean_queue", "utilisation_ci", "mean_wait_hours_ci"]:
            check(key in r, f"resource {r['id']} lacks {key}")
        check(0 < r["utilisation"] <= 1.5, f"utilisation of {r['id']}: {r['utilisation']}")
        check(r["p90_wait_hours"] >= 0, "negative p90 wait")
        check([d["day"] for d in r["days"]] == list(range(14)), f"days of resource {r['id']}")
        check(all({"utilisation", "mean_queue", "mean_wait_hours", "staff_cost"} <= set(d)
                  for d in r["days"]), "resource day keys")

# A run of a few days is also given hour by hour; a longer one is not.
short = run_json("--days", "2")
if short:
    check([h["hour"] for h in short.get("hours", [])] == list(range(48)), "no hourly series")
    check(sum(h["arrivals_organic"] for h in short["hours"]) == short["organic_agents"],
          "the hours' arrivals do not add up")
check("hours" not in out, "an hourly series for a run of 14 days")

# A warm-up leaves days out.
warm = run_json("--days", "10", "--warmup-days", "3")
if warm:
    check([d["day"] for d in warm["days"]] == list(range(3, 10)), "warm-up days reported")
    check(warm["warmup_days"] == 3, "warmup_days not reported")

# Same seed, same results, whatever the threads.
a = run_json("--days", "7", "--replications", "3", "--threads", "1")
b = run_json("--days", "7", "--replications", "3", "--threads", "3")
a.pop("seconds", None), b.pop("seconds", None)
check(a == b, "calendar results differ between 1 and 3 threads")

# --agents is refused for a calendar journey, with the reason.
refused = run("run", bank, "--agents", "1000")
check(refused.returncode == 1 and "--agents does not apply" in refused.stderr
      and "calendar journey" in refused.stderr, f"--agents not refused: {refused.stderr}")
# --days needs a calendar.
plain = run("run", tiny, "--days", "3")
check(plain.returncode == 1 and "has no calendar" in plain.stderr, "--days on a plain journey")
# A warm-up as long as the run is refused.
whole = run("run", bank, "--days", "5", "--warmup-days", "5")
check(whole.returncode == 1 and "nothing" in whole.stderr, "a warm-up of the whole run")

# The text report names the calendar's sections.
text = run("run", bank, "--days", "7")
check(text.returncode == 0, f"text run failed: {text.stderr}")
for section in ["Conversion rate", "Calendar: 7 days", "Resources", "agents", "desks",
                "Referred agents", "Day "]:
    check(section in text.stdout, f"text output lacks {section}")

# compare pairs calendar journeys replication by replication.
cmp = run("compare", bank, peak, "--json", "--days", "14", "--replications", "3")
check(cmp.returncode == 0, f"compare of calendar journeys: {cmp.stderr}")
if cmp.returncode == 0:
    c = json.loads(cmp.stdout)
    check([s["name"] for s in c["scenarios"]] ==
          ["Retail bank contact centre", "Retail bank contact centre, agents at the morning peak"],
          "compared scenarios")
    figures = {(f["figure"], f["resource"]): f for f in c["differences"][0]["figures"]}
    cost = figures[("staff_cost", "agents")]
    check(cost["difference"] > 0 and cost["significant"], f"staff cost difference {cost}")
    desks = figures[("staff_cost", "desks")]
    check(desks["difference"] == 0, "the desks' staff cost changed")
    for key in ["current", "future", "difference", "difference_ci", "paired_half_width",
                "independent_half_width"]:
        check(key in cost, f"a compared figure lacks {key}")
text_cmp = run("compare", bank, peak, "--days", "7")
check(text_cmp.returncode == 0 and "Staff cost (agents)" in text_cmp.stdout,
      f"compare text: {text_cmp.stderr}")
mixed = run("compare", bank, tiny)
check(mixed.returncode == 1 and "every state a calendar, or none" in mixed.stderr,
      f"compare of a calendar journey with a plain one: {mixed.stderr}")
agents_cmp = run("compare", bank, peak, "--agents", "100")
check(agents_cmp.returncode == 1 and "--agents does not apply" in agents_cmp.stderr,
      "compare --agents on calendar journeys")

# The future state with agents at the peak: diff names the schedule and the opening hours, and
# it runs, costing more staff and keeping callers waiting less.
d = run("diff", bank, peak)
check(d.returncode == 0 and "agents: schedule mon-fri 00-08 0, 08-10 4" in d.stdout
      and "sat 09:00-13:00; sun closed -> mon-fri 08:00-20:00; sat 09:00-14:00" in d.stdout,
      f"diff of the peak staffing: {d.stdout} {d.stderr}")
now = run_json("--days", "28", "--replications", "3", "--seed", "4")
result = run("run", peak, "--json", "--days", "28", "--replications", "3", "--seed", "4")
check(result.returncode == 0, f"the peak staffing does not run: {result.stderr}")
if now and result.returncode == 0:
    later = json.loads(result.stdout)
    check(later["resources"][0]["staff_cost"] > now["resources"][0]["staff_cost"],
          "more agents did not cost more")
    check(later["resources"][0]["mean_wait_hours"] < now["resources"][0]["mean_wait_hours"],
          "more agents at the peak did not shorten the mean wait")
    # Deterred prospects differ with the states' detractors; the arrivals they cancel do not.
    check(later["organic_agents"] + later["deterred"] == now["organic_agents"] + now["deterred"],
          "the same seed did not bring the same organic arrivals to both states")

# Ctrl-C in the middle of a long calendar run: exit 130 with the message, nothing printed.
long_run = subprocess.Popen([cjsim, "run", bank, "--days", "36500", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
time.sleep(1.5)
long_run.send_signal(signal.SIGINT)
stdout, stderr = long_run.communicate(timeout=120)
check(long_run.returncode == 130 and "interrupted" in stderr and stdout == "",
      f"Ctrl-C mid-run: exit {long_run.returncode}, {stderr!r}, {len(stdout)} bytes out")

# validate accepts the example.
v = run("validate", bank)
check(v.returncode == 0, f"the bank example does not validate: {v.stderr}")

finish("calendar_run")
