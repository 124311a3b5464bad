"""What the command-line test scripts share: checks that collect every failure rather than
stop at the first, running cjsim with its output captured, and the verdict at the end."""
import os
import subprocess
import sys

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def runner(cjsim, timeout=300):
    """A function running `cjsim ARGS...` with text output captured and a time limit."""
    def run(*args, timeout=timeout):
        return subprocess.run([cjsim, *args], capture_output=True, text=True, timeout=timeout)
    return run


def finish(name):
    """Exits 1 listing the failures, or says that every check of `name` passed."""
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print(f"{name}: all checks passed")


def every_writer(cjsim, source, directory):
    """Every command's every output option, with inputs made in `directory`: a dict from a name
    to a function of the output path giving the command's arguments. Returned with the names
    of the files the inputs are."""
    tiny = os.path.join(source, "tests", "data", "tiny.yaml")
    future = os.path.join(source, "tests", "data", "tiny_future.yaml")
    events = os.path.join(source, "tests", "data", "observed", "tiny_events.csv")
    experiment = os.path.join(directory, "experiment.yaml")
    with open(experiment, "w") as f:
        f.write(f"scenario: {tiny}\nagents: 2000\nparameters:\n  settings.kappa: [0, 1, 2]\n")
    results = os.path.join(directory, "results.h5")
    made = subprocess.run([cjsim, "run", tiny, "-n", "2000", "--out", results],
                          capture_output=True, text=True, timeout=300)
    check(made.returncode == 0, f"the result file for `report`: {made.stderr}")
    fitted = os.path.join(directory, "fitted.yaml")
    writers = {
        "run --out": lambda out: ["run", tiny, "-n", "20000", "--out", out],
        "run --agents-detail --out":
            lambda out: ["run", tiny, "-n", "20000", "--agents-detail", "--out", out],
        "run --report": lambda out: ["run", tiny, "-n", "2000", "--report", out],
        "compare --out": lambda out: ["compare", tiny, future, "-n", "20000", "--out", out],
        "compare --report": lambda out: ["compare", tiny, future, "-n", "2000", "--report", out],
        "sweep --out": lambda out: ["sweep", experiment, "--out", out],
        "fit -o": lambda out: ["fit", events, "-n", "2000", "-o", out],
        "fit --report-out":
            lambda out: ["fit", events, "-n", "2000", "-o", fitted, "--report-out", out],
        "attribute -o": lambda out: ["attribute", events, "-o", out],
        "attribute --csv": lambda out: ["attribute", events, "--csv", out],  # the old name
        "graph -o": lambda out: ["graph", tiny, "-o", out],
        "report -o": lambda out: ["report", results, "-o", out],
    }
    return writers, {"experiment.yaml", "results.h5"}


def leftovers(directory, expected=()):
    """The names in `directory` (hidden temporaries too) other than `expected`."""
    return sorted(set(os.listdir(directory)) - set(expected))
