"""`cjsim fit --personas K`: latent personas as a mixture of Markov chains (the default without a
skeleton, or --persona-model chains) in text and --json, the written journey valid and its
personas' own chains converting as the fit says; --persona-model odds as before.

Usage: fit_persona_mixture.py CJSIM SOURCE_DIR
"""
import json
import os
import sys
import tempfile

import h5py
import pandas
import yaml

cjsim, source = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish, runner  # noqa: E402

run = runner(cjsim)
data = os.path.join(source, "tests", "data", "observed", "pathdata_head.csv")
skeleton = os.path.join(source, "tests", "data", "fit", "two_personas.yaml")
events = os.path.join(source, "tests", "data", "fit", "two_personas_events.csv")

with tempfile.TemporaryDirectory() as tmp:
    fitted = os.path.join(tmp, "mixture.yaml")
    h5 = os.path.join(tmp, "mixture.h5")
    done = run("fit", data, "--personas", "2", "-o", fitted, "-n", "2000", "-t", "2", "--json",
               "--report-out", h5)
    check(done.returncode == 0, f"fit --personas 2: {done.stderr}")
    if done.returncode == 0:
        report = json.loads(done.stdout)
        mixture = report.get("persona_mixture", {})
        check(mixture.get("model") == "chains" and "emotion_fit" not in report,
              f"the default without a skeleton is chains: {sorted(report)}")
        personas = mixture.get("personas", [])
        check(len(personas) == 2 and abs(sum(p["share"] for p in personas) - 1) < 1e-12,
              f"two personas whose shares sum to 1: {personas}")
        for p in personas:
            check(abs(p["fitted_conversion_probability"] - p["data_conversion_rate"]) < 1e-9,
                  f"persona {p['persona']}: its chain converts as its customers do: {p}")
        trace = mixture.get("log_likelihood_by_iteration", [])
        check(len(trace) == mixture.get("iterations") and trace[-1] == mixture["log_likelihood"]
              and all(b >= a - 1e-9 * abs(a) for a, b in zip(trace, trace[1:])),
              "the log-likelihood never falls over the iterations")
        check(mixture.get("bic") == -2 * mixture["log_likelihood"] + mixture["free_parameters"]
              * __import__("math").log(mixture["customers"]), "BIC as defined")
        collapse = mixture.get("personas_collapse", {})
        check(isinstance(collapse.get("collapsed"), bool) and collapse.get("criterion"),
              f"collapse reported: {collapse}")
        # The --report-out file holds the mixture under the JSON's names.
        with h5py.File(h5, "r") as f:
            group = f["persona_mixture"]
            for key in ("customers", "distinct_paths", "log_likelihood", "free_parameters", "aic",
                        "bic", "one_chain_log_likelihood", "starts", "best_start", "iterations"):
                check(group.attrs[key] == mixture[key], f"HDF5 {key}: {group.attrs[key]}")
            check(list(group["log_likelihood_by_iteration"][()]) == trace
                  and list(group["start_log_likelihoods"][()]) == mixture["start_log_likelihoods"],
                  "HDF5 log-likelihoods by iteration and by start")
            table = pandas.DataFrame(group["personas"][()])
            check([p.decode() for p in table["persona"]] == [p["persona"] for p in personas]
                  and list(table["share"]) == [p["share"] for p in personas]
                  and list(table["fitted_conversion_probability"])
                  == [p["fitted_conversion_probability"] for p in personas],
                  f"HDF5 personas: {table}")
            kept = group["personas_collapse"]
            check(bool(kept.attrs["collapsed"]) == collapse["collapsed"]
                  and kept.attrs["criterion"] == collapse["criterion"]
                  and len(kept["coinciding"]) == len(collapse["coinciding"]), "HDF5 collapse")
        valid = run("validate", fitted)
        check(valid.returncode == 0, f"the fitted journey validates: {valid.stdout}{valid.stderr}")
        with open(fitted) as f:
            text = f.read()
        check("persona_1" in text and "transitions:" in text, "personas with their own numbers")

    # A journey fitted with personas of their own numbers is a skeleton for its own data: the
    # fit on it leaves those numbers out, with a warning, and writes personas without them.
    if os.path.exists(fitted):
        refit = os.path.join(tmp, "refit.yaml")
        done = run("fit", data, "--skeleton", fitted, "-o", refit, "-n", "2000")
        check(done.returncode == 0, f"the mixture's journey as a skeleton: {done.stderr}")
        check("warning" in done.stderr and "'persona_1', 'persona_2'" in done.stderr
              and "left out" in done.stderr, f"the warning names the personas: {done.stderr}")
        if done.returncode == 0:
            with open(refit) as f:
                personas = yaml.safe_load(f)["personas"]
            check(all(not {"entry", "dropout", "transitions"} & set(p) for p in personas),
                  f"the refitted journey's personas have no numbers of their own: {personas}")
            check(run("validate", refit).returncode == 0, "the refitted journey validates")

    # The same seed gives the same journey on 1 and 2 threads, in text as in JSON.
    outputs = []
    for threads in ("1", "2"):
        target = os.path.join(tmp, f"threads{threads}.yaml")
        done = run("fit", data, "--personas", "3", "-o", target, "-n", "2000", "-t", threads,
                   "-s", "9")
        check(done.returncode == 0, f"fit -t {threads}: {done.stderr}")
        with open(target) as f:
            outputs.append(done.stdout.replace(target, "FITTED") + f.read())
        check("A mixture of 3 Markov chains by EM" in done.stdout and "EM: log-likelihood"
              in done.stdout and "Latent persona 'persona_3'" in done.stdout
              and "The latent personas" in done.stdout, f"text notes: {done.stdout}")
    check(outputs[0] == outputs[1], "fit --personas 3 differs between 1 and 2 threads")

    # odds: the dropout-odds fit, chosen by name, without a mixture.
    done = run("fit", events, "--personas", "2", "--persona-model", "odds", "-o",
               os.path.join(tmp, "odds.yaml"), "-n", "2000", "--json")
    check(done.returncode == 0 and "persona_mixture" not in json.loads(done.stdout or "{}")
          and "emotion_fit" in json.loads(done.stdout or "{}"), f"--persona-model odds: {done.stderr}")

    # A skeleton's latent personas are the odds fit; chains there is an error that says so.
    done = run("fit", events, "--skeleton", skeleton, "--personas", "2", "--persona-model",
               "chains", "-o", os.path.join(tmp, "refused.yaml"))
    check(done.returncode == 1 and "--persona-model odds" in done.stderr,
          f"chains on a skeleton: {done.returncode} {done.stderr}")
    done = run("fit", data, "--persona-model", "mixture", "-o", os.path.join(tmp, "x.yaml"))
    check(done.returncode == 2 and "--persona-model" in done.stderr,
          f"an unknown persona model: {done.returncode} {done.stderr}")

finish("fit_persona_mixture")
