"""cjsim.fit gives the journey and the numbers of `cjsim fit --json` for the same seed: a Markov
chain with a holdout, a skeleton's emotion parameters, and a funnel's calibration."""
import os

import cjsim
import pytest
import yaml
from conftest import SOURCE

OBSERVED = os.path.join(SOURCE, "tests", "data", "observed", "pathdata_head.csv")
FIT_DATA = os.path.join(SOURCE, "tests", "data", "fit")
SKELETON = os.path.join(FIT_DATA, "two_personas.yaml")
# What depends on the machine or the moment rather than on the fit (as tests/cli/golden_fit.py).
VOLATILE = {"seconds", "version", "threads", "elapsed_seconds", "command_line"}


def stable(value):
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


def fit_both(cli, tmp_path, data, cli_args, **kwargs):
    out = tmp_path / "fitted.yaml"
    printed = cli("fit", data, *cli_args, "-o", out, "--seed", 20261206, "-t", 2, "--json")
    fitted = cjsim.fit(data, seed=20261206, threads=2, progress=False, **kwargs)
    return fitted, printed, out.read_text()


def test_markov_fit_with_holdout_equals_the_cli(cli, tmp_path):
    fitted, printed, written = fit_both(cli, tmp_path, OBSERVED, ["--holdout", 0.2, "-n", 20000],
                                        holdout=0.2, agents=20000)
    assert stable(fitted.report) == stable(printed)
    assert fitted.yaml == written
    assert fitted.parameters.empty and fitted.calibration is None
    # The earth mover's distance over whole paths, on the fitted and the held-out shares.
    for share in ("fitted", "holdout"):
        check = fitted.report["checks"][share]
        assert 0 < check["variant_distance"] < 1
        assert check["variants"]["observed"] > 0 and check["variants"]["compared"] > 0
        # Path tables have no timestamps: no time to compare.
        assert check["time_to_convert"] == {"available": False,
                                            "unavailable": "the data have no timestamps"}
    assert [t["id"] for t in fitted.journey.touchpoints]
    fitted.save(tmp_path / "saved.yaml")
    assert cjsim.load(tmp_path / "saved.yaml").name == fitted.journey.name


def test_emotion_fit_on_a_skeleton_equals_the_cli(cli, tmp_path):
    data = os.path.join(FIT_DATA, "two_personas_events.csv")
    fitted, printed, written = fit_both(cli, tmp_path, data,
                                        ["--skeleton", SKELETON, "--holdout", 0.2, "-n", 4000],
                                        skeleton=SKELETON, holdout=0.2, agents=4000)
    assert stable(fitted.report) == stable(printed)
    assert fitted.yaml == written
    names = [p["name"] for p in printed["emotion_fit"]["parameters"]]
    assert list(fitted.parameters["name"]) == names and len(names) > 0
    # The events have timestamps: time to convert and journey duration, both sides.
    for share in ("fitted", "holdout"):
        for figure in ("time_to_convert", "journey_duration"):
            time = fitted.report["checks"][share][figure]
            assert time["available"] and time["observed_customers"] > 0
            assert 0 <= time["kolmogorov_smirnov_distance"] <= 1
            assert len(time["quantiles"]["simulated_hours"]) == len(time["quantiles"]["levels"])


def test_funnel_calibration_equals_the_cli(cli, tmp_path):
    data = os.path.join(FIT_DATA, "two_personas_funnel.csv")
    fitted, printed, written = fit_both(cli, tmp_path, data, ["--skeleton", SKELETON, "-n", 3000],
                                        skeleton=SKELETON, agents=3000)
    assert stable(fitted.calibration) == stable(printed)
    assert fitted.yaml == written and fitted.report is None


def test_bad_fit_arguments_name_the_argument():
    with pytest.raises(ValueError, match="holdout"):
        cjsim.fit(OBSERVED, holdout=0.95)
    with pytest.raises(ValueError, match="format"):
        cjsim.fit(OBSERVED, format="parquet")


def test_process_mining_options_and_the_calendar_equal_the_cli(cli, tmp_path):
    # The running example (pm4py's): an activity left out, order chosen by BIC, durations by
    # AIC, the arrivals fitted as a calendar: the same report and journey as the command's.
    data = os.path.join(SOURCE, "tests", "data", "observed", "running-example.xes")
    fitted, printed, written = fit_both(
        cli, tmp_path, data,
        ["--exclude-activity", "reinitiate*", "--conversion-touchpoint",
         "pay compensation", "--order", "bic", "--durations", "best", "--calendar", "-n", 2000],
        exclude_activity=["reinitiate*"],
        conversion_touchpoint=["pay compensation"], order="bic", durations="best", calendar=True,
        agents=2000)
    assert stable(fitted.report) == stable(printed)
    assert fitted.yaml == written
    assert any(n.startswith("Order 2:") and "BIC" in n for n in printed["notes"])
    arrivals = printed["arrivals"]
    assert fitted.arrivals["arrivals"].tolist() == arrivals["weekday_arrivals"]
    assert fitted.hours["factor"].tolist() == arrivals["hour_profile"]
    assert fitted.arrivals.attrs["arrivals_per_day"] == arrivals["arrivals_per_day"]
    assert yaml.safe_load(fitted.yaml)["calendar"]["days"] == arrivals["days"]
    # The log has no lifecycle attribute: the filter reaches the reader, which says so.
    with pytest.raises(cjsim.InvalidInput, match="lifecycle"):
        cjsim.fit(data, lifecycle=["complete"], progress=False)
    with pytest.raises(ValueError, match="order"):
        cjsim.fit(data, order=7)
    with pytest.raises(ValueError, match="durations"):
        cjsim.fit(data, durations="gamma")


