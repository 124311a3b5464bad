"""Every shipped example, whatever its name: journeys and future states validate with no error
and no warning (`cjsim validate`), match the JSON Schema (whole journeys and future states
alike; a future state's changes too), and a future state differs from its base (`cjsim diff`).
Experiment files (with `scenario:` or `scenarios:`) are checked by the sweep's own tests. A new
example is covered by being in the folder.

Usage: shipped_examples.py CJSIM SOURCE_DIR
"""
import json
import os
import sys

import jsonschema
import yaml

cjsim, source = sys.argv[1], sys.argv[2]
examples = os.path.join(source, "scenarios", "examples")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish, runner  # noqa: E402

run = runner(cjsim)

with open(os.path.join(source, "scenarios", "scenario.schema.json")) as f:
    schema = json.load(f)
validator = jsonschema.Draft202012Validator(schema)

names = sorted(n for n in os.listdir(examples) if n.endswith((".yaml", ".yml", ".json")))
journeys = 0
for name in names:
    path = os.path.join(examples, name)
    with open(path) as f:
        document = yaml.safe_load(f)
    if "scenario" in document or "scenarios" in document:
        continue  # an experiment file
    journeys += 1
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    check(not errors, f"{name} does not match the schema: " +
          "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5]))
    validated = run("validate", path)
    check(validated.returncode == 0, f"{name} is not valid: {validated.stderr}")
    check("warning" not in validated.stderr, f"{name} has warnings: {validated.stderr}")
    if "base" in document:
        base = os.path.join(examples, document["base"])
        diffed = run("diff", base, path)
        check(diffed.returncode == 0 and "No differences." not in diffed.stdout,
              f"{name} does not differ from its base: {diffed.stdout}{diffed.stderr}")

check(journeys >= 10, f"only {journeys} journeys found in {examples}")

# The schema refuses what the loader refuses among the new words: a lane that is not one of the
# three, a pain point that is not a list, `conversion: true`.
bank = os.path.join(examples, "bank_current_account.yaml")
with open(bank) as f:
    document = yaml.safe_load(f)
for change, what in [
        (lambda d: d["touchpoints"][0].update(lane="front"), "a lane not of the three"),
        (lambda d: d["touchpoints"][0].update(pain_points="one text"), "pain points as a text"),
        (lambda d: d["touchpoints"][-1].update(conversion=True), "conversion: true"),
        (lambda d: d["personas"][0].update(attributes={"age": 30}), "a number as an attribute")]:
    changed = json.loads(json.dumps(document))
    change(changed)
    check(not validator.is_valid(changed), f"the schema accepts {what}")

finish("shipped_examples")
