"""`cjsim fit --segment-column`: each segment fitted as a persona of its own numbers, the fitted
journey valid, and `run` giving back each segment's conversion rate. On the repository's small
log, and on pm4py's receipt.csv when the shared data sit beside the checkout
(../shared/data/pm4py-event-logs/receipt.csv, or CJSIM_RECEIPT_CSV).

Usage: fit_segments.py CJSIM SOURCE_DIR
"""
import json
import math
import os
import sys
import tempfile

import h5py
import pandas

cjsim, source = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish, runner  # noqa: E402

run = runner(cjsim)


def fit_and_run(tmp, data, name, *options, agents="200000"):
    """Fits `data` by segment, validates the journey and runs it; returns the fit's JSON
    segments and the run's conversion rate per persona."""
    fitted = os.path.join(tmp, name + ".yaml")
    done = run("fit", data, "-o", fitted, "--json", "-n", "20000", "-t", "2", *options)
    check(done.returncode == 0, f"fit {name}: {done.stderr}")
    if done.returncode != 0:
        return [], {}
    segments = json.loads(done.stdout)["segments"]
    valid = run("validate", fitted)
    check(valid.returncode == 0, f"validate {name}: {valid.stdout}{valid.stderr}")
    ran = run("run", fitted, "-n", agents, "--seed", "3", "--json", "-t", "2")
    check(ran.returncode == 0, f"run {name}: {ran.stderr}")
    if ran.returncode != 0:
        return segments, {}
    personas = json.loads(ran.stdout)["personas"]
    rates = {p["id"]: (p["conversion_rate"], p["agents"]) for p in personas}
    return segments, rates


def check_reproduced(name, segments, rates):
    """Each persona's chain gives back its segment's conversion exactly, and the run within
    four binomial standard errors."""
    check(len(segments) >= 2, f"{name}: segments {segments}")
    for s in segments:
        check(abs(s["fitted_conversion_probability"] - s["data_conversion_rate"]) < 1e-9,
              f"{name}: {s}")
        if s["persona"] not in rates:
            check(False, f"{name}: no persona {s['persona']} in the run: {sorted(rates)}")
            continue
        rate, agents = rates[s["persona"]]
        p = s["data_conversion_rate"]
        tolerance = 4 * math.sqrt(max(p * (1 - p), 1e-6) / agents) + 1e-9
        check(abs(rate - p) <= tolerance,
              f"{name}: persona {s['persona']} converts {rate} in the run, {p} in the data")


with tempfile.TemporaryDirectory() as tmp:
    small = os.path.join(source, "tests", "data", "fit", "segments_events.csv")
    segments, rates = fit_and_run(tmp, small, "small", "--segment-column", "segment")
    check_reproduced("segments_events.csv", segments, rates)
    check([s["persona"] for s in segments] == ["web", "store"], f"small: {segments}")
    # The --report-out file holds the segments under the JSON's names.
    h5 = os.path.join(tmp, "small.h5")
    stored = run("fit", small, "-o", os.path.join(tmp, "stored.yaml"), "--json", "-n", "2000",
                 "--segment-column", "segment", "--report-out", h5)
    check(stored.returncode == 0, f"fit --report-out: {stored.stderr}")
    if stored.returncode == 0:
        printed = json.loads(stored.stdout)["segments"]
        with h5py.File(h5, "r") as f:
            table = pandas.DataFrame(f["segments"][()])
        for column in ("segment", "persona"):
            check([x.decode() for x in table[column]] == [s[column] for s in printed],
                  f"HDF5 {column}: {table}")
        for column in ("customers", "share", "entry_weights", "dropouts", "transition_weights",
                       "data_conversion_rate", "fitted_conversion_probability"):
            check(list(table[column]) == [s[column] for s in printed], f"HDF5 {column}: {table}")

    # Without the option, the segment column is read as before and no persona is written.
    plain = run("fit", small, "-o", os.path.join(tmp, "plain.yaml"), "--json", "-n", "2000")
    check(plain.returncode == 0 and "segments" not in json.loads(plain.stdout),
          f"fit without --segment-column: {plain.stderr}")
    refused = run("fit", small, "-o", os.path.join(tmp, "latent.yaml"), "--segment-column",
                  "segment", "--personas", "2")
    check(refused.returncode != 0 and "--segment-column" in refused.stderr,
          f"--segment-column with --personas: {refused.stderr}")

    receipt = os.environ.get("CJSIM_RECEIPT_CSV") or os.path.join(
        source, "..", "shared", "data", "pm4py-event-logs", "receipt.csv")
    if os.path.exists(receipt):
        segments, rates = fit_and_run(
            tmp, receipt, "receipt", "--segment-column", "case:channel",
            "--conversion-touchpoint", "T05 Print and send confirmation of receipt")
        check_reproduced("receipt.csv", segments, rates)
        check(sorted(s["segment"] for s in segments) ==
              ["Desk", "Intern", "Internet", "Post", "e-mail"], f"receipt: {segments}")
    else:
        print(f"receipt.csv not found at {receipt}: its part is left out")

finish("fit_segments")
