"""What the command-line test scripts share: checks that collect every failure rather than
stop at the first, running cjsim with its output captured, and the verdict at the end."""
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
