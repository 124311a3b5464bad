"""Past one machine: `mpirun -np 2` with `cjsim sweep`, `cjsim run` and `cjsim compare` gives
files with the same content as one process with the same seed. Skipped (exit 77) when the build has no
MPI or mpirun is missing.

Usage: sweep_mpi.py CJSIM SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from cli_checks import check, failures, finish  # noqa: E402
from h5compare import differences  # noqa: E402

cjsim, source = sys.argv[1], os.path.abspath(sys.argv[2])
if os.environ.get("CJSIM_WITH_MPI", "").upper() not in ("1", "ON", "TRUE", "YES"):
    print("skipped: this build has no MPI (configure with -DCJSIM_MPI=ON)")
    sys.exit(77)
mpirun = shutil.which("mpirun")
if mpirun is None:
    print("skipped: mpirun is not installed")
    sys.exit(77)

tiny = os.path.join(source, "tests", "data", "tiny.yaml")
retail = os.path.join(source, "scenarios", "examples", "retail.yaml")
environment = dict(os.environ)
# Shared memory between the ranks of one machine; no network probing in a sandbox. OpenMPI's
# own allocations are not the program's leaks.
environment.update({"OMPI_MCA_btl": "self,vader", "OMPI_MCA_rmaps_base_oversubscribe": "1",
                    "ASAN_OPTIONS": environment.get("ASAN_OPTIONS", "") + ":detect_leaks=0"})
launch = [mpirun, "--oversubscribe", "-np", "2"]
if hasattr(os, "geteuid") and os.geteuid() == 0:
    launch.insert(1, "--allow-run-as-root")


def run(command, what):
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, env=environment)
    check(result.returncode == 0, f"{what}: exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


with tempfile.TemporaryDirectory() as directory:
    experiment = os.path.join(directory, "experiment.yaml")
    with open(experiment, "w") as f:
        f.write(f"""scenarios: [{tiny}, {retail}]
design: latin_hypercube
points: 5
agents: 20000
replications: 2
seed: 3
parameters:
  settings.kappa: {{from: 0, to: 2}}
  settings.memory: {{from: 0.3, to: 0.9}}
""")
    single = os.path.join(directory, "single.h5")
    double = os.path.join(directory, "two_ranks.h5")
    run([cjsim, "sweep", experiment, "--out", single, "--threads", "1"], "single-process sweep")
    # 3 threads: each rank runs 3 of these small points side by side, so the 10 points take
    # 2 rounds, the second uneven (rank 0 runs 3 points, rank 1 one).
    run(launch + [cjsim, "sweep", experiment, "--out", double, "--threads", "3"], "2-rank sweep")
    if os.path.exists(single) and os.path.exists(double):
        check(differences(single, double) == [], f"sweep: {differences(single, double)}")
        import h5py
        with h5py.File(double, "r") as f:
            check(int(f.attrs["processes"]) == 2, f"processes = {f.attrs['processes']}")

    # A run's agent blocks spread over 2 ranks: the same aggregates, to the bit.
    single = os.path.join(directory, "run_single.h5")
    double = os.path.join(directory, "run_two_ranks.h5")
    run([cjsim, "run", retail, "--agents", "70000", "--replications", "2", "--out", single], "run")
    run(launch + [cjsim, "run", retail, "--agents", "70000", "--replications", "2", "--out", double],
        "2-rank run")
    if os.path.exists(single) and os.path.exists(double):
        check(differences(single, double) == [], f"run: {differences(single, double)}")

    # A comparison likewise: every journey's aggregates and the paired sums.
    future = os.path.join(source, "scenarios", "examples", "retail_one_click_checkout.yaml")
    single = os.path.join(directory, "compare_single.h5")
    double = os.path.join(directory, "compare_two_ranks.h5")
    run([cjsim, "compare", retail, future, "--agents", "50000", "--out", single], "compare")
    run(launch + [cjsim, "compare", retail, future, "--agents", "50000", "--out", double],
        "2-rank compare")
    if os.path.exists(single) and os.path.exists(double):
        check(differences(single, double) == [], f"compare: {differences(single, double)}")

finish("sweep_mpi")
