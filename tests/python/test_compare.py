"""cjsim.compare gives the numbers of `cjsim compare --json` for the same seed, to the bit:
every paired difference with its interval, and each state's figures."""
import cjsim
import pytest
from conftest import DELIVERY, ONE_CLICK, RETAIL, same

ARGS = ["-n", "30000", "-s", "9", "-t", "2"]


@pytest.fixture(scope="module")
def pair(cli):
    comparison = cjsim.compare(RETAIL, ONE_CLICK, DELIVERY, agents=30000, seed=9, threads=2,
                               progress=False)
    expected = cli("compare", RETAIL, ONE_CLICK, DELIVERY, "--json", *ARGS)
    return comparison, expected


def test_differences_equal_cli_to_the_bit(pair):
    comparison, expected = pair
    frame = comparison.differences
    assert len(frame) == len(expected["differences"])
    for (_, row), d in zip(frame.iterrows(), expected["differences"]):
        assert (row["scenario"], row["metric"], row["scope"]) == (
            d["scenario"], d["metric"], d["scope"])
        for column, value in (("current", d["current"]), ("future", d["future"]),
                              ("difference", d["difference"]),
                              ("difference_low", d["ci"][0]), ("difference_high", d["ci"][1]),
                              ("paired_half_width", d["paired_half_width"]),
                              ("independent_half_width", d["independent_half_width"]),
                              ("significant", d["significant"])):
            assert same(row[column], value), (d["metric"], d["scope"], column)
        assert row["note"] == d.get("note", "")


def test_each_state_equals_cli_to_the_bit(pair):
    comparison, expected = pair
    assert comparison.labels == [s["label"] for s in expected["scenarios"]]
    assert comparison.ranking == expected["ranking"] and comparison.seed == 9
    for result, state in zip(comparison.results, expected["scenarios"]):
        for name in cjsim.HEADLINE_FIGURES:
            e = getattr(result, name)
            assert same(e.value, state[name]) and same(e.low, state[name + "_ci"][0])
        for tp, row in zip(state["touchpoints"], result.touchpoints.itertuples()):
            assert same(row.dropout_rate, tp["dropout_rate"])
    data = dict(comparison.data)
    for d in (data, expected):
        d.pop("seconds")
        d["scenarios"] = [{k: v for k, v in s.items() if k not in ("seconds", "metadata")}
                          for s in d["scenarios"]]
    assert data == expected


def test_differences_are_labelled_with_units(pair):
    comparison, _ = pair
    frame = comparison.differences
    overall = frame[(frame.scope == "overall") & (frame.metric == "conversion_rate")]
    assert list(overall["scenario"]) == comparison.labels[1:]
    assert set(overall["unit"]) == {cjsim.UNITS["conversion_rate"]}
    assert comparison.current.label == comparison.labels[0]
    assert len(comparison.futures) == 2


def test_compare_needs_a_future_state():
    with pytest.raises(ValueError, match="future state"):
        cjsim.compare(RETAIL)