def test_queues_from_lifecycle_transitions_equal_the_cli(cli, tmp_path):
    # Two cases queue for the desk: one waits an hour and is served, one is withdrawn after
    # half an hour. The queues, the journey and the report are the command's.
    data = tmp_path / "log.csv"
    data.write_text(
        "customer,timestamp,touchpoint,lifecycle:transition\n"
        "c1,2024-01-01T09:00:00Z,desk,schedule\n"
        "c1,2024-01-01T10:00:00Z,desk,start\n"
        "c1,2024-01-01T10:30:00Z,desk,complete\n"
        "c1,2024-01-01T10:40:00Z,buy,complete\n"
        "c2,2024-01-01T09:00:00Z,desk,schedule\n"
        "c2,2024-01-01T09:30:00Z,desk,withdraw\n"
        "c2,2024-01-01T09:40:00Z,letter,complete\n")
    fitted, printed, written = fit_both(
        cli, tmp_path, str(data),
        ["--lifecycle", "complete", "--conversion-touchpoint", "buy", "--calendar", "-n", 2000],
        lifecycle=["complete"], conversion_touchpoint=["buy"], calendar=True, agents=2000)
    assert stable(fitted.report) == stable(printed)
    assert fitted.yaml == written
    queue = fitted.queues.loc["desk"]
    assert (queue["queued"], queue["served"], queue["abandoned"]) == (2, 1, 1)
    assert queue["patience_hours"] == pytest.approx(1.5, rel=1e-12)  # (1 h + 0.5 h) / 1
    assert queue["mean_wait_hours"] == pytest.approx(1.0, rel=1e-12)
    assert printed["queues"][0]["resource"] == "desk_servers"
    assert [r["id"] for r in yaml.safe_load(fitted.yaml)["resources"]] == ["desk_servers"]
    # Without lifecycle transitions, no queues.
    plain = cjsim.fit(OBSERVED, agents=2000, progress=False)
    assert plain.queues is None


def test_segments_fitted_as_personas_equal_the_cli(cli, tmp_path):
    data = os.path.join(FIT_DATA, "segments_events.csv")
    fitted, printed, written = fit_both(cli, tmp_path, data,
                                        ["--segment-column", "segment", "-n", 2000],
                                        segment_column="segment", agents=2000)
    assert stable(fitted.report) == stable(printed)
    assert fitted.yaml == written
    assert [s["persona"] for s in fitted.report["segments"]] == ["web", "store"]
    web = next(p for p in fitted.journey.personas if p["id"] == "web")
    assert web["entry"] == {"home": 4.0, "product": 1.0}
    assert web["dropout"] == {"home": 0.25, "product": 0.25}


def test_latent_personas_as_chains_equal_the_cli(cli, tmp_path):
    fitted, printed, written = fit_both(cli, tmp_path, OBSERVED,
                                        ["--personas", 2, "--persona-model", "chains", "-n", 2000],
                                        personas=2, persona_model="chains", agents=2000)
    assert stable(fitted.report) == stable(printed)
    assert fitted.yaml == written
    mixture = fitted.report["persona_mixture"]
    assert mixture["model"] == "chains" and "emotion_fit" not in fitted.report
    assert [p["persona"] for p in mixture["personas"]] == ["persona_1", "persona_2"]
    assert abs(sum(p["share"] for p in mixture["personas"]) - 1) < 1e-12
    # Without a skeleton, chains is what --personas K fits.
    default = cjsim.fit(OBSERVED, personas=2, seed=20261206, threads=2, agents=2000,
                        progress=False)
    assert default.yaml == fitted.yaml
    odds = cjsim.fit(OBSERVED, personas=2, persona_model="odds", seed=20261206, threads=2,
                     agents=2000, progress=False)
    assert "persona_mixture" not in odds.report and "emotion_fit" in odds.report
    with pytest.raises(ValueError, match="persona_model"):
        cjsim.fit(OBSERVED, personas=2, persona_model="mixture", progress=False)
