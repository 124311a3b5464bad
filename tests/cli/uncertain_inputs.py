"""`run` and `compare` with `--draws K` from outside: the JSON keys, the text in plain words,
the same results for any thread count, and the refusals.

Usage: uncertain_inputs.py CJSIM SOURCE_DIR
"""
import json
import os
import sys

cjsim, source = sys.argv[1], sys.argv[2]
examples = os.path.join(source, "scenarios", "examples")
data = os.path.join(source, "tests", "data")
bank = os.path.join(examples, "bank_current_account.yaml")
estimate = os.path.join(examples, "bank_current_account_guided_id_estimate.yaml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish, runner  # noqa: E402

run = runner(cjsim)


def compare(threads):
    r = run("compare", bank, estimate, "-n", "20000", "--draws", "16", "--threads", threads,
            "--json")
    check(r.returncode == 0, f"compare --draws failed: {r.stderr}")
    return json.loads(r.stdout) if r.returncode == 0 else {}


out = compare("1")
if out:
    future = out["scenarios"][1]
    for key in ["conversion_rate", "conversion_rate_ci", "conversion_rate_uncertainty"]:
        check(key in future, f"the future state lacks {key}")
    low, high = future["conversion_rate_uncertainty"]
    check(low < high, f"no spread over the draws: {low}, {high}")
    touchpoint = future["touchpoints"][0]
    check("dropout_rate_uncertainty" in touchpoint, "touchpoints lack their uncertainty")
    gain = [d for d in out["differences"]
            if d["metric"] == "conversion_rate" and d["scope"] == "overall"][0]
    for key in ["ci", "uncertainty", "probability_better", "expected"]:
        check(key in gain, f"the difference lacks {key}")
    u = out["uncertainty"]
    check(u["draws"] == 16 and len(u["inputs"]) == 3, f"draws and inputs: {u['inputs']}")
    state = u["future_states"][0]
    for key in ["expected_gain", "gain_uncertainty", "probability_beats_current"]:
        check(key in state, f"the future state's odds lack {key}")
    ranked = u["sensitivity"][0]["ranked"]
    check(len(ranked) == 3 and all("first_order_error" in r for r in ranked),
          f"sensitivity: {ranked}")
    again = compare("2")
    for o in (out, again):
        o.pop("seconds", None)
        for s in o.get("scenarios", []):
            s.pop("seconds", None)
    check(out == again, "two threads give other results than one")

text = run("compare", bank, estimate, "-n", "20000", "--draws", "16")
check(text.returncode == 0, f"compare --draws (text) failed: {text.stderr}")
for words in ["expected gain", "95% of the draws give between", "probability it beats",
              "of the uncertainty in the gain"]:
    check(words in text.stdout, f"the text lacks '{words}':\n{text.stdout}")

single = run("run", estimate, "-n", "20000", "--draws", "8")
check(single.returncode == 0, f"run --draws failed: {single.stderr}")
check("over the inputs" in single.stdout and "Which guess matters most" in single.stdout,
      f"run --draws text:\n{single.stdout}")
plain = run("run", estimate, "-n", "2000")
check(plain.returncode == 0 and "uncertain inputs ran at their means" in plain.stderr,
      f"a plain run does not say its inputs ran at their means: {plain.stderr}")

refused = run("run", bank, "-n", "2000", "--draws", "8")
check(refused.returncode == 1 and "--draws needs uncertain inputs" in refused.stderr,
      f"draws without uncertain inputs: {refused.returncode} {refused.stderr}")
one = run("run", estimate, "--draws", "1")
check(one.returncode == 2, f"--draws 1: {one.returncode} {one.stderr}")
written = run("run", estimate, "-n", "2000", "--draws", "4", "-o", os.path.join(data, "x.h5"))
check(written.returncode == 1 and "--draws does not write HDF5" in written.stderr,
      f"--draws with --output: {written.stderr}")
check(not os.path.exists(os.path.join(data, "x.h5")), "a file was written")

finish("uncertain_inputs")
