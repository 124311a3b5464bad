"""The benchmark's references simulate the model cjsim does: on the retail journey their
conversion rate, promoters per agent and steps per agent agree with `cjsim run`'s within 4.5
standard errors of the difference (their streams differ from cjsim's, so agreement is
statistical), and the kernel's counts do not depend on its threads.

Usage: references_agree.py CJSIM KERNEL SOURCE_DIR
"""
import json
import math
import os
import subprocess
import sys
import tempfile

AGENTS = 400_000
TOLERANCE = 4.5  # standard errors: a false alarm about once in 150,000 runs


def run_json(command):
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def main():
    cjsim, kernel, source = sys.argv[1:4]
    journey = os.path.join(source, "scenarios/examples/retail.yaml")
    here = os.path.join(source, "bench")
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    engine = run_json([cjsim, "run", journey, "-n", str(AGENTS), "--seed", "7", "--json"])
    with tempfile.TemporaryDirectory() as scratch:
        tables = os.path.join(scratch, "retail.tables")
        with open(tables, "w") as f:
            subprocess.run([python, os.path.join(here, "journey_tables.py"), journey], stdout=f, check=True)
        references = {
            "kernel": run_json([kernel, tables, str(AGENTS), "1", "7"]),
            "numpy": run_json([python, os.path.join(here, "retail_numpy.py"), journey, str(AGENTS), "7"]),
        }
        two_threads = run_json([kernel, tables, str(AGENTS), "2", "7"])

    failures = []
    for key in ("steps", "conversions", "promoters"):
        if two_threads[key] != references["kernel"][key]:
            failures.append(f"kernel {key}: {references['kernel'][key]} on 1 thread, {two_threads[key]} on 2")

    # The engine's 95% interval of steps per agent gives the standard error of one run's mean.
    steps_se = (engine["steps_per_agent_ci"][1] - engine["steps_per_agent_ci"][0]) / (2 * 1.959964)
    for name, result in references.items():
        for key in ("conversions", "promoters"):
            a, b = engine[key] / AGENTS, result[key] / AGENTS
            se = math.sqrt(a * (1 - a) / AGENTS + b * (1 - b) / AGENTS)
            if abs(a - b) > TOLERANCE * se:
                failures.append(f"{name} {key} per agent {b:.5f}, cjsim {a:.5f} (standard error {se:.5f})")
            print(f"{name:6} {key:11} per agent {b:.5f}  cjsim {a:.5f}  ({abs(a - b) / se:.2f} s.e.)")
        a, b = engine["steps"] / AGENTS, result["steps"] / AGENTS
        se = steps_se * math.sqrt(2)
        if abs(a - b) > TOLERANCE * se:
            failures.append(f"{name} steps per agent {b:.4f}, cjsim {a:.4f} (standard error {se:.4f})")
        print(f"{name:6} steps       per agent {b:.5f}  cjsim {a:.5f}  ({abs(a - b) / se:.2f} s.e.)")
    if failures:
        sys.exit("references disagree with cjsim:\n  " + "\n  ".join(failures))


if __name__ == "__main__":
    main()
