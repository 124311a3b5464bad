"""`cjsim compare` from outside: the JSON interface, ranking, and the HDF5 file.

Usage: compare_command.py CJSIM SOURCE_DIR
"""
import json
import os
import sys
import tempfile

cjsim, source = sys.argv[1], sys.argv[2]
data = os.path.join(source, "tests", "data")
tiny, future = os.path.join(data, "tiny.yaml"), os.path.join(data, "tiny_future.yaml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish, runner  # noqa: E402


run = runner(cjsim)


r = run("compare", tiny, future, tiny, "--agents", "20000", "--seed", "3", "--json")
check(r.returncode == 0, f"compare failed: {r.stderr}")
out = json.loads(r.stdout)
check(len(out["scenarios"]) == 3, "three scenarios expected")
for s in out["scenarios"]:
    for key in ["agents", "steps", "conversion_rate", "conversion_rate_ci", "nps", "ended",
                "touchpoints", "transitions", "stages", "personas"]:
        check(key in s, f"scenario lacks key {key}")
scopes = {d["scope"].split(":")[0] for d in out["differences"]}
check(scopes == {"overall", "stage", "touchpoint", "persona"}, f"scopes {scopes}")
for d in out["differences"]:
    for key in ["metric", "scope", "scenario", "current", "future", "difference", "ci",
                "significant"]:
        check(key in d, f"difference lacks {key}")
same = [d for d in out["differences"] if d["scenario_index"] == 2 and d["current"] is not None]
check(all(d["difference"] == 0 for d in same), "identical future state differs")
changed = [d for d in out["differences"] if d["scenario_index"] == 1
           and d["metric"] == "conversion_rate" and d["scope"] == "overall"][0]
check(changed["significant"] and changed["difference"] > 0, "easier product page not better")
check(out["ranking"][0] == out["scenarios"][1]["label"], f"ranking {out['ranking']}")

# The same figures as `cjsim run` with the same seed.
plain = json.loads(run("run", future, "--agents", "20000", "--seed", "3", "--json").stdout)
check(plain["conversion_rate"] == out["scenarios"][1]["conversion_rate"],
      "compare and run disagree on a scenario's own figures")

text = run("compare", tiny, future, "--agents", "5000")
check(text.returncode == 0 and "Future state 1" in text.stdout and "narrower" in text.stdout,
      "text output")
check(run("compare", tiny).returncode != 0, "compare with one scenario accepted")

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "c.h5")
    w = run("compare", tiny, future, "--agents", "5000", "--out", path)
    check(w.returncode == 0 and os.path.exists(path), f"--out failed: {w.stderr}")
    check(not [f for f in os.listdir(tmp) if ".tmp" in f], "temporary file left behind")
    try:
        import h5py
    except ImportError:
        h5py = None
    if h5py is not None:
        with h5py.File(path, "r") as f:
            check(f.attrs["format"] == "cjsim-comparison", "format attribute")
            check("current" in f and "future_1" in f, "scenario groups")
            check(f["current"].attrs["format"] == "cjsim-run", "run layout in groups")
            diffs = f["differences"][()]
            check(len(diffs) > 10, "differences table")
            check(set(diffs.dtype.names) >= {"metric", "scope", "difference", "ci_low", "ci_high"},
                  "differences columns")

finish("compare_command")
