"""Standard output is checked like any output: every command that prints (run, compare,
validate, graph, diff, fit, attribute, sweep, sweep --summary, --help) exits 1 with a message
naming standard output and the system's reason when it goes to /dev/full or is closed, and
then leaves none of its output files (a sweep keeps its finished points for --resume); `report`, which prints nothing there, still succeeds.

Usage: standard_output.py CJSIM SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile

cjsim, source = sys.argv[1], os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, every_writer, failures, finish, leftovers  # noqa: E402

tiny = os.path.join(source, "tests", "data", "tiny.yaml")
future = os.path.join(source, "tests", "data", "tiny_future.yaml")
events = os.path.join(source, "tests", "data", "observed", "tiny_events.csv")


def run_with_stdout(args, stdout):
    """cjsim ARGS with standard output to /dev/full ("full") or closed ("closed")."""
    if stdout == "full":
        with open("/dev/full", "w") as full:
            return subprocess.run([cjsim, *args], stdout=full, stderr=subprocess.PIPE, text=True,
                                  timeout=300)
    return subprocess.run([cjsim, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, timeout=300, preexec_fn=lambda: os.close(1))


reasons = {"full": "No space left on device", "closed": "Bad file descriptor"}
with tempfile.TemporaryDirectory() as directory:
    writers, made = every_writer(cjsim, source, directory)
    experiment = os.path.join(directory, "experiment.yaml")
    results = os.path.join(directory, "results.h5")
    swept = os.path.join(directory, "swept.h5")
    subprocess.run([cjsim, "sweep", experiment, "--out", swept], capture_output=True, timeout=300)
    made = made | {"swept.h5"}
    printing = {
        "run": ["run", tiny, "-n", "2000"],
        "run --json": ["run", tiny, "-n", "2000", "--json"],
        "compare": ["compare", tiny, future, "-n", "2000"],
        "validate": ["validate", tiny],
        "graph": ["graph", tiny],
        "diff": ["diff", tiny, future],
        "fit": ["fit", events, "-n", "2000", "-o", os.path.join(directory, "fitted.yaml")],
        "attribute": ["attribute", events],
        "sweep": ["sweep", experiment, "--out", os.path.join(directory, "new.h5")],
        "sweep --summary": ["sweep", "--summary", swept],
        "--help": ["run", "--help"],
    }
    # Commands with an output file: that file is not left when printing failed.
    for name in ["run --out", "compare --out", "fit --report-out", "attribute --csv"]:
        printing[name] = writers[name](os.path.join(directory, "out"))
    for stdout, reason in reasons.items():
        for name, args in printing.items():
            result = run_with_stdout(args, stdout)
            what = f"{name} with standard output {stdout}"
            check(result.returncode == 1, f"{what}: exit {result.returncode}: {result.stderr}")
            check("standard output" in result.stderr and reason in result.stderr,
                  f"{what}: message: {result.stderr}")
            # A sweep keeps the design points it finished, for --resume.
            parts = os.path.join(directory, "new.h5.parts")
            if name == "sweep" and os.path.isdir(parts):
                shutil.rmtree(parts)
            check(leftovers(directory, made) == [], f"{what}: left {leftovers(directory, made)}")
        report = run_with_stdout(["report", results, "-o", os.path.join(directory, "r.html")],
                                 stdout)
        check(report.returncode == 0, f"report with standard output {stdout}: {report.stderr}")
        os.remove(os.path.join(directory, "r.html"))
finish("standard_output")
