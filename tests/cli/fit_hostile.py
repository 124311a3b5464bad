"""Hostile observed data and options on the command line: a fitted journey too large to load
back, options the data cannot honour, upper-case XES names, a funnel no one entered, more
latent personas than customers, and seeds outside [0, 2^64 - 1]. Each is an error naming what
is wrong, exit 1 (2 for a malformed option), and no output file.

Usage: fit_hostile.py CJSIM SOURCE_DIR
"""
import os
import shutil
import sys
import tempfile

cjsim, source = sys.argv[1], sys.argv[2]
data = os.path.join(source, "tests", "data")
observed = os.path.join(data, "observed")
events = os.path.join(observed, "tiny_events.csv")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish, runner  # noqa: E402


run = runner(cjsim, timeout=120)


def refused(result, needle, what, code=1):
    check(result.returncode == code and needle in result.stderr,
          f"{what}: exit {result.returncode}, expected {code} and '{needle}':\n{result.stderr[:600]}")


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "fitted.yaml")

    # Twelve touchpoints named with a million bytes each: the journey would hold every name
    # several times (id, label, channel, transitions), about 58 MB, over the loader's 32 MiB.
    long_names = os.path.join(tmp, "long_names.csv")
    with open(long_names, "w") as f:
        f.write("customer,timestamp,touchpoint,value\n")
        for step in range(12):
            value = "10" if step == 11 else ""
            f.write(f"c1,{1000 + step},{chr(ord('a') + step) * 1000000},{value}\n")
    refused(run("fit", long_names, "-o", out, "-n", "100"), "over the 32 MiB",
            "a fitted journey over the size limit")
    check(not os.path.exists(out), "a journey over the size limit was written")

    # Options the data cannot honour were ignored.
    refused(run("fit", events, "-o", out, "--channel-column", "nope"),
            "no 'nope' column (named with --channel-column)", "--channel-column nope")
    refused(run("fit", events, "-o", out, "--conversion-touchpoint", "chekout"),
            "did you mean 'checkout'?", "--conversion-touchpoint chekout")
    refused(run("fit", os.path.join(observed, "tiny_paths.csv"), "-o", out, "--stage-column",
                "stage"),
            "--stage-column applies to event logs", "an event-log option on a path table")
    check(not os.path.exists(out), "a refused fit wrote its output")

    # Upper-case XES names are XES, not CSV.
    upper = os.path.join(tmp, "RUNNING-EXAMPLE.XES.GZ")
    shutil.copy(os.path.join(observed, "running-example.xes.gz"), upper)
    done = run("fit", upper, "-o", out, "-n", "1000", "--conversion-touchpoint", "pay compensation")
    check(done.returncode == 0, f"fit of {upper}: exit {done.returncode}: {done.stderr}")

    # A funnel no one entered calibrated to nan%.
    funnel = os.path.join(tmp, "funnel.csv")
    with open(funnel, "w") as f:
        f.write("step,reached\nentered,0\nconsideration,0\n")
    refused(run("fit", funnel, "--skeleton", os.path.join(data, "fit", "two_personas.yaml"),
                "-o", os.path.join(tmp, "calibrated.yaml")),
            f"{funnel}:2:9: error: 'entered' is 0", "a funnel with 0 entered")

    # 64 latent personas on 4 customers.
    refused(run("fit", events, "--personas", "64", "-o", os.path.join(tmp, "personas.yaml")),
            "64 latent personas have", "--personas 64 on 4 customers")

# Seeds wrapped (-1) or clamped (2^64, 1e23) to one in range.
tiny = os.path.join(data, "tiny.yaml")
for seed in ["-1", "18446744073709551616", "1e23", "1.5", "+5", ""]:
    for command in (["run", tiny, "-n", "10"], ["fit", events, "-o", "unused.yaml"],
                    ["attribute", tiny]):
        refused(run(*command, f"--seed={seed}"), "--seed", f"{command[0]} --seed={seed!r}", code=2)
refused(run("run", tiny, "-n", "10", "-s", "-1"), "--seed", "run -s -1", code=2)
done = run("run", tiny, "-n", "10", "--seed", "18446744073709551615", "--json")
check(done.returncode == 0, f"the largest seed: exit {done.returncode}: {done.stderr}")

finish("fit_hostile")
