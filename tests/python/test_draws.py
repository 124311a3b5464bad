"""cjsim.run and cjsim.compare with draws=K: the numbers of `cjsim run/compare --draws K --json`
for the same seed, to the bit, as DataFrames (each figure's interval over the draws, every
future state's expected gain and odds, the sensitivity ranking, total indices on request)."""
import math
import os

import cjsim
import pytest
from conftest import EXAMPLES, same

BANK = os.path.join(EXAMPLES, "bank_current_account.yaml")
ESTIMATE = os.path.join(EXAMPLES, "bank_current_account_guided_id_estimate.yaml")
ARGS = ["-n", "5000", "-s", "3", "-t", "2", "--draws", "8"]


@pytest.fixture(scope="module")
def drawn(cli):
    comparison = cjsim.compare(BANK, ESTIMATE, agents=5000, seed=3, threads=2, draws=8,
                               progress=False)
    return comparison, cli("compare", BANK, ESTIMATE, "--json", *ARGS)


def test_compare_with_draws_equals_cli_to_the_bit(drawn):
    comparison, expected = drawn
    assert comparison.uncertainty["draws"] == 8
    assert comparison.uncertainty["sensitivity"] == expected["uncertainty"]["sensitivity"]
    frame = comparison.differences
    for (_, row), d in zip(frame.iterrows(), expected["differences"]):
        assert same(row["expected"], d["expected"])
        assert same(row["uncertainty_low"], d["uncertainty"][0])
        assert same(row["uncertainty_high"], d["uncertainty"][1])
        assert same(row["probability_better"], d["probability_better"])
    state = comparison.future_states.iloc[0]
    listed = expected["uncertainty"]["future_states"][0]
    assert same(state["expected_gain"], listed["expected_gain"])
    assert same(state["probability_beats_current"], listed["probability_beats_current"])
    assert state["uncertainty_low"] <= state["expected_gain"] <= state["uncertainty_high"]
    future = comparison.results[1]
    rate = future.figures.loc["conversion_rate"]
    low, high = expected["scenarios"][1]["conversion_rate_uncertainty"]
    assert same(rate["uncertainty_low"], low) and same(rate["uncertainty_high"], high)


def test_sensitivity_ranks_every_input(drawn):
    comparison, _ = drawn
    ranked = comparison.sensitivity
    assert list(ranked["rank"]) == [1, 2, 3]
    assert ranked["first_order"].is_monotonic_decreasing
    assert ranked["total"].isna().all()  # no total effects unless asked for


def test_run_with_draws_and_total_effects(cli):
    result = cjsim.run(ESTIMATE, agents=3000, seed=3, threads=2, draws=6, total_effects=True,
                       progress=False)
    expected = cli("run", ESTIMATE, "--json", "-n", "3000", "-s", "3", "-t", "2", "--draws", "6",
                   "--total-effects")
    assert result.uncertainty["runs"] == 6 * (1 + len(result.uncertainty["inputs"]))
    assert result.uncertainty["sensitivity"] == expected["uncertainty"]["sensitivity"]
    assert result.sensitivity["total"].notna().all()
    assert not math.isnan(result.figures.loc["conversion_rate", "uncertainty_low"])


def test_without_draws_nothing_changes():
    result = cjsim.run(ESTIMATE, agents=1000, seed=3, threads=1, progress=False)
    assert result.uncertainty is None and result.sensitivity is None
    assert "uncertainty_low" not in result.figures.columns


def test_bad_draws_raise():
    with pytest.raises(Exception, match="--draws needs uncertain inputs"):
        cjsim.run(BANK, agents=1000, draws=4, progress=False)
