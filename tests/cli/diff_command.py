"""`cjsim diff` driven from outside: text and JSON, a future state against its base.

Usage: diff_command.py CJSIM SOURCE_DIR
"""
import json
import os
import sys

cjsim, source = sys.argv[1], sys.argv[2]
examples = os.path.join(source, "scenarios", "examples")
retail = os.path.join(examples, "retail.yaml")
one_click = os.path.join(examples, "retail_one_click_checkout.yaml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish, runner  # noqa: E402


run = runner(cjsim)


text = run("diff", retail, one_click)
check(text.returncode == 0, f"diff failed: {text.stderr}")
for line in ["  - removed  account_signup (purchase, web)",
             "  ~ changed  basket: dropout 42% -> 35%",
             "  - removed  basket -> account_signup (weight 2, with account_signup)"]:
    check(line in text.stdout, f"diff text lacks {line!r}:\n{text.stdout}")

same = run("diff", retail, retail)
check(same.returncode == 0 and "No differences." in same.stdout, "a journey differs from itself")

out = run("diff", retail, one_click, "--json")
check(out.returncode == 0, f"diff --json failed: {out.stderr}")
data = json.loads(out.stdout)
check(data["future"]["bases"] == [retail], f"bases {data['future']['bases']}")
removed = [d for d in data["differences"] if d["change"] == "removed" and d["part"] == "touchpoint"]
check([d["id"] for d in removed] == ["account_signup"], f"removed touchpoints {removed}")

bad = run("diff", retail, os.path.join(source, "tests", "data", "future", "missing_base.yaml"))
check(bad.returncode == 1 and "cannot read the base journey" in bad.stderr,
      f"a missing base: {bad.returncode} {bad.stderr}")

finish("diff_command")
