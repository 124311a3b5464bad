"""Prints the end of each failed test's output from a build's last CTest run, for the end of
CI's log: CTest shows a failed test's output where the test ended, in the middle of a long log
that may be cut, and this puts what went wrong last.

Usage: ci_failures.py BUILD_DIR [LINES]
"""
import os
import re
import sys

build, keep = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40
temporary = os.path.join(build, "Testing", "Temporary")
try:
    with open(os.path.join(temporary, "LastTestsFailed.log")) as f:
        failed = [line.strip().split(":", 1)[1] for line in f if ":" in line]
    with open(os.path.join(temporary, "LastTest.log"), errors="replace") as f:
        log = f.read()
except OSError as e:
    sys.exit(f"ci_failures: no record of the last CTest run in {temporary}: {e}")

for name in failed:
    # A test's record: "N/M Test: NAME", then its output between a rule and "<end of output>".
    found = re.search(r"^\d+/\d+ Test: " + re.escape(name) + r"\n.*?^Output:\n-+\n(.*?)^<end of output>",
                      log, re.S | re.M)
    lines = found.group(1).splitlines() if found else ["(its output is not in LastTest.log)"]
    print(f"ci: {name} failed; the last {min(keep, len(lines))} of its {len(lines)} lines of output:")
    for line in lines[-keep:]:
        print("  " + (line if len(line) <= 400 else line[:400] + " […]"))
