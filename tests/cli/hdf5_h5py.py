"""A result file read as a user would: `cjsim run --out` then h5py (and pandas when present).

Usage: python3 hdf5_h5py.py <path-to-cjsim> <source-dir>. Exits non-zero with a message on the
first failed check.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

AGENTS = 5000
SEED = 7
# Where Debian's python3-h5py lives, when `python3` on PATH is another interpreter (pyenv).
SYSTEM_PYTHON = "/usr/bin/python3"


def fail(message):
    print("hdf5_h5py: FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def import_h5py():
    try:
        import h5py  # noqa: F401
        import numpy  # noqa: F401
        return h5py
    except ImportError:
        pass
    # Re-run under the system interpreter once; the variable stops a loop.
    if os.environ.get("CJSIM_H5PY_REEXEC") != "1" and os.access(SYSTEM_PYTHON, os.X_OK) and \
            os.path.realpath(SYSTEM_PYTHON) != os.path.realpath(sys.executable):
        os.environ["CJSIM_H5PY_REEXEC"] = "1"
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON] + sys.argv)
    fail("h5py and numpy are needed (Debian: apt-get install python3-h5py)")


def run_cjsim(cjsim, *args):
    result = subprocess.run([cjsim, *args], capture_output=True, text=True)
    check(result.returncode == 0,
          "cjsim %s exited %d:\n%s" % (" ".join(args), result.returncode, result.stderr))
    return result.stdout


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def check_attributes(f, scenario_path):
    with open(scenario_path, encoding="utf-8") as source:
        scenario_text = source.read()
    a = f.attrs
    check(text(a["format"]) == "cjsim-run", "format is %r" % a.get("format"))
    check(int(a["format_version"]) == 3, "format_version is %r" % a.get("format_version"))
    check(int(a["seed"]) == SEED, "seed is %r" % a.get("seed"))
    check(int(a["agents"]) == AGENTS, "agents is %r" % a.get("agents"))
    check(int(a["replications"]) == 1, "replications is %r" % a.get("replications"))
    check(text(a["scenario_yaml"]) == scenario_text, "scenario_yaml is not the file's text")
    check(text(a["scenario_path"]).endswith("tiny.yaml"), "scenario_path is %r" % a["scenario_path"])
    check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", text(a["created"])) is not None,
          "created is %r" % a["created"])
    for name in ("software_version", "scenario_name", "command_line", "interval_method"):
        check(name in a and text(a[name]) != "", "attribute %s missing or empty" % name)
    check(float(a["seconds"]) >= 0 and int(a["threads"]) >= 1, "seconds or threads wrong")


def check_touchpoints(f, summary):
    table = f["touchpoints"][()]
    ids = [text(v) for v in table["id"]]
    expected = [t["id"] for t in summary["touchpoints"]]
    check(ids == expected, "touchpoint ids %r, the JSON summary has %r" % (ids, expected))
    check([text(v) for v in f["touchpoint_ids"][()]] == expected, "touchpoint_ids differ")
    visits = [int(v) for v in table["visits"]]
    check(sum(visits) == summary["steps"],
          "visits sum to %d, the JSON summary has %d steps" % (sum(visits), summary["steps"]))
    check(visits == [t["visits"] for t in summary["touchpoints"]], "visits per touchpoint differ")
    for column in ("name", "stage", "channel", "dropouts", "completions", "conversions",
                   "visits_per_agent", "visits_per_agent_ci_low", "dropout_rate_ci_high",
                   "mean_emotion"):
        check(column in table.dtype.names, "touchpoints has no column %s" % column)
    personas = len(f["persona_ids"])
    check(f["raw/visits"].shape == (1, personas, len(expected)),
          "raw/visits has shape %r" % (f["raw/visits"].shape,))
    check([int(v) for v in f["raw/visits"][0].sum(axis=0)] == visits,
          "raw/visits summed over personas differ from the touchpoints table")
    by_persona = f["persona_touchpoints"][()]
    check(len(by_persona) == personas * len(expected), "persona_touchpoints has %d rows" % len(by_persona))
    for k, tid in enumerate(expected):
        rows = by_persona[[text(i) == tid for i in by_persona["id"]]]
        check(int(rows["visits"].sum()) == visits[k], "persona_touchpoints visits of %s do not add up" % tid)
    stages = f["persona_stages"][()]
    check(set(text(p) for p in stages["persona"]) == set(text(p) for p in f["persona_ids"][()]),
          "persona_stages does not name every persona")


def check_agents(f, summary):
    agents = f["agents"][()]
    check(agents.shape == (AGENTS,), "agents has %r rows, expected %d" % (agents.shape, AGENTS))
    check(int(agents["steps"].sum()) == summary["steps"], "agents' steps do not sum to the steps")
    check(int(agents["converted"].sum()) == summary["conversions"], "agents' conversions differ")
    check(list(agents["agent"]) == list(range(AGENTS)), "agents are not in order")
    import h5py
    endings = h5py.check_enum_dtype(f["agents"].dtype["ending"])
    check(endings == {"completed": 0, "dropped": 1, "capped": 2, "censored": 3},
          "ending enum is %r" % endings)
    check("agent_paths" not in f, "agent_paths written without --paths")


def check_tables(f, summary):
    headline = {text(r["metric"]): r for r in f["headline"][()]}
    check(abs(headline["conversion_rate"]["value"] - summary["conversion_rate"]) < 1e-12,
          "headline conversion_rate differs from the JSON summary")
    ended = {text(r["ending"]): int(r["count"]) for r in f["ended"][()]}
    check(ended == summary["ended"], "ended %r, the JSON summary has %r" % (ended, summary["ended"]))
    histogram = f["histograms/likelihood_to_recommend"][()]
    check(int(histogram["all_agents"].sum()) == AGENTS, "score histogram does not count every agent")
    check(int(f["histograms/path_length"][()]["agents"].sum()) == AGENTS, "path lengths miss agents")
    for name in ("transitions", "stages", "personas", "replications", "counts"):
        check(f[name].shape[0] > 0, "table %s is empty" % name)


def check_outcomes(f, summary):
    """The journeys that ended dropped, split by whether the agent had converted: the counts
    table, the stage and touchpoint columns and the raw arrays agree with each other, with the
    JSON summary and with the agents table, agent by agent."""
    counts = {text(r["name"]): int(r["count"]) for r in f["counts"][()]}
    check(counts["gave_up"] == summary["gave_up"], "counts gave_up differs from the JSON summary")
    check(counts["left_after_converting"] == summary["left_after_converting"],
          "counts left_after_converting differs from the JSON summary")
    check(counts["gave_up"] + counts["left_after_converting"] == summary["ended"]["dropped"],
          "gave_up and left_after_converting do not add up to dropped")
    agents = f["agents"][()]
    dropped = agents["ending"] == 1
    check(int((dropped & (agents["converted"] == 1)).sum()) == counts["left_after_converting"],
          "agents that dropped after converting differ from left_after_converting")
    check(int(f["raw/persona_left_after_converting"][()].sum()) == counts["left_after_converting"],
          "raw/persona_left_after_converting does not add up")
    for name in ("touchpoints", "stages"):
        table = f[name][()]
        check(all(int(a) + int(b) == int(c) for a, b, c in zip(
            table["dropouts_before_converting"], table["dropouts_after_converting"],
            table["dropouts"])), "%s: the dropouts' split does not add up" % name)
        for column in ("dropout_before_converting_rate", "dropout_after_converting_rate_ci_high"):
            check(column in table.dtype.names, "%s has no column %s" % (name, column))
    after = [int(v) for v in f["touchpoints"][()]["dropouts_after_converting"]]
    check([int(v) for v in f["raw/dropouts_after_converting"][0].sum(axis=0)] == after,
          "raw/dropouts_after_converting summed over personas differ from the touchpoints table")
    headline = {text(r["metric"]) for r in f["headline"][()]}
    check({"gave_up_rate", "left_after_converting_rate"} <= headline, "headline lacks the outcomes")


def check_pandas(f):
    try:
        import pandas
    except ImportError:
        print("hdf5_h5py: pandas not installed, DataFrame checks skipped")
        return
    for name in ("headline", "touchpoints", "transitions", "stages", "personas", "agents"):
        frame = pandas.DataFrame(f[name][()])
        check(len(frame) == f[name].shape[0], "DataFrame of %s has %d rows" % (name, len(frame)))
    touchpoints = pandas.DataFrame(f["touchpoints"][()])
    ids = touchpoints["id"].str.decode("utf-8")
    check(list(ids) == [text(v) for v in f["touchpoint_ids"][()]], "pandas ids differ")


def main():
    if len(sys.argv) != 3:
        fail("usage: hdf5_h5py.py <cjsim> <source-dir>")
    h5py = import_h5py()
    cjsim, source = sys.argv[1], sys.argv[2]
    scenario = os.path.join(source, "tests", "data", "tiny.yaml")
    common = [scenario, "--agents", str(AGENTS), "--seed", str(SEED)]
    with tempfile.TemporaryDirectory(prefix="cjsim-h5py-") as directory:
        out = os.path.join(directory, "r.h5")
        run_cjsim(cjsim, "run", *common, "--out", out, "--agents-detail")
        check(os.listdir(directory) == ["r.h5"], "directory holds %r" % os.listdir(directory))
        summary = json.loads(run_cjsim(cjsim, "run", *common, "--json"))
        with h5py.File(out, "r") as f:
            check_attributes(f, scenario)
            check_touchpoints(f, summary)
            check_agents(f, summary)
            check_tables(f, summary)
            check_outcomes(f, summary)
            check_pandas(f)
    print("hdf5_h5py: ok")


if __name__ == "__main__":
    main()
