"""cjsim.run gives the numbers of `cjsim run --json` for the same seed, to the bit, in its
attributes and in every DataFrame, labelled by names and with units."""
import math

import cjsim
import pytest
from conftest import RETAIL, same

ARGS = dict(agents=30000, seed=5, replications=2, threads=2)


@pytest.fixture(scope="module")
def pair(cli):
    result = cjsim.run(RETAIL, progress=False, **ARGS)
    expected = cli("run", RETAIL, "--json", "-n", ARGS["agents"], "-s", ARGS["seed"],
                   "-r", ARGS["replications"], "-t", ARGS["threads"])
    return result, expected


def test_data_equals_cli_json_except_seconds(pair):
    result, expected = pair
    data = dict(result.data)
    data.pop("metadata")
    # What the command adds to reproduce the run; the package has it in result.metadata.
    for key in ("seed", "version", "scenario_path"):
        expected.pop(key)
    for d in (data, expected):
        d.pop("seconds")
        for p in d["personas"]:
            p.pop("seconds", None)
    assert data == expected


def test_headline_figures_equal_cli_to_the_bit(pair):
    result, expected = pair
    for name in cjsim.HEADLINE_FIGURES:
        e = getattr(result, name)
        assert isinstance(e, cjsim.Estimate)
        assert same(e.value, expected[name]), name
        assert same(e.low, expected[name + "_ci"][0]), name
        assert same(e.high, expected[name + "_ci"][1]), name
        row = result.figures.loc[name]
        assert same(row["value"], expected[name]) and row["unit"] == cjsim.UNITS[name]
    assert result.counts["conversions"] == expected["conversions"]
    assert result.seed == ARGS["seed"]
    assert result.replications == 2 and result.agents_per_replication == ARGS["agents"]


def check_table(frame, rows, key, label, rename=None):
    """Every JSON row's figures in the frame's row labelled by `label`, to the bit."""
    rename = rename or {}
    assert list(frame.index) == [r[key] for r in rows]
    for row in rows:
        got = frame.loc[row[key]]
        for k, v in row.items():
            if isinstance(v, (list, dict)) and not k.endswith("_ci"):
                continue
            name = rename.get(k, k)
            if k.endswith("_ci"):
                assert same(got[k[:-3] + "_low"], v[0]), (row[key], k)
                assert same(got[k[:-3] + "_high"], v[1]), (row[key], k)
            else:
                assert same(got[name], v), (row[key], k, got[name], v)


def test_tables_equal_cli_to_the_bit(pair):
    result, expected = pair
    check_table(result.touchpoints, expected["touchpoints"], "id", "id")
    check_table(result.stages, expected["stages"], "name", "stage", {"name": "stage"})
    personas = [{k: v for k, v in p.items() if not isinstance(v, list) or k.endswith("_ci")}
                for p in expected["personas"]]
    check_table(result.personas, personas, "id", "persona", {"id": "persona"})
    transitions = result.transitions.set_index(["from", "to"], drop=False)
    for row in expected["transitions"]:
        got = transitions.loc[(row["from"], row["to"])]
        assert got["count"] == row["count"]
        assert same(got["per_agent"], row["per_agent"])
        assert same(got["per_agent_low"], row["per_agent_ci"][0])
    assert len(result.transitions) == len(expected["transitions"])
    assert len(result.persona_stages) == sum(len(p["stages"]) for p in expected["personas"])
    first = expected["personas"][0]
    got = result.persona_touchpoints[result.persona_touchpoints.persona == first["id"]]
    assert list(got["id"]) == [t["id"] for t in first["touchpoints"]]
    assert [v.hex() for v in got["dropout_rate"]] == [
        float("nan" if t["dropout_rate"] is None else t["dropout_rate"]).hex()
        for t in first["touchpoints"]]


