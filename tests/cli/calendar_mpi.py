"""`mpirun -np 2 cjsim run` on a calendar journey prints once, the results of one process.

Skipped (exit 77) when the build has no MPI or mpirun is missing.
Usage: calendar_mpi.py CJSIM SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys

cjsim, source = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, finish  # noqa: E402

if os.environ.get("CJSIM_WITH_MPI", "").upper() not in ("1", "ON", "TRUE", "YES"):
    print("skipped: this build has no MPI (configure with -DCJSIM_MPI=ON)")
    sys.exit(77)
mpirun = shutil.which("mpirun")
if mpirun is None:
    print("skipped: mpirun is not installed")
    sys.exit(77)

bank = os.path.join(source, "scenarios", "examples", "bank_call_centre.yaml")
environment = dict(os.environ)
environment.update({"OMPI_MCA_btl": "self,vader", "OMPI_MCA_rmaps_base_oversubscribe": "1",
                    "ASAN_OPTIONS": environment.get("ASAN_OPTIONS", "") + ":detect_leaks=0"})
launch = [mpirun, "--oversubscribe", "-np", "2"]
if hasattr(os, "geteuid") and os.geteuid() == 0:
    launch.insert(1, "--allow-run-as-root")

arguments = ["run", bank, "--json", "--days", "7", "--replications", "2", "--seed", "8"]
single = subprocess.run([cjsim, *arguments], capture_output=True, text=True, timeout=600,
                        env=environment)
double = subprocess.run([*launch, cjsim, *arguments], capture_output=True, text=True,
                        timeout=600, env=environment)
check(single.returncode == 0, f"one process: {single.stderr}")
check(double.returncode == 0, f"two processes: {double.stderr}")
if single.returncode == 0 and double.returncode == 0:
    one = json.loads(single.stdout)
    try:
        two = json.loads(double.stdout)  # one JSON object: only the first process prints
    except json.JSONDecodeError:
        two = None
        check(False, f"two processes printed more than one result:\n{double.stdout[:400]}")
    if two is not None:
        one.pop("seconds"), two.pop("seconds")
        check(one == two, "two processes gave other results than one")

finish("calendar_mpi")
