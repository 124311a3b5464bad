"""Golden results of `cjsim fit`: the journey each kind of fit writes (a Markov chain from path
data with a holdout, emotion parameters on a skeleton, two latent personas, a funnel
calibration) and every number of its `--json`, held against tests/golden/fit_*. The journey's
numbers are written in their shortest exact form and JSON numbers are read back as the same
doubles, so a refactor that moves any fitted figure by one unit in the last place fails here.
CJSIM_UPDATE_GOLDEN=1 rewrites the files (on purpose only, and said why in the commit).

Usage: golden_fit.py CJSIM SOURCE_DIR
"""
import json
import os
import sys
import tempfile

cjsim, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
os.chdir(source)  # the fitted journey names its data file as given: the same from any checkout
from cli_checks import check, finish, runner  # noqa: E402

run = runner(cjsim)
golden = os.path.join(source, "tests", "golden")
observed = os.path.join("tests", "data", "observed")
fit_data = os.path.join("tests", "data", "fit")
skeleton = os.path.join(fit_data, "two_personas.yaml")
update = os.environ.get("CJSIM_UPDATE_GOLDEN") == "1"

FITS = {
    "markov_holdout": [os.path.join(observed, "pathdata_head.csv"), "--holdout", "0.2",
                       "-n", "20000"],
    "emotion_skeleton": [os.path.join(fit_data, "two_personas_events.csv"), "--skeleton", skeleton,
                         "--holdout", "0.2", "-n", "4000"],
    "two_personas": [os.path.join(fit_data, "two_personas_events.csv"), "--skeleton", skeleton,
                     "--personas", "2", "-n", "2000"],
    "funnel": [os.path.join(fit_data, "two_personas_funnel.csv"), "--skeleton", skeleton,
               "-n", "3000"],
}
# What depends on the machine or the moment rather than on the fit.
VOLATILE = {"seconds", "version", "threads", "elapsed_seconds"}


def stable(value):
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


def first_difference(want, got, where="$"):
    if type(want) is not type(got):
        return f"{where}: expected {want!r}, got {got!r}"
    if isinstance(want, dict):
        for key in sorted(set(want) | set(got)):
            if key not in got or key not in want:
                return f"{where}.{key}: only in {'the golden file' if key in want else 'the output'}"
            found = first_difference(want[key], got[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(want, list):
        if len(want) != len(got):
            return f"{where}: {len(want)} items expected, {len(got)} got"
        for i, (a, b) in enumerate(zip(want, got)):
            found = first_difference(a, b, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if want == got else f"{where}: expected {want!r}, got {got!r}"


with tempfile.TemporaryDirectory() as tmp:
    for name, args in FITS.items():
        out = os.path.join(tmp, f"{name}.yaml")
        done = run("fit", *args, "-o", out, "--seed", "20261206", "-t", "2", "--json")
        check(done.returncode == 0, f"fit {name} failed: {done.stderr}")
        if done.returncode != 0:
            continue
        with open(out, encoding="utf-8") as f:
            journey = f.read()
        figures = stable(json.loads(done.stdout))
        yaml_path = os.path.join(golden, f"fit_{name}.yaml")
        json_path = os.path.join(golden, f"fit_{name}.json")
        if update:
            with open(yaml_path, "w", encoding="utf-8") as f:
                f.write(journey)
            with open(json_path, "w", encoding="utf-8") as f:
                json.dump(figures, f, indent=1, sort_keys=True)
                f.write("\n")
            continue
        with open(yaml_path, encoding="utf-8") as f:
            want = f.read()
        if want != journey:
            for i, (a, b) in enumerate(zip(want.splitlines(), journey.splitlines()), 1):
                if a != b:
                    check(False, f"{yaml_path}:{i}: expected '{a}', got '{b}'")
                    break
            else:
                check(False, f"{yaml_path}: the fitted journey's length changed")
        with open(json_path, encoding="utf-8") as f:
            found = first_difference(json.load(f), figures)
        check(found is None, f"{json_path}: {found}")

finish("golden_fit" + (" (golden files rewritten)" if update else ""))
