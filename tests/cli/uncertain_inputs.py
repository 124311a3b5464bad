"""`run` and `compare` with `--draws K` from outside: the JSON keys, the text in plain words,
the same results for any thread count, the draws stored in HDF5 (read with h5py and pandas)
and shown by `cjsim report`, and the refusals.

Usage: uncertain_inputs.py CJSIM SOURCE_DIR
"""
import json
import os
import re
import sys
import tempfile

import h5py
import numpy as np
import pandas as pd

cjsim, source = sys.argv[1], sys.argv[2]
examples = os.path.join(source, "scenarios", "examples")
data = os.path.join(source, "tests", "data")
bank = os.path.join(examples, "bank_current_account.yaml")
estimate = os.path.join(examples, "bank_current_account_guided_id_estimate.yaml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish, runner  # noqa: E402

run = runner(cjsim)


def compare(threads):
    r = run("compare", bank, estimate, "-n", "20000", "--draws", "16", "--threads", threads,
            "--json")
    check(r.returncode == 0, f"compare --draws failed: {r.stderr}")
    return json.loads(r.stdout) if r.returncode == 0 else {}


out = compare("1")
if out:
    future = out["scenarios"][1]
    for key in ["conversion_rate", "conversion_rate_ci", "conversion_rate_uncertainty"]:
        check(key in future, f"the future state lacks {key}")
    low, high = future["conversion_rate_uncertainty"]
    check(low < high, f"no spread over the draws: {low}, {high}")
    touchpoint = future["touchpoints"][0]
    check("dropout_rate_uncertainty" in touchpoint, "touchpoints lack their uncertainty")
    gain = [d for d in out["differences"]
            if d["metric"] == "conversion_rate" and d["scope"] == "overall"][0]
    for key in ["ci", "uncertainty", "probability_better", "expected"]:
        check(key in gain, f"the difference lacks {key}")
    u = out["uncertainty"]
    check(u["draws"] == 16 and len(u["inputs"]) == 3, f"draws and inputs: {u['inputs']}")
    state = u["future_states"][0]
    for key in ["expected_gain", "gain_uncertainty", "probability_beats_current"]:
        check(key in state, f"the future state's odds lack {key}")
    ranked = u["sensitivity"][0]["ranked"]
    check(len(ranked) == 3 and all("first_order_error" in r for r in ranked),
          f"sensitivity: {ranked}")
    again = compare("2")
    for o in (out, again):
        o.pop("seconds", None)
        for s in o.get("scenarios", []):
            s.pop("seconds", None)
    check(out == again, "two threads give other results than one")

text = run("compare", bank, estimate, "-n", "20000", "--draws", "16")
check(text.returncode == 0, f"compare --draws (text) failed: {text.stderr}")
for words in ["expected gain", "95% of the draws give between", "probability it beats",
              "of the uncertainty in the gain"]:
    check(words in text.stdout, f"the text lacks '{words}':\n{text.stdout}")

single = run("run", estimate, "-n", "20000", "--draws", "8")
check(single.returncode == 0, f"run --draws failed: {single.stderr}")
check("over the inputs" in single.stdout and "Which guess matters most" in single.stdout,
      f"run --draws text:\n{single.stdout}")
plain = run("run", estimate, "-n", "2000")
check(plain.returncode == 0 and "uncertain inputs ran at their means" in plain.stderr,
      f"a plain run does not say its inputs ran at their means: {plain.stderr}")

refused = run("run", bank, "-n", "2000", "--draws", "8")
check(refused.returncode == 1 and "--draws needs uncertain inputs" in refused.stderr,
      f"draws without uncertain inputs: {refused.returncode} {refused.stderr}")
one = run("run", estimate, "--draws", "1")
check(one.returncode == 2, f"--draws 1: {one.returncode} {one.stderr}")
# The draws stored: -o FILE.h5 holds the comparison as without draws plus the group
# `uncertainty`, whose tables pandas reads; `cjsim report` shows them answer first, and the
# total effects (--total-effects) come with their errors.
with tempfile.TemporaryDirectory() as work:
    stored = os.path.join(work, "drawn.h5")
    page = os.path.join(work, "drawn.html")
    r = run("compare", bank, estimate, "-n", "5000", "--draws", "8", "--total-effects",
            "-o", stored, "--report", page)
    check(r.returncode == 0 and f"cjsim: wrote {stored}" in r.stderr,
          f"compare --draws -o: {r.returncode} {r.stderr}")
    if r.returncode == 0:
        with h5py.File(stored, "r") as f:
            check(f.attrs["format"] == "cjsim-comparison", "the comparison's layout is kept")
            u = f["uncertainty"]
            check(u.attrs["draws"] == 8 and u.attrs["runs"] == 8 * 4,
                  f"draws {u.attrs['draws']}, runs {u.attrs['runs']}")
            tables = {name: pd.DataFrame(u[name][()]) for name in
                      ["inputs", "parameters", "figures", "differences", "intervals",
                       "future_states", "beats", "sensitivity"]}
            figures_units = json.loads(u["figures"].attrs["units"])
        check(len(tables["parameters"]) == 8 and len(tables["inputs"]) == 3,
              f"parameters: {tables['parameters']}")
        check(len(tables["figures"]) == 8 * 2 and figures_units["conversion_rate"] == "share",
              f"figures: {tables['figures']}, units {figures_units}")
        intervals = tables["intervals"]
        rate = intervals[(intervals.figure == b"conversion_rate") & (intervals.scenario_index == 1)]
        check(len(rate) == 1 and float(rate.uncertainty_low.iloc[0]) < float(rate.uncertainty_high.iloc[0]),
              f"intervals: {rate}")
        check(abs(float(rate.value.iloc[0]) - out["scenarios"][1]["conversion_rate"]) < 0.05,
              "the central figure is far from the JSON's")
        state = tables["future_states"]
        check(0.0 <= float(state.probability_beats_current.iloc[0]) <= 1.0, f"future states: {state}")
        ranked = tables["sensitivity"]
        check(len(ranked) == 3 and ranked.total.notna().all() and list(ranked["rank"]) == [1, 2, 3],
              f"sensitivity: {ranked}")
        reported = os.path.join(work, "reported.html")
        r = run("report", stored, "-o", reported)
        check(r.returncode == 0, f"report of a file with draws: {r.stderr}")
        with open(reported, encoding="utf-8") as f:
            text = f.read()
        with open(page, encoding="utf-8") as f:
            direct = f.read()
        check('id="how-sure"' in text and text.index('id="how-sure"') < text.index('id="answer"'),
              "the report does not say how sure it is first")
        for words in ["beats", "of the uncertainty in its gain", "with the others",
                      "Both intervals", "over the draws"]:
            check(words in text, f"the report lacks '{words}'")
        def how_sure(page_text):
            start = page_text.find('<section id="how-sure"')
            return page_text[start:page_text.find("</section>", start)]
        check(how_sure(direct) and how_sure(direct) == how_sure(text),
              "--report and `cjsim report FILE.h5` say differently how sure it is")
        # Markdown puts "How sure it is" first too; CSV adds rows of the draws, the odds and
        # the sensitivity, whose figures are the HDF5 tables'.
        markdown = os.path.join(work, "reported.md")
        r = run("report", stored, "-o", markdown)
        check(r.returncode == 0, f"Markdown report of a file with draws: {r.stderr}")
        with open(markdown, encoding="utf-8") as f:
            md = f.read()
        check("## How sure it is" in md and md.index("## How sure it is") < md.index("## Headline"),
              f"the Markdown does not say how sure it is first:\n{md[:600]}")
        for words in ["95% of the draws", "beats", "Which guess matters most", "first-order",
                      "total", "(`touchpoints."]:
            check(words in md, f"the Markdown lacks '{words}'")
        table = os.path.join(work, "reported.csv")
        r = run("report", stored, "-o", table)
        check(r.returncode == 0, f"CSV report of a file with draws: {r.stderr}")
        rows = pd.read_csv(table)
        drawn = rows[(rows.table == "draws") & (rows.metric == "conversion_rate")]
        # The current state has no uncertain input: every draw gives it the same figure.
        check(len(drawn) == 2 and drawn.ci_low.iloc[0] == drawn.ci_high.iloc[0] and
              drawn.ci_low.iloc[1] < drawn.ci_high.iloc[1], f"draws rows: {drawn.to_string()}")
        future = drawn.iloc[1]
        check(abs(future.ci_low - float(rate.uncertainty_low.iloc[0])) < 1e-12 and
              abs(future.ci_high - float(rate.uncertainty_high.iloc[0])) < 1e-12,
              f"the CSV's range over the draws differs from the HDF5 table's: {future}")
        odds = rows[(rows.table == "odds") & (rows.metric == "probability_better")]
        check(len(odds) == 1 and abs(odds.value.iloc[0] -
                                     float(state.probability_beats_current.iloc[0])) < 1e-12,
              f"odds rows: {odds}")
        indices = rows[rows.table == "sensitivity"]
        check(len(indices) == 6 and set(indices.metric) == {"first_order", "total"},
              f"sensitivity rows: {indices}")
    single = os.path.join(work, "single.h5")
    r = run("run", estimate, "-n", "2000", "--draws", "4", "-o", single)
    check(r.returncode == 0, f"run --draws -o: {r.stderr}")
    if r.returncode == 0:
        with h5py.File(single, "r") as f:
            check(f["uncertainty"].attrs["ranked_on"] == "conversion_rate" and
                  len(f["uncertainty/figures"]) == 4, "a run's draws are not stored")
    r = run("run", estimate, "-n", "2000", "--total-effects")
    check(r.returncode == 2 and "--draws" in r.stderr, f"--total-effects alone: {r.stderr}")
# Calendar journeys take draws: each draw runs the days and queues with the callers' patience
# drawn, and every calendar figure gets its interval over the draws.
call_centre = os.path.join(examples, "bank_call_centre_estimate.yaml")
call_back = os.path.join(examples, "bank_call_centre_call_back_estimate.yaml")
week = ["--draws", "4", "--days", "7", "-r", "2"]


def calendar_run(threads):
    r = run("run", call_centre, *week, "--threads", threads, "--json")
    check(r.returncode == 0, f"run --draws of a calendar journey failed: {r.stderr}")
    if r.returncode != 0:
        return {}
    out = json.loads(r.stdout)
    out.pop("seconds", None)
    return out


calendar = calendar_run("1")
if calendar:
    for key in ["conversion_rate_uncertainty", "journeys_per_customer_uncertainty",
                "lifetime_value_uncertainty"]:
        check(key in calendar, f"the calendar run lacks {key}")
    agents = [r for r in calendar["resources"] if r["id"] == "agents"][0]
    for key in ["utilisation_uncertainty", "mean_wait_hours_uncertainty",
                "abandonment_rate_uncertainty"]:
        check(key in agents, f"the resource lacks {key}: {sorted(agents)}")
    low, high = agents["abandonment_rate_uncertainty"]
    check(low < high, f"the patience drawn does not move the abandonment: {low}, {high}")
    check([i["input"] for i in calendar["uncertainty"]["inputs"]] ==
          ["touchpoints.call_centre.patience_hours"], f"inputs: {calendar['uncertainty']}")
    check(calendar == calendar_run("2"), "a calendar run with draws differs with two threads")
with tempfile.TemporaryDirectory() as work:
    stored = os.path.join(work, "calendar.h5")
    out = {}
    r = run("compare", call_centre, call_back, *week, "--json", "-o", stored)
    check(r.returncode == 0, f"compare --draws of calendar journeys failed: {r.stderr}")
    if r.returncode == 0:
        out = json.loads(r.stdout)
        rows = out["differences"][0]["figures"]
        check(rows and all("uncertainty" in d and "probability_better" in d for d in rows),
              f"calendar differences lack their odds: {rows[:2]}")
        state = out["uncertainty"]["future_states"][0]
        check(0 <= state["probability_beats_current"] <= 1, f"odds: {state}")
        check(len(out["uncertainty"]["inputs"]) == 2, f"inputs: {out['uncertainty']['inputs']}")
        with h5py.File(stored, "r") as f:
            check("calendar" in f["current"] and "calendar" in f["future_1"],
                  f"the calendar groups are missing: {list(f)}")
            check(f["uncertainty"].attrs["ranked_on"] == "conversion_rate" and
                  len(f["uncertainty/figures"]) == 8, "the calendar draws are not stored")
            # Each resource's figures per draw, a tidy table with units that pandas reads, whose
            # range over the draws is the JSON's; and each resource figure's difference per draw.
            resources = pd.DataFrame(f["uncertainty/resources"][()])
            units = json.loads(f["uncertainty/resources"].attrs["units"])
            differences = pd.DataFrame(f["uncertainty/resource_differences"][()])
        for column in ["draw", "scenario", "scenario_index", "resource", "lane", "utilisation",
                       "mean_wait_hours", "p90_wait_hours", "abandonment_rate", "staff_cost"]:
            check(column in resources.columns, f"the resources' draws lack {column}")
        check(units.get("p90_wait_hours") == "hours" and units.get("utilisation") == "share"
              and units.get("staff_cost") == "money", f"units of the resources' draws: {units}")
        check(len(resources) == 4 * 2 * 2, f"{len(resources)} rows of resources' draws")
        for s, scenario in enumerate(out["scenarios"]):
            for listed in scenario["resources"]:
                drawn = resources[(resources.scenario_index == s) &
                                  (resources.resource == listed["id"].encode())]
                for column in ["utilisation", "mean_wait_hours", "p90_wait_hours",
                               "abandonment_rate"]:
                    low, high = listed[column + "_uncertainty"]
                    values = drawn[column].dropna().to_numpy()
                    if low is None:  # no draw has the figure
                        check(len(values) == 0, f"{listed['id']} {column}: {values}")
                        continue
                    check(len(drawn) == 4 and len(values) > 0 and
                          abs(np.quantile(values, 0.025) - low) < 1e-9 * max(1, abs(low)) and
                          abs(np.quantile(values, 0.975) - high) < 1e-9 * max(1, abs(high)),
                          f"{scenario['name']} {listed['id']} {column}: the stored draws "
                          f"{values} do not give the JSON's range {low}, {high}")
        waits = differences[(differences.resource == b"agents") &
                            (differences.metric == b"p90_wait_hours")]
        check(len(waits) == 4 and set(waits.unit) == {b"hours"} and
              list(waits.draw) == [0, 1, 2, 3], f"resource differences: {differences}")
    r = run("run", call_centre, *week)
    check(r.returncode == 0 and "Uncertain inputs: 4 draws" in r.stdout
          and "Which guess matters most" in r.stdout, f"calendar draws in words: {r.stdout}")
    # The calendar page shows the draws: how sure it is first, each figure's range over the
    # draws in its cell (the JSON's x_uncertainty), each difference's odds (the JSON's).
    page = os.path.join(work, "page.html")
    r = run("run", call_centre, *week, "--report", page)
    check(r.returncode == 0 and os.path.exists(page), f"run --report with calendar draws: {r.stderr}")
    if r.returncode == 0 and calendar:
        with open(page, encoding="utf-8") as f:
            text = f.read()
        check('id="how-sure"' in text and "Which guess matters most" in text,
              "the calendar page lacks the section on how sure it is")
        cells = {}
        for m in re.finditer(r'<tr data-resource="([^"]+)">(.*?)</tr>', text, re.S):
            for c in re.finditer(r'data-key="resources\.(\w+)" data-value="[^"]*" '
                                 r'data-uncertainty="\[([^,\]]*),([^\]]*)\]"', m.group(2)):
                cells[(m.group(1), c.group(1))] = (float(c.group(2)), float(c.group(3)))
        check(cells.get(("agents", "abandonment_rate")) ==
              tuple(agents["abandonment_rate_uncertainty"]),
              f"the page's range of the agents' abandonment differs from the JSON's: "
              f"{cells.get(('agents', 'abandonment_rate'))}")
        staff = re.search(r'data-key="staff_cost" data-value="[^"]*" '
                          r'data-uncertainty="\[([^,\]]*),([^\]]*)\]"', text)
        check(staff and [float(staff.group(1)), float(staff.group(2))] ==
              calendar["staff_cost_uncertainty"], "the page's range of the staff cost")
    page = os.path.join(work, "compared.html")
    r = run("compare", call_centre, call_back, *week, "--report", page)
    check(r.returncode == 0 and os.path.exists(page), f"compare --report with draws: {r.stderr}")
    if r.returncode == 0 and out:
        with open(page, encoding="utf-8") as f:
            text = f.read()
        odds = [float(x) for x in re.findall(r'data-probability-better="([^"]+)"', text)]
        check(odds == [d["probability_better"] for d in out["differences"][0]["figures"]],
              f"the page's odds differ from the JSON's: {odds[:4]}")
        check("beats" in text and "Over the uncertain inputs it is better in" in text,
              "the calendar comparison's page does not say the odds in words")
# --rank-by takes a calendar comparison's figures as `sweep --summary` names them: the run's
# (staff_cost) and a resource's as RESOURCE.FIGURE; a bad name is refused with the valid ones.
for figure in ["staff_cost", "agents.p90_wait_hours"]:
    r = run("compare", call_centre, call_back, *week, "--rank-by", figure, "--json")
    check(r.returncode == 0, f"--rank-by {figure}: {r.stderr}")
    if r.returncode == 0:
        ranked = json.loads(r.stdout)["uncertainty"]
        check(ranked["future_states"][0]["metric"] == figure and
              ranked["sensitivity"][0]["figure"] == figure, f"--rank-by {figure}: {ranked}")
r = run("compare", call_centre, call_back, *week, "--rank-by", "agents.wait")
check(r.returncode != 0 and "staff_cost" in r.stderr and "RESOURCE.utilisation" in r.stderr,
      f"a bad --rank-by: {r.stderr}")
r = run("compare", call_centre, call_back, *week, "--rank-by", "nowhere.p90_wait_hours")
check(r.returncode == 1 and "agents.p90_wait_hours" in r.stderr,
      f"--rank-by of a resource the journeys lack: {r.stderr}")
r = run("compare", bank, estimate, "-n", "2000", "--rank-by", "staff_cost")
check(r.returncode == 1 and "calendar journey's figure" in r.stderr and "conversion_rate" in r.stderr,
      f"--rank-by staff_cost without a calendar: {r.stderr}")
detail = run("run", estimate, "-n", "2000", "--draws", "4", "--agents-detail",
             "-o", os.path.join(data, "x.h5"))
check(detail.returncode == 1 and "--agents-detail" in detail.stderr,
      f"--draws with --agents-detail: {detail.stderr}")
check(not os.path.exists(os.path.join(data, "x.h5")), "a file was written")

finish("uncertain_inputs")
