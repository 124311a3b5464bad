"""Removing an entry in a future state, from outside (sim/model/MODEL.md 1.11): `validate` warns
at the change, `diff` notes the share of arrivals lost, `compare --json` and its text show the
lost agents, and the results of a journey that loses nothing do not mention them.

Usage: entry_traffic.py CJSIM SOURCE_DIR
"""
import json
import os
import sys
import tempfile

import h5py

cjsim, source = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish, runner  # noqa: E402

run = runner(cjsim)

BASE = """name: Shop
stages: [awareness, purchase]
touchpoints:
  - {id: referral, stage: awareness, channel: partner, entry_weight: 1, dropout: 0.5}
  - {id: search, stage: awareness, channel: web, entry_weight: 3, dropout: 0.4}
  - {id: checkout, stage: purchase, channel: web, conversion: {value: 20}}
transitions:
  - {from: referral, to: checkout}
  - {from: search, to: checkout}
"""

with tempfile.TemporaryDirectory() as tmp:
    base = os.path.join(tmp, "base.yaml")
    lost = os.path.join(tmp, "lost.yaml")
    moved = os.path.join(tmp, "moved.yaml")
    with open(base, "w") as f:
        f.write(BASE)
    with open(lost, "w") as f:
        f.write("name: No referrals\nbase: base.yaml\nchanges:\n  - remove_touchpoint: referral\n")
    with open(moved, "w") as f:
        f.write("name: Referrals search\nbase: base.yaml\nchanges:\n"
                "  - remove_touchpoint: {id: referral, entry_traffic: redistributed}\n")

    v = run("validate", lost)
    said = v.stdout + v.stderr
    check(v.returncode == 0, f"validate failed: {said}")
    check(f"{lost}:4:5: warning: removing 'referral' loses its 25% of arrivals" in said
          and "write entry_traffic: redistributed" in said, f"validate's warning: {said}")
    v = run("validate", moved)
    check(v.returncode == 0 and "arrivals" not in v.stdout + v.stderr,
          f"redistributed warns: {v.stdout + v.stderr}")

    d = run("diff", base, lost)
    check("- removed  referral (awareness, partner, its 25% of arrivals lost)" in d.stdout,
          f"diff text: {d.stdout}")
    d = json.loads(run("diff", base, moved, "--json").stdout)
    notes = [x.get("note") for x in d["differences"] if x["part"] == "touchpoint"]
    check(notes == ["its 25% of arrivals start at the other entries"], f"diff notes {notes}")

    c = run("compare", base, lost, moved, "--agents", "20000", "--seed", "5", "--json")
    check(c.returncode == 0, f"compare failed: {c.stderr}")
    out = json.loads(c.stdout)
    current, future, elsewhere = out["scenarios"]
    check("lost" not in current["ended"] and "lost" not in elsewhere["ended"],
          f"lost shown where nobody is lost: {current['ended']} {elsewhere['ended']}")
    lost_agents = future["ended"].get("lost", 0)
    # Everyone converts but those who drop out at their entry: the lost are the 25% at referral.
    check(4000 < lost_agents < 6000, f"lost agents {lost_agents}")
    check(sum(future["ended"].values()) == future["agents"], f"endings {future['ended']}")
    # The same agents: those not lost walk as before, so conversions fall by the referral's.
    referral = [t for t in current["touchpoints"] if t["id"] == "referral"][0]
    conversions_from_referral = referral["visits"] - referral["dropouts"]
    check(future["conversions"] == current["conversions"] - conversions_from_referral,
          f"conversions {future['conversions']} vs {current['conversions']} - "
          f"{conversions_from_referral}")
    text = run("compare", base, lost, "--agents", "20000", "--seed", "5").stdout
    check(f"{lost_agents:,} of 20,000 agents lost" in text, f"compare text:\n{text}")
    # The results file keeps them: a report read from it counts them as the run did.
    h5, csv = os.path.join(tmp, "c.h5"), os.path.join(tmp, "c.csv")
    w = run("compare", base, lost, "--agents", "20000", "--seed", "5", "--out", h5)
    check(w.returncode == 0, f"compare --out failed: {w.stderr}")
    w = run("report", h5, "--format", "csv", "-o", csv)
    check(w.returncode == 0, f"report failed: {w.stderr}")
    with open(csv) as f:
        rows = [line for line in f if line.startswith("ended,") and ",lost," in line]
    check(len(rows) == 1 and f",overall,lost,{lost_agents}," in rows[0],
          f"report's lost rows: {rows}")
    r = json.loads(run("run", lost, "--agents", "20000", "--seed", "5", "--json").stdout)
    check(r["ended"].get("lost") == lost_agents, f"run --json ended {r['ended']}")

    # The comparison page: a row of the endings table and the Sankey chart's sink.
    page = os.path.join(tmp, "c.html")
    w = run("report", h5, "-o", page)
    check(w.returncode == 0, f"report of the comparison failed: {w.stderr}")
    with open(page, encoding="utf-8") as f:
        html = f.read()
    check(f'removed)</td><td class="num">0<span class="ci">0.0 %</span></td>'
          f'<td class="num">{lost_agents:,}<span' in html, "comparison page: no lost row")
    check(f'"target":"Lost (entry removed)","value":{lost_agents}' in html,
          "comparison page: no lost sink")

    # A sweep over the future state: every point's lost agents are the comparison's (the same
    # agents, seed and entries), in the file, in --summary and its JSON; a sweep of the base
    # journey has none of them.
    for journey, name in ((lost, "lost"), (base, "base")):
        with open(os.path.join(tmp, f"sweep_{name}.yaml"), "w") as f:
            f.write(f"name: Sweep {name}\nscenario: {os.path.basename(journey)}\ndesign: grid\n"
                    "agents: 20000\nreplications: 1\nseed: 5\nmetric: conversion_rate\n"
                    "parameters:\n  touchpoints.search.dropout: [0.2, 0.4]\n")
        out_file = os.path.join(tmp, f"sweep_{name}.h5")
        w = run("sweep", os.path.join(tmp, f"sweep_{name}.yaml"), "--out", out_file)
        check(w.returncode == 0, f"sweep {name} failed: {w.stderr}")
        summary = run("sweep", "--summary", out_file)
        best = json.loads(run("sweep", "--summary", out_file, "--json").stdout)["best"]
        if name == "base":
            check(all("lost" not in p for p in best), f"base sweep shows lost: {best}")
            base_page = os.path.join(tmp, "sweep_base.html")
            check(run("report", out_file, "-o", base_page).returncode == 0, "base sweep page")
            with open(base_page, encoding="utf-8") as f:
                check('<th class="num">lost</th>' not in f.read(), "base sweep page shows lost")
            check(" lost" not in summary.stdout.splitlines()[4], f"base summary:\n{summary.stdout}")
            continue
        check([p.get("lost") for p in best] == [lost_agents, lost_agents], f"sweep --json: {best}")
        header, first = summary.stdout.splitlines()[4:6]
        check(header.rstrip().endswith(" lost") and first.rstrip().endswith(f" {lost_agents:,}"),
              f"sweep --summary:\n{summary.stdout}")
        sweep_csv = os.path.join(tmp, "sweep.csv")
        check(run("report", out_file, "-o", sweep_csv).returncode == 0, "sweep csv failed")
        with open(sweep_csv, encoding="utf-8") as f:
            lost_rows = [line for line in f if ",overall,lost,count," in line]
        check(len(lost_rows) == 2 and all(f",lost,count,{lost_agents}," in x for x in lost_rows),
              f"sweep csv lost rows: {lost_rows}")
        sweep_page = os.path.join(tmp, "sweep.html")
        w = run("report", out_file, "-o", sweep_page)
        check(w.returncode == 0, f"report of the sweep failed: {w.stderr}")
        with open(sweep_page, encoding="utf-8") as f:
            page_text = f.read()
        check('<th class="num">lost</th>' in page_text
              and page_text.count(f'<td class="num">{lost_agents:,}</td>') == 2,
              "sweep page: no lost column")
        with h5py.File(out_file, "r") as f:
            names = f["points"].dtype.names
            check("lost" in names and list(f["points"]["lost"]) == [lost_agents, lost_agents],
                  f"sweep file points: {names}")

finish("entry_traffic")
