"""`cjsim sweep` from outside: the HDF5 file read with h5py and pandas, a design point equal to
a plain `cjsim run` with the same seed, the summary's order and sensitivity, independence of
the thread count, and the errors (bad experiment, existing output, leftover parts).

Usage: sweep_command.py CJSIM SOURCE_DIR
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish, runner  # noqa: E402
from h5compare import differences  # noqa: E402

cjsim, source = sys.argv[1], os.path.abspath(sys.argv[2])
tiny = os.path.join(source, "tests", "data", "tiny.yaml")


run = runner(cjsim)


EXPERIMENT = f"""name: Tiny grid
scenario: {tiny}
agents: 3000
replications: 2
seed: 5
parameters:
  settings.kappa: [0, 1.0]
  touchpoints.checkout.value: [60, 80, 100]
"""

with tempfile.TemporaryDirectory() as directory:
    experiment = os.path.join(directory, "grid.yaml")
    with open(experiment, "w") as f:
        f.write(EXPERIMENT)
    out = os.path.join(directory, "grid.h5")
    done = run("sweep", experiment, "--out", out, "--threads", "2")
    if done.returncode != 0:
        print(f"sweep failed (exit {done.returncode}): {done.stderr}")
        sys.exit(1)
    check("Which parameter moves conversion_rate most" in done.stdout, f"no ranking: {done.stdout}")
    check(not os.path.exists(out + ".parts"), "the parts directory was left behind")

    with h5py.File(out, "r") as f:
        check(f.attrs["format"] == "cjsim-sweep", "format attribute")
        check(int(f.attrs["points"]) == 6, "points attribute")
        points = pd.DataFrame(f["points"][()])
        rows = pd.DataFrame(f["replications"][()])
        sensitivity = pd.DataFrame(f["sensitivity"][()])
        check(len(points) == 6 and len(rows) == 12, f"{len(points)} points, {len(rows)} rows")
        check(list(points["settings.kappa"]) == [0, 0, 0, 1, 1, 1], "grid order of kappa")
        check(list(points["touchpoints.checkout.value"]) == [60, 80, 100] * 2, "grid order of value")
        check(set(sensitivity["parameter"].str.decode("utf-8")) ==
              {"settings.kappa", "touchpoints.checkout.value"}, "sensitivity parameters")
        # One set of points (one journey shape), every point's replications in its raw/.
        check(sorted(f["runs"].keys()) == ["set_0"], f"raw sets: {sorted(f['runs'].keys())}")
        check(list(f["runs/set_0/points"][()]) == list(range(6)), "the points of the raw set")
        check(f["runs/set_0/raw/visits"].shape[0] == 12, "a raw row per point and replication")
        # The point mean is the mean of its replications' rows.
        for k in range(6):
            mine = rows[rows["point"] == k]["conversion_rate"].mean()
            check(abs(points["conversion_rate"][k] - mine) < 1e-12, f"point {k} mean")
        # Changing a conversion's value moves no agent (common random numbers): the conversion
        # rate is the same at every value, and revenue per agent scales with it.
        for kappa in (0, 1):
            same = points[points["settings.kappa"] == kappa]
            check(same["conversion_rate"].nunique() == 1, f"kappa {kappa}: conversion moved")
            ratio = same["revenue_per_agent"].iloc[2] / same["revenue_per_agent"].iloc[0]
            check(abs(ratio - 100 / 60) < 1e-9, f"kappa {kappa}: revenue ratio {ratio}")
        # The value does not move conversion at all: kappa ranks first, value's spread is 0.
        ranked = sensitivity.sort_values("rank")
        check(ranked["parameter"].iloc[0] == b"settings.kappa", f"ranking: {ranked}")
        check(ranked["importance"].iloc[1] == 0.0, f"value's spread: {ranked}")
        base_point = points[(points["settings.kappa"] == 1.0) & (points["touchpoints.checkout.value"] == 60)]
        # Every column of the point tables has its unit in the table's `units` attribute.
        for name, table in (("points", points), ("replications", rows)):
            units = json.loads(f[name].attrs["units"])
            check(set(units) == set(table.columns) - {"scenario"},
                  f"{name}: columns without a unit: {set(table.columns) - set(units)}")
            check(units["conversion_rate"] == "share" and units["revenue_per_agent"] == "money"
                  and units["agents"] == "count" and units["touchpoints.checkout.value"] == "money"
                  and units["settings.kappa"] != "", f"{name} units: {units}")
        check(json.loads(f["points"].attrs["units"])["conversion_rate_ci_low"] == "share",
              "an interval's unit is its figure's")

    # The point at tiny.yaml's own values is a plain run with the experiment's seed.
    plain = run("run", tiny, "--agents", "3000", "--replications", "2", "--seed", "5", "--json")
    check(plain.returncode == 0, plain.stderr)
    figures = json.loads(plain.stdout)
    for name in ("conversion_rate", "margin_per_agent", "nps"):
        value = figures[name]
        check(value == base_point[name].iloc[0],
              f"{name}: run gives {value}, the sweep {base_point[name].iloc[0]}")

    # The same file whatever the thread count.
    out1 = os.path.join(directory, "one_thread.h5")
    one = run("sweep", experiment, "--out", out1, "--threads", "1")
    check(one.returncode == 0, one.stderr)
    check(differences(out, out1) == [], f"1 vs 2 threads: {differences(out, out1)}")

    # --summary: best first, by the metric asked for.
    summary = run("sweep", "--summary", out, "--metric", "revenue_per_agent")
    check(summary.returncode == 0, summary.stderr)
    with h5py.File(out, "r") as f:
        points = pd.DataFrame(f["points"][()])
    best = int(points["revenue_per_agent"].idxmax())
    lines = [l for l in summary.stdout.splitlines() if l.strip().startswith("1 ")]
    check(lines and lines[0].split()[1] == str(best), f"best point {best}, printed: {lines}")
    cheapest = run("sweep", "--summary", out, "--metric", "cost_per_agent")
    check("lower is better" in cheapest.stdout, cheapest.stdout)
    bad_metric = run("sweep", "--summary", out, "--metric", "conversion")
    check(bad_metric.returncode == 1 and "no headline figure 'conversion'" in bad_metric.stderr,
          bad_metric.stderr)

    # --summary --json: the same best point, every figure as name and name_ci, the ranking.
    as_json = run("sweep", "--summary", out, "--metric", "revenue_per_agent", "--json", "--top", "3")
    check(as_json.returncode == 0, as_json.stderr)
    summary_json = json.loads(as_json.stdout)
    check(summary_json["metric"] == "revenue_per_agent" and summary_json["points"] == 6,
          f"json head: {as_json.stdout[:300]}")
    check(len(summary_json["best"]) == 3 and summary_json["best"][0]["point"] == best,
          f"json best: {summary_json['best'][:1]}")
    first = summary_json["best"][0]
    check(first["revenue_per_agent"] == points["revenue_per_agent"][best] and
          first["revenue_per_agent_ci"] == [points["revenue_per_agent_ci_low"][best],
                                            points["revenue_per_agent_ci_high"][best]],
          f"json figures of the best point: {first}")
    check(first["values"]["settings.kappa"] == points["settings.kappa"][best], f"json values: {first}")
    check(summary_json["sensitivity"][0]["method"] == "main_effect" and
          {r["parameter"] for r in summary_json["sensitivity"][0]["ranked"]} ==
          {"settings.kappa", "touchpoints.checkout.value"}, f"json ranking: {summary_json['sensitivity']}")

    # Paired differences from the reference point (by default the point at tiny.yaml's own
    # values, kappa 1 and value 60: point 3): in the file with their units, and in --summary
    # --json to the bit; the sensitivity's intervals too.
    def same(from_json, stored):
        return (from_json is None and np.isnan(stored)) or from_json == stored

    with h5py.File(out, "r") as f:
        stored_differences = pd.DataFrame(f["differences"][()])
        difference_attributes = dict(f["differences"].attrs)
        difference_units = json.loads(f["differences"].attrs["units"])
        stored_sensitivity = pd.DataFrame(f["sensitivity"][()])
        sensitivity_units = json.loads(f["sensitivity"].attrs["units"])
    check(int(difference_attributes["reference_point"]) == 3 and
          difference_attributes["reference"] == "base", f"reference: {difference_attributes}")
    check(set(difference_units) == set(stored_differences.columns) - {"scenario"} and
          difference_units["conversion_rate_ci_low"] == "share" and
          difference_units["revenue_per_agent_unpaired_half_width"] == "money",
          f"difference units: {difference_units}")
    check(sensitivity_units["swing_ci_low"] == "share", f"sensitivity units: {sensitivity_units}")
    everything = run("sweep", "--summary", out, "--json", "--top", "0")
    check(everything.returncode == 0, everything.stderr)
    everything = json.loads(everything.stdout)
    check(everything["reference"]["point"] == 3 and everything["reference"]["why"] == "base" and
          everything["reference"]["values"] == {"settings.kappa": 1.0,
                                                "touchpoints.checkout.value": 60.0},
          f"json reference: {everything['reference']}")
    check(len(everything["differences"]) == 6, "a difference per point")
    for k, row in enumerate(everything["differences"]):
        for name in ("conversion_rate", "revenue_per_agent", "margin_per_agent", "nps",
                     "hours_to_convert"):
            low, high = row[name + "_ci"]
            check(same(row[name], stored_differences[name][k]) and
                  same(low, stored_differences[name + "_ci_low"][k]) and
                  same(high, stored_differences[name + "_ci_high"][k]) and
                  same(row[name + "_unpaired_half_width"],
                       stored_differences[name + "_unpaired_half_width"][k]),
                  f"point {k} {name}: json {row} vs file {stored_differences.iloc[k].to_dict()}")
        # The value moves no agent: at kappa 1, conversion is the reference's exactly.
        if row["values"]["settings.kappa"] == 1.0:
            check(row["conversion_rate"] == 0 and row["conversion_rate_ci"] == [0, 0],
                  f"point {k}: conversion moved with the value alone: {row}")
    check(everything["differences"][3]["revenue_per_agent_ci"] == [0, 0], "reference vs itself")
    # The journey's hours move little with kappa: paired, the noise the points share cancels.
    kappa_off = everything["differences"][0]
    paired_half = (kappa_off["hours_to_convert_ci"][1] - kappa_off["hours_to_convert_ci"][0]) / 2
    check(0 < paired_half < kappa_off["hours_to_convert_unpaired_half_width"],
          f"paired not narrower than unpaired: {kappa_off}")
    json_ranking = {r["parameter"]: r for r in everything["sensitivity"][0]["ranked"]}
    for _, r in stored_sensitivity.iterrows():
        mine = json_ranking[r["parameter"].decode("utf-8")]
        check(same(mine["swing"], r["swing"]) and
              same(mine["swing_ci"][0], r["swing_ci_low"]) and
              same(mine["swing_ci"][1], r["swing_ci_high"]) and
              mine["beyond_noise"] == bool(r["beyond_noise"]),
              f"sensitivity json {mine} vs file {r.to_dict()}")
    check("touchpoints.checkout.value" in everything["sensitivity"][0]["within_noise"] and
          json_ranking["touchpoints.checkout.value"]["swing_ci"] == [0, 0],
          f"the value is not within the noise: {everything['sensitivity'][0]}")
    words = run("sweep", "--summary", out)
    check("Differences from point 3 (the base scenario's own values" in words.stdout and
          re.search(r"Within the noise: [^\n]*touchpoints\.checkout\.value", words.stdout),
          f"summary words: {words.stdout}")
    # --reference N: the differences from another point, computed from the file's replications.
    other = json.loads(run("sweep", "--summary", out, "--json", "--reference", "0").stdout)
    check(other["reference"] == {"point": 0, "scenario": "Tiny shop", "why": "named",
                                 "values": {"settings.kappa": 0.0,
                                            "touchpoints.checkout.value": 60.0}} and
          other["differences"][0]["conversion_rate_ci"] == [0, 0] and
          other["differences"][3]["conversion_rate"] == -everything["differences"][0]["conversion_rate"],
          f"--reference 0: {other['reference']}, {other['differences'][3]}")
    past = run("sweep", "--summary", out, "--reference", "6")
    check(past.returncode == 1 and "--reference 6: there is no such design point" in past.stderr,
          past.stderr)
    named_out = os.path.join(directory, "named.h5")
    named = run("sweep", experiment, "--out", named_out, "--reference", "0", "--json")
    check(named.returncode == 0 and json.loads(named.stdout)["differences"] == other["differences"],
          f"sweep --reference 0: {named.stderr}")
    with h5py.File(named_out, "r") as f:
        check(int(f["differences"].attrs["reference_point"]) == 0, "--reference not stored")
    past = run("sweep", experiment, "--out", named_out, "--reference", "6", "--force")
    check(past.returncode == 1 and "--reference 6" in past.stderr,
          past.stderr)

    # Paired by agent group (the plain model's agents are independent): the method and the
    # groups in the file, and a one-replication sweep with intervals, the file's differences
    # equal to --summary --json's to the bit for every headline figure.
    with h5py.File(out, "r") as f:
        check(difference_attributes["method"] == "agent groups" and
              int(difference_attributes["agent_groups"]) == 20,
              f"difference method: {difference_attributes}")
        groups = pd.DataFrame(f["agent_groups"][()])
        group_units = json.loads(f["agent_groups"].attrs["units"])
        check(len(groups) == 6 * 2 * 20 and set(groups["group"]) == set(range(20)) and
              (groups.groupby(["point", "replication"])["agents"].sum() == 3000).all(),
              f"agent groups: {groups.head()}")
        check(set(group_units) == set(groups.columns) and group_units["nps"] == "nps_points",
              f"agent group units: {group_units}")
    check(everything["difference_method"] == "agent groups" and
          everything["difference_agent_groups"] == 20, f"json method: {everything['difference_method']}")
    single_out = os.path.join(directory, "single.h5")
    single = run("sweep", experiment, "--out", single_out, "--replications", "1")
    check(single.returncode == 0, single.stderr)
    single_json = json.loads(run("sweep", "--summary", single_out, "--json", "--top", "0").stdout)
    with h5py.File(single_out, "r") as f:
        single_differences = pd.DataFrame(f["differences"][()])
    for k, row in enumerate(single_json["differences"]):
        for figure in ("conversion_rate", "revenue_per_agent", "cost_per_agent", "margin_per_agent",
                       "hours_to_convert", "journey_hours", "steps_per_agent", "nps",
                       "likelihood_to_recommend", "peak_end", "gave_up_rate",
                       "left_after_converting_rate"):
            low, high = row[figure + "_ci"]
            check(same(row[figure], single_differences[figure][k]) and
                  same(low, single_differences[figure + "_ci_low"][k]) and
                  same(high, single_differences[figure + "_ci_high"][k]),
                  f"one replication, point {k} {figure}: json {row} vs file")
    kappa_off = single_json["differences"][0]
    check(all(v is not None for v in kappa_off["conversion_rate_ci"]) and
          kappa_off["conversion_rate_ci"][0] < kappa_off["conversion_rate_ci"][1],
          f"one replication without an interval: {kappa_off}")
    single_words = run("sweep", "--summary", single_out)
    check("Student t across 20 agent groups" in single_words.stdout and
          "One replication: no intervals" not in single_words.stdout,
          f"one-replication summary: {single_words.stdout}")

    # --list-points: the design as a table, nothing run or written.
    listed_out = os.path.join(directory, "listed.h5")
    listed = run("sweep", experiment, "--out", listed_out, "--list-points", "--agents", "77")
    check(listed.returncode == 0 and not os.path.exists(listed_out) and
          not os.path.exists(listed_out + ".parts"), f"--list-points: {listed.stderr}")
    table_lines = listed.stdout.splitlines()
    check("6 points, 77 agents x 2 replications, seed 5" in table_lines[0], listed.stdout)
    header = table_lines[2].split()
    check(header == ["point", "settings.kappa", "touchpoints.checkout.value"], f"header {header}")
    check([l.split() for l in table_lines[3:]] ==
          [[str(k), kappa, value] for k, (kappa, value) in
           enumerate((a, b) for a in ("0", "1") for b in ("60", "80", "100"))],
          f"listed points: {listed.stdout}")

    # --agents, --replications and --seed in place of the experiment's: the file says so, and
    # a point equals a plain run with them.
    override_out = os.path.join(directory, "override.h5")
    overridden = run("sweep", experiment, "--out", override_out, "--agents", "2000",
                     "--replications", "3", "--seed", "9")
    check(overridden.returncode == 0, overridden.stderr)
    with h5py.File(override_out, "r") as f:
        check((int(f.attrs["agents"]), int(f.attrs["replications"]), int(f.attrs["seed"])) ==
              (2000, 3, 9), "the overrides are not in the file's attributes")
        override_points = pd.DataFrame(f["points"][()])
    plain = run("run", tiny, "--agents", "2000", "--replications", "3", "--seed", "9", "--json")
    at_base = override_points[(override_points["settings.kappa"] == 1.0) &
                              (override_points["touchpoints.checkout.value"] == 60)]
    check(json.loads(plain.stdout)["conversion_rate"] == at_base["conversion_rate"].iloc[0],
          "a point of the overridden sweep is not the plain run with the same settings")
    # A file made with other overrides is another experiment's: not resumed into.
    mixed = run("sweep", experiment, "--out", override_out, "--agents", "2001", "--resume")
    check(mixed.returncode == 1 and "different experiment" in mixed.stderr,
          f"resume with other overrides: exit {mixed.returncode}: {mixed.stderr}")
    bad_seed = run("sweep", experiment, "--seed", "-1", "--list-points")
    check(bad_seed.returncode == 2 and "--seed" in bad_seed.stderr, bad_seed.stderr)

    # --shard I/N: three jobs (as of a Slurm array) each run a third of the points into their
    # own parts and write no file; --merge then writes the file one process writes.
    sharded = os.path.join(directory, "sharded.h5")
    merge_early = None
    for i in range(3):
        shard = run("sweep", experiment, "--out", sharded, "--shard", f"{i}/3")
        check(shard.returncode == 0 and "--merge" in shard.stderr, f"shard {i}: {shard.stderr}")
        check(not os.path.exists(sharded), f"shard {i} wrote the file")
        parts = f"{sharded}.shard-{i}-of-3.parts"
        stored = 0
        for name in os.listdir(parts):
            if name.startswith("batch-"):
                with h5py.File(os.path.join(parts, name), "r") as f:
                    points_here = [int(k) for k in f["set_0/points"][()]]
                check(all(k % 3 == i for k in points_here), f"shard {i} ran {points_here}")
                stored += len(points_here)
        check(stored == 2, f"shard {i} stored {stored} points")
        if i == 1:
            merge_early = run("sweep", experiment, "--out", sharded, "--merge")
    check(merge_early.returncode == 1 and "in no shard's parts" in merge_early.stderr and
          not os.path.exists(sharded), f"merge with a shard missing: {merge_early.stderr}")
    merged = run("sweep", experiment, "--out", sharded, "--merge")
    check(merged.returncode == 0 and os.path.exists(sharded), f"merge: {merged.stderr}")
    check(differences(out, sharded) == [], f"merged shards vs one process: {differences(out, sharded)}")
    with h5py.File(out, "r") as one_file, h5py.File(sharded, "r") as merged_file:
        for name in ("points", "replications", "sensitivity", "runs/set_0/points",
                     "runs/set_0/raw/visits", "runs/set_0/raw/transitions"):
            check(one_file[name][()].tobytes() == merged_file[name][()].tobytes(),
                  f"{name}: not byte-identical after the merge")
    leftovers = [n for n in os.listdir(directory) if n.startswith("sharded.h5.")]
    check(not leftovers, f"the merge left {leftovers}")
    bad_shard = run("sweep", experiment, "--out", sharded, "--shard", "3/3")
    check(bad_shard.returncode == 1 and "--shard 3/3" in bad_shard.stderr, bad_shard.stderr)

    # cjsim report: the same points as Markdown and CSV, best first, with the paired differences
    # and the ranking (the CSV in long form: one row per figure, pivoted here to one per point).
    csv_path = os.path.join(directory, "grid.csv")
    report = run("report", out, "-o", csv_path, "--metric", "revenue_per_agent")
    check(report.returncode == 0, report.stderr)
    long_form = pd.read_csv(csv_path)
    table = (long_form[long_form["table"] == "points"]
             .pivot(index=["rank", "point"], columns="metric", values="value").reset_index())
    check(len(table) == 6 and list(table["rank"]) == list(range(1, 7)), f"csv rows: {table}")
    check(int(table["point"].iloc[0]) == best, f"csv best point {table['point'].iloc[0]}, not {best}")
    check(table["revenue_per_agent"].is_monotonic_decreasing, "csv not best first")
    check(table["conversion_rate"].iloc[0] == points["conversion_rate"][best],
          "csv figures differ from the file's")
    csv_differences = long_form[(long_form["table"] == "differences")
                                & (long_form["metric"] == "conversion_rate")].set_index("point")
    check(len(csv_differences) == 6 and set(csv_differences["unit"]) == {"share"},
          f"csv differences: {csv_differences}")
    md_path = os.path.join(directory, "grid.md")
    report = run("report", out, "-o", md_path)
    with open(md_path) as f:
        markdown = f.read()
    design_table = markdown.split("## Design points", 1)[1].split("\n## ", 1)[0]
    check(report.returncode == 0 and design_table.count("\n| ") == 8, f"markdown table: {markdown[:500]}")
    check("## Paired differences from the reference" in markdown and "## Which parameter moves" in markdown,
          f"markdown differences or ranking missing: {markdown[-1500:]}")

    # An existing output is refused, and so are leftover parts without --resume.
    again = run("sweep", experiment, "--out", out)
    check(again.returncode == 1 and "already exists" in again.stderr, again.stderr)
    fresh = os.path.join(directory, "fresh.h5")
    os.mkdir(fresh + ".parts")
    leftover = run("sweep", experiment, "--out", fresh)
    check(leftover.returncode == 1 and "--resume" in leftover.stderr, leftover.stderr)
    forced = run("sweep", experiment, "--out", fresh, "--force")
    check(forced.returncode == 0 and os.path.exists(fresh), forced.stderr)

    # Two sweeps never write the same parts at once.
    slow = os.path.join(directory, "slow.yaml")
    with open(slow, "w") as f:
        f.write(f"scenario: {os.path.join(source, 'scenarios', 'examples', 'retail.yaml')}\n"
                "agents: 3000000\nparameters:\n  settings.kappa: [0, 1, 2]\n")
    slow_out = os.path.join(directory, "slow.h5")
    first = subprocess.Popen([cjsim, "sweep", slow, "--out", slow_out], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not os.path.exists(os.path.join(slow_out + ".parts", "lock")):
        time.sleep(0.01)
    second = run("sweep", slow, "--out", slow_out, "--resume")
    forced = run("sweep", slow, "--out", slow_out, "--force")
    first.kill()
    first.wait()
    check(second.returncode == 1 and "another cjsim sweep is writing" in second.stderr,
          f"concurrent resume: exit {second.returncode}: {second.stderr}")
    check(forced.returncode == 1 and "another cjsim sweep is writing" in forced.stderr,
          f"concurrent --force: exit {forced.returncode}: {forced.stderr}")

    # Bad experiments: every error at its place, nothing run or written.
    bad = os.path.join(directory, "bad.yaml")
    with open(bad, "w") as f:
        f.write(f"scenario: {tiny}\nagents: 0\nparameters:\n  touchpoints.chekout.dropout: [0.1]\n"
                "  settings.kappa: [0, -1]\n")
    bad_out = os.path.join(directory, "bad.h5")
    result = run("sweep", bad, "--out", bad_out)
    check(result.returncode == 1, f"bad experiment exit {result.returncode}")
    check(f"{bad}:2:9: error: agents must be from 1" in result.stderr, result.stderr)
    check("nothing was run" in result.stderr, result.stderr)
    check(not os.path.exists(bad_out) and not os.path.exists(bad_out + ".parts"), "bad run wrote")
    with open(bad, "w") as f:
        f.write(f"scenario: {tiny}\nparameters:\n  touchpoints.chekout.dropout: [0.1]\n")
    result = run("sweep", bad, "--out", bad_out)
    check(f"{bad}:3:3: error: touchpoints.chekout.dropout: no touchpoint 'chekout'" in result.stderr,
          result.stderr)
    with open(bad, "w") as f:
        f.write(f"scenario: {tiny}\nparameters:\n  settings.kappa: [0, -1]\n")
    result = run("sweep", bad, "--out", bad_out)
    check("design point 1 (settings.kappa = -1" in result.stderr, result.stderr)
    missing = run("sweep", os.path.join(directory, "nope.yaml"))
    check(missing.returncode == 1 and "cannot read the experiment file" in missing.stderr, missing.stderr)
    not_sweep = os.path.join(directory, "run.h5")
    run("run", tiny, "--agents", "100", "--out", not_sweep)
    result = run("sweep", "--summary", not_sweep)
    check(result.returncode == 1 and "not a sweep file" in result.stderr, result.stderr)
    nothing = run("sweep")
    check(nothing.returncode == 1 and "name an experiment file" in nothing.stderr, nothing.stderr)

finish("sweep_command")
