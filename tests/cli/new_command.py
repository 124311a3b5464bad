"""`cjsim new NAME.yaml`: a commented starting journey that validates without a warning and runs,
named from its file (or --name), never written over an existing file without --force.

Usage: new_command.py CJSIM SOURCE_DIR
"""
import json
import os
import sys
import tempfile

cjsim, source = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish, runner  # noqa: E402

run = runner(cjsim)

with tempfile.TemporaryDirectory() as directory:
    path = os.path.join(directory, "my_bank-journey.yaml")
    made = run("new", path)
    check(made.returncode == 0, f"new failed: {made.stderr}")
    check(f"cjsim: wrote {path}\n" in made.stderr, f"new did not say it wrote the file: {made.stderr}")
    with open(path) as f:
        text = f.read()
    check(text.startswith("#") and text.count("\n#") > 3, "the starting journey has no comments")
    check(f"cjsim run {path}" in text, "the comments do not show how to run the file")

    valid = run("validate", path)
    check(valid.returncode == 0, f"the starting journey does not validate: {valid.stderr}")
    check("'My bank journey'" in valid.stdout, f"not named from the file: {valid.stdout}")
    check("5 stages" in valid.stdout and "2 personas" in valid.stdout, valid.stdout)
    check("warning" not in valid.stdout + valid.stderr, f"warnings: {valid.stderr}")

    result = run("run", path, "--agents", "20000", "--json")
    check(result.returncode == 0, f"the starting journey does not run: {result.stderr}")
    summary = json.loads(result.stdout) if result.returncode == 0 else {}
    rate = summary.get("conversion_rate", 0)
    check(0.05 < rate < 0.95, f"the starting journey's conversion rate is {rate}")
    stages = [s.get("name") for s in summary.get("stages", [])]
    check(stages == ["awareness", "consideration", "purchase", "service", "advocacy"],
          f"stages {stages}")

    again = run("new", path)
    check(again.returncode == 1 and "exists" in again.stderr,
          f"new wrote over an existing file: {again.returncode} {again.stderr}")
    forced = run("new", path, "--force", "--name", 'Quote "this": a bank')
    check(forced.returncode == 0, f"new --force failed: {forced.stderr}")
    named = run("validate", path)
    check("'Quote \"this\": a bank'" in named.stdout, f"--name not kept: {named.stdout}")

    wrong = run("new", os.path.join(directory, "journey.txt"))
    check(wrong.returncode == 1 and ".yaml" in wrong.stderr, f"new journey.txt: {wrong.stderr}")

finish("new_command")