def test_columns_are_named_and_carry_units(pair):
    result, _ = pair
    t = result.touchpoints
    assert list(t.columns[:4]) == ["id", "name", "stage", "channel"]
    for c in ("visits", "dropouts", "visits_per_agent", "visits_per_agent_low",
              "visits_per_agent_high", "dropout_rate", "mean_emotion_high"):
        assert c in t.columns
    assert t.attrs["units"]["dropout_rate_low"] == "share of visits (0 to 1)"
    assert t.attrs["units"]["mean_emotion"] == "emotion (-1 to 1)"
    assert "checkout" in t.index or len(t.index) == 30
    s = result.stages
    assert s.columns[0] == "stage" and list(s.index) == list(s["stage"])
    assert s.attrs["units"]["reach_rate"] == "share of agents (0 to 1)"
    p = result.personas
    assert p.columns[0] == "persona" and "conversion_rate_low" in p.columns
    assert p.attrs["units"]["revenue_per_agent"] == "money (the journey's currency)"
    assert p.attrs["units"]["nps_high"] == "NPS points (-100 to 100), among customers"
    assert list(result.transitions.columns[:3]) == ["from", "to", "count"]


def test_same_seed_any_thread_count_same_result():
    one = cjsim.run(RETAIL, agents=20000, seed=3, threads=1, progress=False)
    two = cjsim.run(RETAIL, agents=20000, seed=3, threads=2, progress=False)
    assert one.conversion_rate == two.conversion_rate
    assert one.touchpoints.drop(columns=[]).equals(two.touchpoints)


def test_bad_arguments_name_the_argument():
    with pytest.raises(ValueError, match="agents"):
        cjsim.run(RETAIL, agents=0)
    with pytest.raises(ValueError, match="replications"):
        cjsim.run(RETAIL, agents=10, replications=0)
    with pytest.raises(TypeError):
        cjsim.run(RETAIL, agents=10, seed=-1)


def test_progress_object_sees_the_stage_and_the_agents():
    seen = []

    class Recorder:
        def start(self, stage, unit):
            seen.append(("start", stage, unit))

        def update(self, done, total):
            seen.append(("update", done, total))

        def status(self, words):
            seen.append(("status", words))

        def finish(self):
            seen.append(("finish",))

    cjsim.run(RETAIL, agents=50000, replications=2, progress=Recorder())
    assert seen[0] == ("start", "simulating", "agents")
    assert seen[-1] == ("finish",)
    updates = [s for s in seen if s[0] == "update"]
    assert updates and updates[-1][1] == updates[-1][2] == 100000
    assert not math.isnan(updates[-1][1])


def test_figures_come_from_the_figure_table(pair):
    result, _ = pair
    table = cjsim.FIGURES
    assert cjsim.HEADLINE_FIGURES == tuple(result.figures.index)
    assert table.at["cost_per_agent", "better"] == "lower"
    assert table.at["conversion_rate", "unit"] == "share"
    assert result.figures.at["conversion_rate", "label"] == table.at["conversion_rate", "label"]
    assert set(table["name"]) <= set(cjsim.UNITS)
    assert list(table[table.reported_in.map(lambda r: "touchpoint" in r)].name) == [
        "visits_per_agent", "dropout_rate", "dropout_before_converting_rate",
        "dropout_after_converting_rate", "mean_emotion"]


def test_outcomes_split_the_dropped_journeys(pair):
    """Giving up before converting and leaving after converting are separate outcomes that
    add up to the journeys that ended dropped, overall, per stage and per touchpoint."""
    result, expected = pair
    counts = result.counts
    assert counts["gave_up"] == expected["gave_up"] > 0
    assert counts["left_after_converting"] == expected["left_after_converting"] > 0
    assert counts["gave_up"] + counts["left_after_converting"] == counts["ended"]["dropped"]
    assert counts["left_after_converting"] <= counts["conversions"]
    assert math.isclose(result.gave_up_rate.value + result.left_after_converting_rate.value,
                        counts["ended"]["dropped"] / counts["agents"], rel_tol=1e-12)
    for frame in (result.stages, result.touchpoints):
        assert (frame["dropouts_before_converting"] + frame["dropouts_after_converting"]
                == frame["dropouts"]).all()
        assert frame.attrs["units"]["dropout_before_converting_rate"].startswith("share of visits")
    assert result.figures.loc["gave_up_rate", "label"] == "Gave up before converting"
