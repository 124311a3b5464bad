"""cjsim.sweep runs an experiment as a resumable job: its points and sensitivity as
DataFrames; interrupted by Ctrl-C it keeps its finished points, and resumed it gives the
figures of a straight sweep."""
import os
import signal
import threading

import cjsim
import pandas as pd
import pytest
from conftest import RETAIL, SOURCE, same

EXPERIMENT = f"""name: Checkout in Python
scenario: {RETAIL}
agents: {{agents}}
replications: 2
seed: 11
parameters:
  touchpoints.account_signup.dropout: [0.2, 0.45]
  touchpoints.basket.dropout: [0.3, 0.42]
  settings.kappa: [1, 2]
"""


def experiment(tmp_path, agents):
    path = tmp_path / f"experiment_{agents}.yaml"
    path.write_text(EXPERIMENT.format(agents=agents))
    return path


def test_points_and_sensitivity_as_dataframes(tmp_path):
    out = tmp_path / "small.h5"
    result = cjsim.sweep(experiment(tmp_path, 5000), out=out, progress=False)
    assert out.exists() and result.path == str(out)
    points = result.points
    assert len(points) == 8 and result.design == "grid"
    parameters = ["touchpoints.account_signup.dropout", "touchpoints.basket.dropout",
                  "settings.kappa"]
    assert result.parameters == parameters
    assert list(points.columns[:5]) == ["point", "scenario", *parameters]
    assert sorted(set(points["settings.kappa"])) == [1.0, 2.0]
    for name in cjsim.HEADLINE_FIGURES:
        assert (points[name + "_low"] <= points[name]).all() or points[name].isna().any()
    assert points.attrs["units"]["conversion_rate_high"] == "share of agents (0 to 1)"
    s = result.sensitivity
    conversion = s[s.metric == "conversion_rate"]
    assert list(conversion["rank"]) == [1, 2, 3]
    assert set(conversion["parameter"]) == set(parameters)
    assert set(conversion["method"]) == {"main_effect"}
    # Dropout before the basket lowers conversion: its swing from lowest to highest is < 0.
    assert conversion.set_index("parameter").loc["touchpoints.basket.dropout", "swing"] < 0
    read_back = cjsim.read(out)
    assert isinstance(read_back, cjsim.SweepResult)
    assert read_back.points.equals(points)
    assert read_back.sensitivity.equals(s)


