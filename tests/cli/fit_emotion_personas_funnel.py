"""`cjsim fit` with a skeleton, latent personas and a funnel: the fitted journey validates, the
parameter table is printed and stored, the fitted emotion recovers the skeleton's direction,
and data the skeleton cannot produce, or a funnel without a skeleton, are clear errors.

Usage: fit_emotion_personas_funnel.py CJSIM SOURCE_DIR
"""
import json
import math
import os
import sys
import tempfile

import h5py

cjsim, source = sys.argv[1], sys.argv[2]
fit_data = os.path.join(source, "tests", "data", "fit")
observed = os.path.join(source, "tests", "data", "observed")
skeleton = os.path.join(fit_data, "two_personas.yaml")
events = os.path.join(fit_data, "two_personas_events.csv")
funnel = os.path.join(fit_data, "two_personas_funnel.csv")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish, runner  # noqa: E402


run = runner(cjsim, timeout=120)


def validates(path):
    done = run("validate", path)
    check(done.returncode == 0, f"{path} does not validate: {done.stdout}{done.stderr}")


with tempfile.TemporaryDirectory() as tmp:
    # A skeleton with every touchpoint of the data: its emotion parameters are fitted.
    out, report = os.path.join(tmp, "emotion.yaml"), os.path.join(tmp, "emotion.h5")
    done = run("fit", events, "--skeleton", skeleton, "-o", out, "--holdout", "0.2",
               "--report-out", report, "-n", "4000", "-t", "2")
    check(done.returncode == 0, f"fit --skeleton failed: {done.stderr}")
    for words in ["touchpoints.product.emotion.mean", "log-likelihood", "No closed forms",
                  "Goodness of fit, holdout share"]:
        check(words in done.stdout, f"fit --skeleton prints no '{words}':\n{done.stdout}")
    validates(out)
    with h5py.File(report, "r") as f:
        names = [n.decode() for n in f["parameters/names"][()]]
        check("touchpoints.product.emotion.mean" in names, f"stored parameters {names}")
        values = f["parameters/value"][()]
        identifiable = f["parameters/identifiable"][()]
        check(len(values) == len(names) == len(identifiable), "parameter table columns differ")
        check("no_closed_forms" in f.attrs and "fitted_conversion_probability" not in f.attrs,
              "an emotion journey stored closed forms")

    as_json = run("fit", events, "--skeleton", skeleton, "-o", out, "--force", "-n", "4000",
                  "--json")
    check(as_json.returncode == 0, f"fit --skeleton --json (over an existing file with --force) "
                                   f"failed: {as_json.stderr}")
    result = json.loads(as_json.stdout)
    check(result["closed_forms"] is None and result["no_closed_forms"], f"closed forms {result}")
    emotion = result["emotion_fit"]
    check(emotion["customers"] == 300, f"customers {emotion['customers']}")
    parameters = {p["name"]: p for p in emotion["parameters"]}
    # Every reported interval holds its estimate; the skeleton gave checkout's bias out of
    # product a positive value and the data were simulated from it.
    for name, p in parameters.items():
        if p["identifiable"]:
            low, high = p["ci"]
            check(low <= p["value"] <= high, f"{name}: {p['value']} outside [{low}, {high}]")
        else:
            check(p["why_not"], f"{name} is unidentifiable without a reason")
    check(set(result["checks"]) == {"fitted"}, f"checks {result['checks'].keys()}")
    check(abs(result["checks"]["fitted"]["observed_conversion"]["value"]
              - result["checks"]["fitted"]["simulated_conversion"]["value"]) < 0.08,
          f"fitted conversion far from the data: {result['checks']['fitted']}")

    kappa = run("fit", events, "--skeleton", skeleton, "--estimate-kappa", "-o", out, "-f",
                "-n", "1000", "--json")
    check(kappa.returncode == 0, f"fit --estimate-kappa failed: {kappa.stderr}")
    if kappa.returncode == 0:
        fitted_names = {p["name"] for p in json.loads(kappa.stdout)["emotion_fit"]["parameters"]}
        check("settings.kappa" in fitted_names, f"--estimate-kappa fits no kappa: {fitted_names}")

    # Same seed, same fit and check, whatever the thread count.
    outputs = []
    for threads in ("1", "2"):
        target = os.path.join(tmp, f"threads{threads}.yaml")
        done = run("fit", events, "--skeleton", skeleton, "--personas", "2", "-o", target,
                   "-n", "3000", "--holdout", "0.3", "-s", "5", "-t", threads)
        check(done.returncode == 0, f"fit -t {threads}: {done.stderr}")
        with open(target) as f:
            outputs.append(done.stdout.replace(target, "FITTED") + f.read())
    check(outputs[0] == outputs[1], f"fit differs between 1 and 2 threads:\n{outputs[0]}\n{outputs[1]}")

    # Two latent personas on the skeleton, and on the Markov-fitted journey (no skeleton).
    two = os.path.join(tmp, "two.yaml")
    done = run("fit", events, "--skeleton", skeleton, "--personas", "2", "-o", two, "-n", "2000",
               "--json")
    check(done.returncode == 0, f"fit --personas 2 --skeleton failed: {done.stderr}")
    if done.returncode == 0:
        shares = [p for p in json.loads(done.stdout)["emotion_fit"]["parameters"]
                  if ".share" in p["name"]]
        check(len(shares) == 2 and abs(sum(p["value"] for p in shares) - 1) < 1e-9,
              f"persona shares {shares}")
    validates(two)
    markov_two = os.path.join(tmp, "markov_two.yaml")
    done = run("fit", os.path.join(observed, "tiny_events.csv"), "--personas", "2", "-o",
               markov_two, "-n", "2000")
    check(done.returncode == 0 and "latent personas are fitted on the Markov-fitted journey"
          in done.stdout, f"fit --personas 2 without a skeleton: {done.stderr}{done.stdout}")
    validates(markov_two)

    # A skeleton with none of the data's touchpoints is an error (it once fell back to the
    # Markov chain with a note), naming what it lacks and how touchpoints are matched.
    lent_file = os.path.join(tmp, "lent.yaml")
    lent = run("fit", os.path.join(observed, "pathdata_head.csv"), "--skeleton", skeleton, "-o",
               lent_file, "-n", "2000")
    check(lent.returncode == 1 and "has no touchpoint for 11 of the data's 11 touchpoints"
          in lent.stderr and "made an id" in lent.stderr and not os.path.exists(lent_file),
          f"a skeleton without the data's touchpoints: {lent.returncode} {lent.stderr}{lent.stdout}")

    # A journey cjsim fitted is a skeleton for its own data, though the data's names hold
    # spaces its ids cannot ('Paid Search' is the touchpoint Paid_Search named 'Paid Search').
    spaced = os.path.join(tmp, "spaced_paths.csv")
    with open(spaced, "w") as f:
        f.write("path,total_conversions,total_conversion_value,total_null\n"
                "Paid Search > Online Video,30,300,20\nOnline Video,5,40,45\n"
                "Paid Search,10,90,40\nOnline Video > Paid Search,8,80,12\n")
    fitted = os.path.join(tmp, "spaced_fitted.yaml")
    done = run("fit", spaced, "-o", fitted, "-n", "2000")
    check(done.returncode == 0, f"fit of spaced names: {done.stderr}")
    again = run("fit", spaced, "--skeleton", fitted, "-o", os.path.join(tmp, "again.yaml"),
                "-n", "2000")
    check(again.returncode == 0 and "the Markov chain is fitted" not in again.stdout
          and "has no touchpoint" not in again.stdout + again.stderr,
          f"a fitted journey as its own data's skeleton: {again.stderr}{again.stdout}")

    # Paths the skeleton cannot produce: its diagnostics, exit 1, nothing written.
    never = os.path.join(tmp, "never.yaml")
    done = run("fit", os.path.join(fit_data, "impossible_events.csv"), "--skeleton", skeleton,
               "-o", never)
    check(done.returncode == 1 and "error:" in done.stderr and "cannot produce" in done.stderr,
          f"impossible paths: {done.returncode} {done.stderr}")
    check(not os.path.exists(never), "a failed fit wrote its output")

    # Funnels: detected by header or named, calibrated on the skeleton.
    calibrated = os.path.join(tmp, "calibrated.yaml")
    done = run("fit", funnel, "--skeleton", skeleton, "-o", calibrated, "-n", "3000", "-t", "2",
               "--json")
    check(done.returncode == 0, f"fit of a funnel failed: {done.stderr}")
    if done.returncode == 0:
        calibration = json.loads(done.stdout)
        check(calibration["distance"] <= calibration["start_distance"],
              f"calibration got worse: {calibration['start_distance']} -> {calibration['distance']}")
        check({r["step"] for r in calibration["rows"]}
              == {"product", "reviews", "checkout", "support", "done"},
              f"funnel rows {calibration['rows']}")
        check(all(math.isfinite(r["simulated"]) for r in calibration["rows"]), "simulated shares")
    validates(calibrated)
    if done.returncode == 0:
        check("more parameters than the funnel can pin down" in done.stderr,
              f"six dropouts on five rows gave no warning: {done.stderr}")
    # Named parameters: only those move, and fewer than the rows leave no such warning.
    chosen = os.path.join(tmp, "chosen.yaml")
    done = run("fit", funnel, "--skeleton", skeleton, "-o", chosen, "-n", "3000", "--json",
               "--calibrate", "touchpoints.product.dropout", "touchpoints.reviews.dropout")
    check(done.returncode == 0, f"fit --calibrate failed: {done.stderr}")
    if done.returncode == 0:
        names = [p["name"] for p in json.loads(done.stdout)["parameters"]]
        check(names == ["touchpoints.product.dropout", "touchpoints.reviews.dropout"],
              f"--calibrate adjusted {names}")
        check("pin down" not in done.stderr, f"warning with 2 parameters: {done.stderr}")
    # As many parameters as rows: each pinned down, none left to test the fit with; that is a
    # note, not the warning of too many.
    done = run("fit", funnel, "--skeleton", skeleton, "-o", chosen, "-f", "-n", "3000",
               "--calibrate", "touchpoints.ad.dropout", "touchpoints.product.dropout",
               "touchpoints.reviews.dropout", "touchpoints.checkout.dropout",
               "touchpoints.support.dropout")
    check(done.returncode == 0 and "pin down" not in done.stderr
          and "leaves no degree of freedom" in done.stdout,
          f"five parameters on five rows: {done.returncode} {done.stderr}{done.stdout}")
    done = run("fit", funnel, "--skeleton", skeleton, "-o", chosen, "-f", "-n", "3000",
               "--calibrate", "touchpoints.prodcut.dropout")
    check(done.returncode == 1 and "prodcut" in done.stderr,
          f"an unknown --calibrate parameter: {done.returncode} {done.stderr}")
    done = run("fit", funnel, "--format", "Funnel", "--skeleton", skeleton, "-o", calibrated,
               "-f", "-n", "3000")
    check(done.returncode == 0 and "distance" in done.stdout, f"--format funnel: {done.stderr}")
    unknown = os.path.join(tmp, "unknown_step.csv")
    with open(unknown, "w") as f:
        f.write("step,reached\nentered,100\nnowhere,5\n")
    done = run("fit", unknown, "--skeleton", skeleton, "-o", never)
    check(done.returncode == 1 and f"{unknown}:3:9: error: step 'nowhere'" in done.stderr,
          f"an unknown funnel step: {done.returncode} {done.stderr}")
    done = run("fit", funnel, "-o", never)
    check(done.returncode == 1 and "a funnel calibrates a journey: give --skeleton" in done.stderr,
          f"a funnel without a skeleton: {done.returncode} {done.stderr}")
    check(not os.path.exists(never), "a failed calibration wrote its output")

finish("fit_emotion_personas_funnel")
