"""No command that writes a file overwrites an existing one unless --force is given: `run
--out`, `compare --out` and `graph --out` refuse (exit 1, naming --force, the file untouched),
and overwrite it with --force.

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
commands = {
    "run": ["run", tiny, "--agents", "1000"],
    "compare": ["compare", tiny, future, "--agents", "1000"],
    "graph": ["graph", tiny],
}
with tempfile.TemporaryDirectory() as directory:
    for name, command in commands.items():
        out = os.path.join(directory, f"{name}.out")
        with open(out, "w") as f:
            f.write("precious\n")
        refused = subprocess.run([cjsim, *command, "--out", out], capture_output=True, text=True,
                                 timeout=300)
        with open(out, "rb") as f:
            kept = f.read() == b"precious\n"
        if refused.returncode != 1 or "--force" not in refused.stderr or not kept:
            failures.append(f"{name} --out over an existing file: exit {refused.returncode}, "
                            f"kept {kept}: {refused.stderr}")
        forced = subprocess.run([cjsim, *command, "--out", out, "--force"], capture_output=True,
                                text=True, timeout=300)
        with open(out, "rb") as f:
            replaced = f.read() != b"precious\n"
        if forced.returncode != 0 or not replaced:
            failures.append(f"{name} --out --force: exit {forced.returncode}, replaced {replaced}: "
                            f"{forced.stderr}")
    leftovers = sorted(set(os.listdir(directory)) - {f"{n}.out" for n in commands})
    if leftovers:
        failures.append(f"left behind: {leftovers}")
finish("overwrite")