def test_interrupted_sweep_resumes_to_the_straight_figures(tmp_path):
    path = experiment(tmp_path, 1_000_000)  # 16 million agents: seconds of work
    out = tmp_path / "resumed.h5"
    timer = threading.Timer(0.7, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.warns(UserWarning, match="resume"):
            with pytest.raises(KeyboardInterrupt):
                cjsim.sweep(path, out=out, threads=2, progress=False)
    finally:
        timer.cancel()
    assert not out.exists()
    parts = tmp_path / "resumed.h5.parts"
    assert parts.is_dir()
    kept = len([p for p in os.listdir(parts) if p.startswith("point-")])
    assert kept < 8
    resumed = cjsim.sweep(path, out=out, resume=True, threads=2, progress=False)
    assert not parts.exists()
    straight = cjsim.sweep(path, out=tmp_path / "straight.h5", threads=1, progress=False)
    assert resumed.points.equals(straight.points)
    assert resumed.sensitivity.equals(straight.sensitivity)
    # Resuming a finished sweep runs nothing and reads the file.
    with pytest.warns(UserWarning):
        again = cjsim.sweep(path, out=out, resume=True, progress=False)
    assert again.points.equals(straight.points)


def test_an_existing_file_is_not_overwritten_without_force(tmp_path):
    path = experiment(tmp_path, 1000)
    out = tmp_path / "once.h5"
    cjsim.sweep(path, out=out, progress=False)
    with pytest.raises(RuntimeError, match="force"):
        cjsim.sweep(path, out=out, progress=False)
    assert len(cjsim.sweep(path, out=out, force=True, progress=False).points) == 8


def test_the_command_lines_options_give_its_numbers_to_the_bit(tmp_path, cli):
    path = experiment(tmp_path, 5000)
    options = ["--agents", 3000, "--replications", 3, "--seed", 7, "--reference", 2]
    printed = cli("sweep", path, "--out", tmp_path / "cli.h5", *options, "--json", "--top", 0)
    result = cjsim.sweep(path, out=tmp_path / "python.h5", agents=3000, replications=3, seed=7,
                         reference=2, progress=False)
    assert (result.agents, result.replications, result.seed) == (3000, 3, 7)
    assert result.reference == 2 and result.reference_why == "named"
    assert printed["reference"]["point"] == 2
    d = result.differences
    assert len(d) == 8 and d.attrs["reference"] == 2
    assert d.attrs["units"]["conversion_rate_unpaired_half_width"] == "share of agents (0 to 1)"
    for row in printed["differences"]:
        k = row["point"]
        for name in cjsim.HEADLINE_FIGURES:
            low, high = row[name + "_ci"]
            assert same(d.at[k, name], row[name]), (k, name)
            assert same(d.at[k, name + "_low"], low) and same(d.at[k, name + "_high"], high)
            assert same(d.at[k, name + "_unpaired_half_width"],
                        row[name + "_unpaired_half_width"])
    for best in printed["best"]:
        assert same(result.points.at[best["point"], "conversion_rate"], best["conversion_rate"])
    # The reference against itself: 0 with a zero-width interval; others paired and narrower.
    assert (d.loc[2, ["conversion_rate", "conversion_rate_low", "conversion_rate_high"]] == 0).all()
    s = result.sensitivity
    ranking = s[s.metric == "conversion_rate"].set_index("parameter")
    printed_ranking = {r["parameter"]: r for r in printed["sensitivity"][0]["ranked"]}
    for parameter, r in printed_ranking.items():
        assert same(ranking.at[parameter, "swing"], r["swing"])
        assert same(ranking.at[parameter, "swing_low"], r["swing_ci"][0])
        assert same(ranking.at[parameter, "swing_high"], r["swing_ci"][1])
        assert ranking.at[parameter, "beyond_noise"] == r["beyond_noise"]
    assert ranking.at["touchpoints.basket.dropout", "beyond_noise"]


def test_list_points_is_the_design_as_a_dataframe_and_runs_nothing(tmp_path, cli):
    path = experiment(tmp_path, 5000)
    out = tmp_path / "listed.h5"
    design = cjsim.sweep(path, out=out, list_points=True, agents=77)
    assert isinstance(design, pd.DataFrame) and not out.exists()
    assert design.attrs["agents"] == 77 and design.attrs["design"] == "grid"
    printed = cli("sweep", path, "--list-points", "--agents", 77).splitlines()
    assert list(design.columns) == ["point", "scenario", *printed[2].split()[1:]]
    for line in printed[3:]:
        k, *values = line.split()
        assert [float(v) for v in values] == list(design.loc[int(k)].iloc[2:])


def test_shards_merged_are_the_one_process_sweep(tmp_path):
    path = experiment(tmp_path, 2000)
    out = tmp_path / "sharded.h5"
    for i in range(2):
        with pytest.warns(UserWarning, match=f"shard {i} of 2: .* --merge"):
            assert cjsim.sweep(path, out=out, shard=f"{i}/2", progress=False) is None
    assert not out.exists()
    with pytest.warns(UserWarning, match="merging"):
        merged = cjsim.sweep(path, out=out, merge=True, progress=False)
    straight = cjsim.sweep(path, out=tmp_path / "straight.h5", checkpoint=0, progress=False)
    assert merged.points.equals(straight.points)
    assert merged.differences.equals(straight.differences)
    with pytest.raises(ValueError, match="shard"):
        cjsim.sweep(path, out=out, shard="2/2")
    with pytest.raises(ValueError, match="shard"):
        cjsim.sweep(path, out=out, shard=(1, 0))


def test_a_calendar_sweep_gives_its_point_and_resource_tables(tmp_path):
    bank = os.path.join(SOURCE, "scenarios", "examples", "bank_call_centre.yaml")
    path = tmp_path / "staffing.yaml"
    path.write_text(f"scenario: {bank}\nreplications: 2\nseed: 5\ndays: 7\nparameters:\n"
                    "  resources.desks.capacity: [1, 3]\n"
                    "  touchpoints.call_centre.patience_hours: [0.2, 0.5]\n")
    result = cjsim.sweep(path, out=tmp_path / "staffing.h5", progress=False)
    points, resources = result.calendar_points, result.calendar_resources
    parameters = ["resources.desks.capacity", "touchpoints.call_centre.patience_hours"]
    assert list(points.columns[:4]) == ["point", "scenario", *parameters]
    assert len(points) == 4 and (points["journeys"] > 0).all()
    assert points.attrs["units"]["staff_cost_high"] == "money (the journey's currency)"
    assert len(resources) == 8 and set(resources["id"]) == {"agents", "desks"}
    desks = resources[resources["id"] == "desks"].set_index(parameters)
    # More desks, shorter waits at them (the same arrivals at every point).
    for patience in (0.2, 0.5):
        assert desks.loc[(3.0, patience), "p90_wait_hours"] < desks.loc[(1.0, patience),
                                                                         "p90_wait_hours"]
    assert (desks["utilisation_low"] <= desks["utilisation"]).all()
    assert resources.attrs["units"]["mean_wait_hours"] == "hours"
    # The same tables read back from the file; a plain sweep has none.
    read_back = cjsim.read(tmp_path / "staffing.h5")
    assert read_back.calendar_resources.equals(resources)
    plain = cjsim.sweep(experiment(tmp_path, 500), out=tmp_path / "plain.h5", progress=False)
    assert plain.calendar_points is None and plain.calendar_resources is None


def test_days_and_warmup_days_give_the_command_lines_calendar_sweep_to_the_bit(tmp_path, cli):
    staffing = os.path.join(SOURCE, "scenarios", "examples",
                            "bank_call_centre_staffing_sweep.yaml")
    printed = cli("sweep", staffing, "--out", tmp_path / "cli.h5", "--days", 4,
                  "--warmup-days", 1, "--json", "--top", 0)
    result = cjsim.sweep(staffing, out=tmp_path / "python.h5", days=4, warmup_days=1,
                         progress=False)
    assert (result.days, result.warmup_days) == (4, 1)
    assert (printed["days"], printed["warmup_days"]) == (4, 1)
    points = result.calendar_points.set_index("point")
    resources = result.calendar_resources.set_index(["point", "id"])
    assert len(printed["best"]) == len(points) == 12
    for best in printed["best"]:
        k, calendar = best["point"], best["calendar"]
        assert same(result.points.at[k, "conversion_rate"], best["conversion_rate"])
        for name in ("journeys", "abandoned", "staff_cost", "lifetime_value"):
            assert same(points.at[k, name], calendar[name]), (k, name)
        low, high = calendar["staff_cost_ci"]
        assert same(points.at[k, "staff_cost_low"], low)
        assert same(points.at[k, "staff_cost_high"], high)
        for r in calendar["resources"]:
            for name in ("served", "abandoned", "utilisation", "p90_wait_hours"):
                assert same(resources.at[(k, r["id"]), name], r[name]), (k, r["id"], name)
    for row in printed["differences"]:
        assert same(result.differences.at[row["point"], "conversion_rate"],
                    row["conversion_rate"])
    # Four days are not the example's 28: the override reached the engine.
    full = cjsim.read(tmp_path / "python.h5")
    assert full.days == 4
    journeys_4 = points["journeys"].sum()
    one_day = cjsim.sweep(staffing, out=tmp_path / "short.h5", days=2, warmup_days=1,
                          progress=False)
    assert one_day.calendar_points["journeys"].sum() < journeys_4
    with pytest.raises(ValueError, match="days=0"):
        cjsim.sweep(staffing, out=tmp_path / "bad.h5", days=0)
    with pytest.raises(ValueError, match="warmup_days=-1"):
        cjsim.sweep(staffing, out=tmp_path / "bad.h5", warmup_days=-1)
