"""Removing an entry in a future state, from outside (sim/model/MODEL.md 1.11): `validate` warns
at the change, `diff` notes the share of arrivals lost, `compare --json` and its text show the
lost agents, and the results of a journey that loses nothing do not mention them.

Usage: entry_traffic.py CJSIM SOURCE_DIR
"""
import json
import os
import sys
import tempfile

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

finish("entry_traffic")
