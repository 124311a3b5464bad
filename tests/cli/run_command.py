"""`cjsim run`, `validate` and `graph` driven from outside, as a user or another tool would.

Usage: run_command.py CJSIM SOURCE_DIR
"""
import json
import os
import sys
import tempfile

cjsim, source = sys.argv[1], sys.argv[2]
tiny = os.path.join(source, "tests", "data", "tiny.yaml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish, runner  # noqa: E402


run = runner(cjsim)


def run_json(*args):
    result = run("run", tiny, "--json", *args)
    check(result.returncode == 0, f"run --json {args} failed: {result.stderr}")
    return json.loads(result.stdout)


# The published JSON keys.
out = run_json("--agents", "20000", "--seed", "5")
for key in ["agents", "steps", "conversion_rate", "conversion_rate_ci", "revenue_per_agent",
            "cost_per_agent", "nps", "ended", "touchpoints", "transitions", "stages", "personas",
            "seconds"]:
    check(key in out, f"--json lacks key {key}")
check(out["agents"] == 20000, "agents is not the number asked for")
# What reproduces the run: its seed, cjsim's version and the scenario file as given.
version = run("--version").stdout.split()[-1]
check(out["seed"] == 5 and out["version"] == version and out["scenario_path"] == tiny,
      f"seed, version, scenario_path: {out.get('seed')}, {out.get('version')}, "
      f"{out.get('scenario_path')} (cjsim --version: {version})")
check(set(out["ended"]) == {"completed", "dropped", "capped", "censored"}, "ended keys")
check(sum(out["ended"].values()) == 20000, "ended counts do not add up to the agents")
check(sum(t["visits"] for t in out["touchpoints"]) == out["steps"], "visits do not sum to steps")
for t in out["touchpoints"]:
    check({"id", "visits", "dropouts", "mean_emotion"} <= set(t), f"touchpoint keys {t.keys()}")
for t in out["transitions"]:
    check({"from", "to", "count"} <= set(t), "transition keys")
low, high = out["conversion_rate_ci"]
check(low <= out["conversion_rate"] <= high, "conversion rate outside its interval")
check(-100 <= out["nps"] <= 100, "nps outside -100..100")

# Outcomes that say what happened: the dropped journeys split into those that gave up before
# converting and the customers who left after converting, overall, per stage and touchpoint.
retail = os.path.join(source, "scenarios", "examples", "retail.yaml")
split = json.loads(run("run", retail, "--json", "--agents", "20000", "--seed", "3").stdout)
check(split["gave_up"] + split["left_after_converting"] == split["ended"]["dropped"],
      "gave_up and left_after_converting do not add up to ended.dropped")
check(split["gave_up"] > 0 and split["left_after_converting"] > 0,
      "retail has both outcomes")
for row in split["stages"] + split["touchpoints"]:
    check(row["dropouts_before_converting"] + row["dropouts_after_converting"] == row["dropouts"],
          f"the dropouts of {row.get('id', row.get('name'))} do not split")
text = run("run", retail, "--agents", "20000", "--seed", "3").stdout
ended = text[text.index("How journeys ended"):text.index("Stages")]
check("gave up" in ended and "left after converting" in ended and
      not any(line.split()[:1] == ["dropped"] for line in ended.splitlines()),
      f"the text does not name the outcomes: {ended}")
check(f"{split['left_after_converting']:,}" in ended, "the text's left after converting differs")

# Same seed, same results, whatever the thread count.
a = run_json("--agents", "30000", "--seed", "9", "--threads", "1")
b = run_json("--agents", "30000", "--seed", "9", "--threads", "2")
a.pop("seconds"), b.pop("seconds")
check(a == b, "results differ between 1 and 2 threads")
c = run_json("--agents", "30000", "--seed", "10")
c.pop("seconds")
check(a != c, "different seeds gave identical results")

# Replications: intervals from the replications.
r = run_json("--agents", "5000", "--replications", "4")
check("replications" in r["interval_method"], "replication intervals not announced")

# Readable text output names the sections.
text = run("run", tiny, "--agents", "1000")
check(text.returncode == 0, "text run failed")
for section in ["Conversion rate", "How journeys ended", "Stages", "Touchpoints", "Personas"]:
    check(section in text.stdout, f"text output lacks {section}")

# Bad input: a clear message naming the file, and a non-zero exit.
with tempfile.TemporaryDirectory() as tmp:
    bad = os.path.join(tmp, "bad.yaml")
    with open(bad, "w") as f:
        f.write("name: x\nstages: [a]\ntouchpoints:\n  - id: t\n    stage: b\n    channel: web\n")
    v = run("validate", bad)
    check(v.returncode == 1, f"validate of a bad file exited {v.returncode}")
    check("bad.yaml:5" in v.stderr, f"validate does not name the line: {v.stderr}")
    rb = run("run", bad)
    check(rb.returncode == 1 and "nothing was run" in rb.stderr, "run of a bad file")
    missing = run("run", os.path.join(tmp, "missing.yaml"))
    check(missing.returncode == 1 and "missing.yaml" in missing.stderr, "missing file message")

    # Outputs are not overwritten without --force.
    existing = os.path.join(tmp, "out.h5")
    open(existing, "w").close()
    o = run("run", tiny, "--agents", "100", "--out", existing)
    check(o.returncode == 1 and "--force" in o.stderr, "existing output overwritten silently")

    g = run("graph", tiny)
    check(g.returncode == 0 and g.stdout.startswith("digraph"), "graph does not write DOT")
    check('"checkout"' in g.stdout or "checkout" in g.stdout, "graph lacks a touchpoint")

v = run("validate", tiny)
check(v.returncode == 0 and "valid" in v.stdout, f"tiny.yaml does not validate: {v.stderr}")
check(run("run", tiny, "--agents", "0").returncode != 0, "--agents 0 accepted")

finish("run_command")
