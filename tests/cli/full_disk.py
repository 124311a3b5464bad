"""Every writer on a full disk and on a read-only file system (small tmpfs mounts): `run --out`,
`run --agents-detail --out`, `run --report`, `compare --out`/`--report`, the sweep's file, `fit
-o`/`--report-out`, `attribute --csv`, `graph -o` and `report -o` each fail cleanly: exit 1, one
message with the system's reason (No space left on device, Read-only file system), no HDF5
noise, no crash, no temporary and none of the command's outputs left (not even those on
another disk). A full or read-only target is refused before the work, so a long run is not
lost; standard output sent to a file on the full disk is refused too.

Needs root (mount); exits 77 (skipped) where mounting is not permitted.
Usage: full_disk.py CJSIM SOURCE_DIR
"""
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

cjsim, source = sys.argv[1], os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, every_writer, failures, finish, leftovers, runner  # noqa: E402

run = runner(cjsim)
tiny = os.path.join(source, "tests", "data", "tiny.yaml")


@contextlib.contextmanager
def tmpfs(directory, options):
    """A tmpfs mounted on `directory` for the block; exits 77 when mounting is not permitted."""
    os.makedirs(directory)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", directory],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        print(f"full_disk: skipped, cannot mount a tmpfs: {mounted.stderr.strip()}")
        sys.exit(77)
    try:
        yield directory
    finally:
        subprocess.run(["umount", directory], check=False)


def fill(directory, leave_bytes):
    """Fills the file system of `directory` until about `leave_bytes` are free."""
    free = os.statvfs(directory)
    room = free.f_bfree * free.f_frsize - leave_bytes
    with open(os.path.join(directory, "filler"), "wb", buffering=0) as f:
        try:
            while room > 0:
                room -= f.write(b"\0" * min(room, 1 << 16))
        except OSError:
            pass  # full already


def failed_cleanly(what, result, reason, directory, kept, elsewhere):
    check(result.returncode == 1, f"{what}: exit {result.returncode}: {result.stderr}")
    check(reason in result.stderr, f"{what}: no '{reason}' in: {result.stderr}")
    lines = result.stderr.strip().splitlines()
    check(len(lines) <= 2 and "H5" not in result.stderr and "HDF5" not in result.stderr,
          f"{what}: more than a message: {result.stderr}")
    check(leftovers(directory, kept) == [], f"{what}: left {leftovers(directory, kept)}")
    check(leftovers(*elsewhere) == [], f"{what}: left {leftovers(*elsewhere)} beside the inputs")


with tempfile.TemporaryDirectory() as work:
    inputs = os.path.join(work, "inputs")
    os.makedirs(inputs)
    writers, made = every_writer(cjsim, source, inputs)
    extension = {"--report": ".html", "--csv": ".csv", "graph -o": ".dot", "fit -o": ".yaml",
                 "report -o": ".html"}

    def output_name(name):
        for key, suffix in extension.items():
            if key in name:
                return "out" + suffix
        return "out.h5"

    # A file system with no room at all: refused before the work.
    with tmpfs(os.path.join(work, "full"), "size=1m") as full:
        fill(full, 0)
        for name, command in writers.items():
            result = run(*command(os.path.join(full, output_name(name))))
            failed_cleanly(f"{name} on a full disk", result, "No space left on device", full,
                           {"filler"}, (inputs, made))
        started = time.monotonic()
        result = run("run", tiny, "-n", "200000000", "--out", os.path.join(full, "big.h5"))
        check(time.monotonic() - started < 20 and result.returncode == 1,
              f"a long run onto a full disk was not refused first: {result.stderr}")
        for command in (["run", tiny, "-n", "2000", "--json"], ["graph", tiny]):
            with open(os.path.join(full, "stdout"), "w") as stdout:
                result = subprocess.run([cjsim, *command], stdout=stdout, stderr=subprocess.PIPE,
                                        text=True, timeout=300)
            check(result.returncode == 1 and "standard output" in result.stderr
                  and "No space left on device" in result.stderr,
                  f"{command[0]} > full disk: exit {result.returncode}: {result.stderr}")
            os.remove(os.path.join(full, "stdout"))

    # Room for the checks but not for the files: each fails when it writes, as cleanly.
    with tmpfs(os.path.join(work, "nearly"), "size=2m") as nearly:
        fill(nearly, 24 * 1024)
        for name in ["run --out", "run --agents-detail --out", "run --report", "compare --out",
                     "compare --report", "sweep --out", "report -o"]:
            result = run(*writers[name](os.path.join(nearly, output_name(name))))
            # A sweep keeps the design points it finished, for --resume.
            kept = {"filler", "out.h5.parts"} if name == "sweep --out" else {"filler"}
            failed_cleanly(f"{name} on a nearly full disk", result, "No space left on device",
                           nearly, kept, (inputs, made))
            parts = os.path.join(nearly, "out.h5.parts")
            if os.path.isdir(parts):
                check(not [n for n in os.listdir(parts) if ".tmp-" in n],
                      f"{name}: temporaries left in {os.listdir(parts)}")
                shutil.rmtree(parts)
        # The fitted journey goes to another disk; its report (27 KB) fails: neither is left.
        os.remove(os.path.join(nearly, "filler"))
        fill(nearly, 16 * 1024)
        result = run("fit", os.path.join(source, "tests", "data", "observed", "pathdata_head.csv"),
                     "--holdout", "0.2", "-n", "2000", "-o", os.path.join(inputs, "fitted.yaml"),
                     "--report-out", os.path.join(nearly, "fit.h5"))
        failed_cleanly("fit --report-out on a nearly full disk", result, "No space left on device",
                       nearly, {"filler"}, (inputs, made))

    # A read-only file system: refused before the work, with the system's reason.
    with tmpfs(os.path.join(work, "readonly"), "size=1m,ro") as readonly:
        for name, command in writers.items():
            result = run(*command(os.path.join(readonly, output_name(name))))
            failed_cleanly(f"{name} on a read-only file system", result, "Read-only file system",
                           readonly, set(), (inputs, made))
        started = time.monotonic()
        result = run("run", tiny, "-n", "200000000", "--out", os.path.join(readonly, "big.h5"))
        check(time.monotonic() - started < 20 and result.returncode == 1
              and "Read-only file system" in result.stderr,
              f"a long run onto a read-only disk was not refused first: {result.stderr}")
finish("full_disk")
