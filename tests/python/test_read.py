"""cjsim.read gives back a run or comparison file written by the command as the same objects
cjsim.run and cjsim.compare make, with the figures the command printed."""
import cjsim
from conftest import ONE_CLICK, RETAIL


# How the run was made: the package keeps it in result.metadata, `run --json` at the top level
# (seed, version, scenario_path).
MADE = ("seconds", "metadata", "seed", "version", "scenario_path")


def without_timing(data):
    data = {k: v for k, v in data.items() if k not in MADE}
    if "scenarios" in data:
        data["scenarios"] = [without_timing(s) for s in data["scenarios"]]
    return data


def test_a_run_file_reads_back_as_the_printed_result(cli, tmp_path):
    out = tmp_path / "run.h5"
    printed = cli("run", RETAIL, "-n", 20000, "-s", 3, "-r", 2, "--out", out, "--json")
    result = cjsim.read(out)
    assert isinstance(result, cjsim.Result)
    assert without_timing(result.data) == without_timing(printed)
    assert result.seed == 3 and result.metadata["path"] == RETAIL
    direct = cjsim.run(RETAIL, agents=20000, seed=3, replications=2, progress=False)
    assert result.touchpoints.equals(direct.touchpoints)
    assert result.personas.equals(direct.personas)


def test_a_comparison_file_reads_back_as_the_printed_comparison(cli, tmp_path):
    out = tmp_path / "compare.h5"
    printed = cli("compare", RETAIL, ONE_CLICK, "-n", 20000, "-s", 3, "--out", out, "--json")
    comparison = cjsim.read(out)
    assert isinstance(comparison, cjsim.Comparison)
    assert without_timing(comparison.data) == without_timing(printed)
    direct = cjsim.compare(RETAIL, ONE_CLICK, agents=20000, seed=3, progress=False)
    assert comparison.differences.equals(direct.differences)


BANK = RETAIL.replace("retail.yaml", "bank_call_centre.yaml")
PEAK = RETAIL.replace("retail.yaml", "bank_call_centre_peak_staff.yaml")


def test_a_calendar_run_file_reads_back_as_the_printed_result(cli, tmp_path):
    out = tmp_path / "bank.h5"
    printed = cli("run", BANK, "--days", 14, "-s", 3, "-r", 2, "--out", out, "--json")
    result = cjsim.read(out)
    assert isinstance(result, cjsim.CalendarResult)
    data = without_timing(result.data)
    data.pop("name")
    assert data == without_timing(printed)
    assert list(result.days["day"]) == list(range(14))
    assert result.days.attrs["units"]["mean_wait_hours"] == "hours"
    assert list(result.resources["id"]) == ["agents", "desks"]
    assert result.resources["utilisation"].tolist() == [r["utilisation"]
                                                      for r in printed["resources"]]
    assert len(result.resource_days) == 2 * 14
    # Every customer's week: the tidy rows add up to the printed 168-hour rows.
    heat = result.hour_of_week
    assert list(heat.columns) == ["persona", "touchpoint", "weekday", "hour", "visits",
                                  "mean_emotion"]
    assert len(heat) > 0 and heat["hour"].between(0, 23).all()
    assert int(heat["visits"].sum()) == sum(sum(r["visits"]) for r in printed["hour_of_week"])
    assert result.lifetime_value.value == printed["lifetime_value"]
    assert isinstance(result.result, cjsim.Result)
    assert result.result.conversion_rate.value == printed["conversion_rate"]


def test_a_calendar_comparison_file_reads_back_as_the_printed_comparison(cli, tmp_path):
    out = tmp_path / "bank_compare.h5"
    printed = cli("compare", BANK, PEAK, "--days", 14, "-s", 3, "-r", 3, "--out", out, "--json")
    comparison = cjsim.read(out)
    assert isinstance(comparison, cjsim.CalendarComparison)
    assert without_timing(comparison.data) == without_timing(printed)
    cost = comparison.differences[(comparison.differences["figure"] == "staff_cost")
                                  & (comparison.differences["resource"] == "agents")]
    assert len(cost) == 1 and cost["difference"].iloc[0] > 0
    assert [r.name for r in comparison.results] == [s["name"] for s in printed["scenarios"]]
