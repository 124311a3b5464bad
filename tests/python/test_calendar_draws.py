"""cjsim.run and cjsim.compare with draws=K on calendar journeys: a CalendarResult and a
CalendarComparison with the numbers of `cjsim run/compare --draws K --json` for the same seed,
to the bit, every calendar table with each figure's range over the draws (named, with units),
the odds of each difference and the sensitivity ranking."""
import os

import cjsim
import pytest
from conftest import EXAMPLES, same

ESTIMATE = os.path.join(EXAMPLES, "bank_call_centre_estimate.yaml")
CALL_BACK = os.path.join(EXAMPLES, "bank_call_centre_call_back_estimate.yaml")
PLAIN = os.path.join(EXAMPLES, "bank_current_account.yaml")
ARGS = ["--days", "7", "-r", "2", "-s", "5", "-t", "2", "--draws", "4"]
KWARGS = dict(days=7, replications=2, seed=5, threads=2, draws=4, progress=False)
MADE = {"seconds", "metadata"}


def without_timing(data):
    data = {k: v for k, v in data.items() if k not in MADE}
    if "scenarios" in data:
        data["scenarios"] = [without_timing(s) for s in data["scenarios"]]
    return data


def test_a_calendar_run_with_draws_is_the_cli_run_to_the_bit(cli):
    result = cjsim.run(ESTIMATE, **KWARGS)
    printed = cli("run", ESTIMATE, "--json", *ARGS)
    assert isinstance(result, cjsim.CalendarResult)
    assert without_timing(result.data) == without_timing(printed)
    assert result.uncertainty["draws"] == 4
    assert list(result.sensitivity["input"]) == ["touchpoints.call_centre.patience_hours"]
    agents = result.resources.set_index("id").loc["agents"]
    listed = [r for r in printed["resources"] if r["id"] == "agents"][0]
    low, high = listed["abandonment_rate_uncertainty"]
    assert same(agents["abandonment_rate_uncertainty_low"], low)
    assert same(agents["abandonment_rate_uncertainty_high"], high)
    assert low < high  # the patience drawn moves the abandonment
    units = result.resources.attrs["units"]
    assert units["abandonment_rate_uncertainty_low"] == units["abandonment_rate"]
    assert units["p90_wait_hours_uncertainty_high"] == "hours"
    rate = result.result.figures.loc["conversion_rate"]
    assert same(rate["uncertainty_low"], printed["conversion_rate_uncertainty"][0])
    assert "mean_wait_hours_uncertainty_low" in result.days.columns


def test_a_calendar_comparison_with_draws_is_the_cli_comparison_to_the_bit(cli):
    comparison = cjsim.compare(ESTIMATE, CALL_BACK, rank_by="conversion_rate", **KWARGS)
    printed = cli("compare", ESTIMATE, CALL_BACK, "--json", *ARGS)
    assert isinstance(comparison, cjsim.CalendarComparison)
    assert without_timing(comparison.data) == without_timing(printed)
    rows = printed["differences"][0]["figures"]
    frame = comparison.differences
    assert len(frame) == len(rows)
    for (_, row), d in zip(frame.iterrows(), rows):
        assert same(row["probability_better"], d["probability_better"])
        assert same(row["uncertainty_low"], d["uncertainty"][0])
        assert same(row["expected"], d["expected"])
    state = comparison.future_states.iloc[0]
    listed = printed["uncertainty"]["future_states"][0]
    assert same(state["expected_gain"], listed["expected_gain"])
    assert same(state["probability_beats_current"], listed["probability_beats_current"])
    assert set(comparison.sensitivity["input"]) == {
        "touchpoints.call_centre.patience_hours", "transitions.app_help->call_back.weight"}
    future = comparison.results[1].resources
    assert "utilisation_uncertainty_low" in future.columns


def test_calendar_draws_refuse_agents_and_mixed_states():
    with pytest.raises(ValueError, match="agents does not apply to calendar journeys"):
        cjsim.run(ESTIMATE, agents=1000, draws=4, progress=False)
    with pytest.raises(ValueError, match="calendar journeys only with calendar journeys"):
        cjsim.compare(ESTIMATE, PLAIN, draws=4, days=7, progress=False)
    with pytest.raises(ValueError, match="days and warmup_days take calendar journeys"):
        cjsim.run(PLAIN, agents=1000, days=7, progress=False)


# Found by the lead: without draws, cjsim.run of a calendar journey ran its plain model (no
# days, no queues) and gave a Result. It runs the calendar engine, as `cjsim run` does.
def test_a_calendar_run_and_comparison_without_draws_are_the_cli_ones_to_the_bit(cli):
    args = ["--days", "7", "-r", "2", "-s", "5", "-t", "2"]
    kwargs = dict(days=7, replications=2, seed=5, threads=2, progress=False)
    result = cjsim.run(ESTIMATE, **kwargs)
    assert isinstance(result, cjsim.CalendarResult)
    assert without_timing(result.data) == without_timing(cli("run", ESTIMATE, "--json", *args))
    assert len(result.days) == 7
    comparison = cjsim.compare(ESTIMATE, CALL_BACK, **kwargs)
    assert isinstance(comparison, cjsim.CalendarComparison)
    printed = cli("compare", ESTIMATE, CALL_BACK, "--json", *args)
    assert without_timing(comparison.data) == without_timing(printed)
    with pytest.raises(ValueError, match="agents does not apply to calendar journeys"):
        cjsim.run(ESTIMATE, agents=1000, progress=False)


# Issue 19: cjsim.read of a calendar file with draws gave the figures without their ranges over
# the draws. It gives what the run gave: every table's K_uncertainty_low and _high, each
# difference's odds, the sensitivity ranking, to the bit.
IDENTITY = {"seed", "version", "scenario_path", "name"}


def without_identity(data):
    data = {k: v for k, v in without_timing(data).items() if k not in IDENTITY}
    if "scenarios" in data:
        data["scenarios"] = [without_identity(s) for s in data["scenarios"]]
    return data


def test_a_calendar_run_file_with_draws_reads_back_its_ranges_to_the_bit(cli, tmp_path):
    stored = tmp_path / "run.h5"
    printed = cli("run", ESTIMATE, "--json", *ARGS, "-o", stored)
    result = cjsim.run(ESTIMATE, **KWARGS)
    read = cjsim.read(stored)
    assert isinstance(read, cjsim.CalendarResult)
    assert "abandonment_rate_uncertainty" in read.data["resources"][0]
    assert without_identity(read.data) == without_identity(printed)
    assert without_identity(read.data) == without_identity(result.data)
    for table in ["resources", "days", "resource_days"]:
        drawn = [c for c in getattr(result, table).columns if "_uncertainty_" in c]
        assert drawn, table
        assert getattr(read, table)[drawn].equals(getattr(result, table)[drawn]), table
    assert read.sensitivity.equals(result.sensitivity)


def test_a_calendar_comparison_file_with_draws_reads_back_its_odds_to_the_bit(cli, tmp_path):
    stored = tmp_path / "compared.h5"
    printed = cli("compare", ESTIMATE, CALL_BACK, "--json", *ARGS, "-o", stored)
    comparison = cjsim.compare(ESTIMATE, CALL_BACK, rank_by="conversion_rate", **KWARGS)
    read = cjsim.read(stored)
    assert isinstance(read, cjsim.CalendarComparison)
    assert without_identity(read.data) == without_identity(printed)
    assert without_identity(read.data) == without_identity(comparison.data)
    assert read.differences.equals(comparison.differences)
    assert read.future_states.equals(comparison.future_states)
    assert "utilisation_uncertainty_low" in read.results[1].resources.columns
