"""No command that writes a file overwrites an existing one unless --force is given: `run`,
`compare`, `graph` and `sweep` with --out, `run` and `compare` with --report, `fit` with -o and
--report-out, `attribute --csv` and `report -o` refuse
(exit 1, naming --force, the file untouched), and overwrite it with --force.

Usage: overwrite.py CJSIM SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile

cjsim, source = sys.argv[1], sys.argv[2]
tiny = os.path.join(source, "tests", "data", "tiny.yaml")
future = os.path.join(source, "tests", "data", "tiny_future.yaml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import failures, finish  # noqa: E402
events = os.path.join(source, "tests", "data", "observed", "tiny_events.csv")
with tempfile.TemporaryDirectory() as directory:
    experiment = os.path.join(directory, "experiment.yaml")
    with open(experiment, "w") as f:
        f.write(f"scenario: {tiny}\nagents: 1000\nparameters:\n  settings.kappa: [0, 1]\n")
    results = os.path.join(directory, "results.h5")
    made = subprocess.run([cjsim, "run", tiny, "--agents", "1000", "--out", results],
                          capture_output=True, text=True, timeout=300)
    if made.returncode != 0:
        failures.append(f"run for the report: {made.stderr}")
    # Each command with the option that names its output.
    commands = {
        "run": (["run", tiny, "--agents", "1000"], "--out"),
        "compare": (["compare", tiny, future, "--agents", "1000"], "--out"),
        "graph": (["graph", tiny], "--out"),
        "sweep": (["sweep", experiment], "--out"),
        "fit": (["fit", events], "-o"),
        "attribute": (["attribute", events], "--csv"),
        "report": (["report", results], "-o"),
        "run_report": (["run", tiny, "--agents", "1000"], "--report"),
        "compare_report": (["compare", tiny, future, "--agents", "1000"], "--report"),
        "fit_report": (["fit", events, "-o", os.path.join(directory, "fitted.yaml")],
                       "--report-out"),
    }
    for name, (command, option) in commands.items():
        out = os.path.join(directory, f"{name}.out")
        with open(out, "w") as f:
            f.write("precious\n")
        refused = subprocess.run([cjsim, *command, option, out], capture_output=True, text=True,
                                 timeout=300)
        with open(out, "rb") as f:
            kept = f.read() == b"precious\n"
        if refused.returncode != 1 or "--force" not in refused.stderr or not kept:
            failures.append(f"{name} {option} over an existing file: exit {refused.returncode}, "
                            f"kept {kept}: {refused.stderr}")
        forced = subprocess.run([cjsim, *command, option, out, "--force"], capture_output=True,
                                text=True, timeout=300)
        with open(out, "rb") as f:
            replaced = f.read() != b"precious\n"
        if forced.returncode != 0 or not replaced:
            failures.append(f"{name} {option} --force: exit {forced.returncode}, "
                            f"replaced {replaced}: {forced.stderr}")
    expected = {f"{n}.out" for n in commands} | {"experiment.yaml", "results.h5", "fitted.yaml"}
    leftovers = sorted(set(os.listdir(directory)) - expected)
    if leftovers:
        failures.append(f"left behind: {leftovers}")
finish("overwrite")
