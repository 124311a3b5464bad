"""Progress bars on a terminal: `run`, `compare` and `sweep` with their standard error on a
pseudo-terminal draw a bar (label, percentage, time left) from several threads at once, erase
it when done, and give exactly the results they give with no terminal. Runs grow until they
last long enough for a bar (the first is drawn after half a second), so the test holds for a
fast release build and a slow sanitizer build alike.

Usage: progress_terminal.py CJSIM SOURCE_DIR"""
import json
import os
import re
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish, runner  # noqa: E402

cjsim, source = sys.argv[1], os.path.abspath(sys.argv[2])
examples = os.path.join(source, "scenarios", "examples")
retail = os.path.join(examples, "retail.yaml")
future = os.path.join(examples, "retail_one_click_checkout.yaml")
plain = runner(cjsim, timeout=600)  # standard error captured: no terminal
# Where the runs start growing from: a sanitized build runs several (ThreadSanitizer about ten)
# times slower, so a bar is drawn at a fraction of the agents a release build needs.
START = 1 << 17 if os.environ.get("CJSIM_SANITIZED") else 1 << 20
BAR = re.compile(r"\r(\w[\w ]*) \[[#.]{30}\] +\d+\.\d%  .*?\d+ s left")


def on_terminal(args):
    """Runs cjsim with stderr on a pseudo-terminal; returns (exit code, stdout, terminal text)."""
    master, slave = os.openpty()
    proc = subprocess.Popen([cjsim, *args], stdout=subprocess.PIPE, stderr=slave,
                            stdin=subprocess.DEVNULL)
    os.close(slave)
    seen = []

    def drain():
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO once the child has closed its end
                return
            if not chunk:
                return
            seen.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    out, _ = proc.communicate(timeout=600)
    reader.join(timeout=60)
    os.close(master)
    return proc.returncode, out.decode(), b"".join(seen).decode(errors="replace")


def until_drawn(make_args, agents, most):
    """Doubles the agents until the run draws a bar; returns (agents, its on_terminal result)."""
    while True:
        result = on_terminal(make_args(agents))
        if BAR.search(result[2]) or agents >= most:
            return agents, result
        agents *= 2


def check_bar(name, label, terminal):
    bars = BAR.findall(terminal)
    check(bars, f"{name}: no progress bar drawn on the terminal: {terminal[-300:]!r}")
    check(all(b == label for b in bars), f"{name}: bars labelled {sorted(set(bars))}, not {label!r}")
    # The bar's last drawing blanks the line and returns to its start; only the lines that say
    # which files were written come after it.
    check(re.search(r"\r {60,}\r(cjsim: wrote [^\r\n]*\r?\n)*$", terminal),
          f"{name}: the bar was not erased: {terminal[-120:]!r}")


def without_seconds(text):
    figures = json.loads(text)
    figures.pop("seconds", None)
    return figures


# run: 2 threads updating one bar.
agents, (code, out, terminal) = until_drawn(
    lambda n: ["run", retail, "--agents", str(n), "--threads", "2", "--json"], START, 1 << 27)
check(code == 0, f"run on a terminal exited {code}")
check_bar("run", "simulating", terminal)
reference = plain("run", retail, "--agents", str(agents), "--threads", "2", "--json")
check(reference.returncode == 0 and reference.stderr == "",
      f"run without a terminal: {reference.returncode} {reference.stderr}")
if code == 0 and reference.returncode == 0:
    check(without_seconds(out) == without_seconds(reference.stdout),
          "run: the figures differ with and without a terminal")

# compare: two journeys on the same agents.
agents, (code, out, terminal) = until_drawn(
    lambda n: ["compare", retail, future, "--agents", str(n), "--threads", "2", "--json"],
    START // 2, 1 << 26)
check(code == 0, f"compare on a terminal exited {code}")
check_bar("compare", "comparing", terminal)

with tempfile.TemporaryDirectory() as tmp:
    def sweep_args(n, out_name="tty.h5"):
        experiment = os.path.join(tmp, f"sweep_{n}.yaml")
        with open(experiment, "w") as f:
            f.write(f"name: Checkout\nscenario: {retail}\ndesign: grid\nagents: {n}\n"
                    "replications: 2\nseed: 5\nparameters:\n"
                    "  touchpoints.basket.dropout: [0.25, 0.35, 0.45]\n"
                    "  settings.kappa: [0.75, 1.5]\n")
        out_file = os.path.join(tmp, out_name)
        if os.path.exists(out_file):
            os.remove(out_file)
        return ["sweep", experiment, "--out", out_file, "--threads", "2"]

    # 6 points of n agents each: the sweep's bar sums the points' progress.
    agents, (code, out, terminal) = until_drawn(sweep_args, START // 8, 1 << 24)
    check(code == 0, f"sweep on a terminal exited {code}: {terminal[-300:]!r}")
    check_bar("sweep", "sweeping", terminal)
    statuses = set(re.findall(r"left (points? [\d-]+ of 6 to run)", terminal))
    check(statuses and all(re.fullmatch(r"point [1-6] of 6 to run|points [1-6]-[1-6] of 6 to run", s)
                           for s in statuses), f"sweep: statuses {sorted(statuses)}")
    check(not any(re.fullmatch(r"points (\d)-\1 of 6 to run", s) for s in statuses),
          f"sweep: a round of one point is shown as a range: {sorted(statuses)}")
    reference = plain(*sweep_args(agents, "plain.h5"))
    check(reference.returncode == 0,
          f"sweep without a terminal exited {reference.returncode}: {reference.stderr}")
    summaries = [plain("sweep", "--summary", os.path.join(tmp, name), "--top", "0")
                 for name in ("tty.h5", "plain.h5")]
    check(all(s.returncode == 0 for s in summaries), f"sweep --summary failed: {summaries}")
    check(summaries[0].stdout == summaries[1].stdout,
          "sweep: the summaries differ with and without a terminal")

finish("progress_terminal")
