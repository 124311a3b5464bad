"""cjsim against the two references of the plain model, side by side: the lean C++ kernel
(retail_kernel.cc, built -march=native) and the numpy simulator (retail_numpy.py). Each round
runs every contender once, in turn (interleaved, so a busy spell of a shared machine falls on
all of them), as a whole process: agent-steps over wall-clock seconds, over CPU seconds (user
and system: what the process itself spent, nearly independent of other load), and peak
resident memory. Ratios are medians over rounds of the round's ratio.

Usage: references.py CJSIM KERNEL JOURNEY.yaml AGENTS NUMPY_AGENTS ROUNDS   (JSON on stdout)
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def measure(command):
    """Runs command; returns its JSON output with wall and CPU seconds and peak memory."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"references: {' '.join(command)} failed ({process.returncode})")
    result = json.loads(output)
    cpu = usage.ru_utime + usage.ru_stime
    return {"steps": result["steps"], "conversions": result["conversions"],
            "wall_seconds": wall, "cpu_seconds": cpu,
            "agent_steps_per_second": result["steps"] / wall,
            "agent_steps_per_cpu_second": result["steps"] / cpu,
            "peak_memory_mib": usage.ru_maxrss / 1024}


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__.strip().splitlines()[-1])
    cjsim, kernel, journey = sys.argv[1:4]
    agents, numpy_agents, rounds = (int(x) for x in sys.argv[4:7])
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    with tempfile.NamedTemporaryFile("w", suffix=".tables", delete=False) as tables:
        subprocess.run([python, os.path.join(HERE, "journey_tables.py"), journey], stdout=tables, check=True)
    contenders = {
        "cjsim_1_thread": [cjsim, "run", journey, "-n", str(agents), "--threads", "1", "--json"],
        "cjsim_2_threads": [cjsim, "run", journey, "-n", str(agents), "--threads", "2", "--json"],
        "kernel_1_thread": [kernel, tables.name, str(agents), "1"],
        "kernel_2_threads": [kernel, tables.name, str(agents), "2"],
        "numpy": [python, os.path.join(HERE, "retail_numpy.py"), journey, str(numpy_agents)],
    }
    runs = {name: [] for name in contenders}
    try:
        for _ in range(rounds):
            for name, command in contenders.items():
                runs[name].append(measure(command))
    finally:
        os.unlink(tables.name)

    def median(name, key):
        return statistics.median(run[key] for run in runs[name])

    def ratio(a, b, key):
        return statistics.median(x[key] / y[key] for x, y in zip(runs[a], runs[b]))

    threads = {"cjsim_1_thread": 1, "cjsim_2_threads": 2, "kernel_1_thread": 1,
               "kernel_2_threads": 2, "numpy": 1}
    summary = {name: {
        "agent_steps_per_second": median(name, "agent_steps_per_second"),
        "agent_steps_per_second_per_core": median(name, "agent_steps_per_second") / threads[name],
        "agent_steps_per_cpu_second": median(name, "agent_steps_per_cpu_second"),
        "peak_memory_mib": max(run["peak_memory_mib"] for run in runs[name]),
        "conversion_rate": runs[name][0]["conversions"] / (numpy_agents if name == "numpy" else agents),
    } for name in contenders}
    ratios = {}
    for key, label in (("agent_steps_per_second", "wall"), ("agent_steps_per_cpu_second", "cpu")):
        ratios[f"cjsim_vs_kernel_1_thread_{label}"] = ratio("cjsim_1_thread", "kernel_1_thread", key)
        ratios[f"cjsim_vs_kernel_2_threads_{label}"] = ratio("cjsim_2_threads", "kernel_2_threads", key)
        # numpy uses one core: per core, cjsim on one thread against it.
        ratios[f"cjsim_vs_numpy_per_core_{label}"] = ratio("cjsim_1_thread", "numpy", key)
    json.dump({"journey": journey, "agents": agents, "numpy_agents": numpy_agents, "rounds": rounds,
               "load_average": os.getloadavg(), "median": summary, "ratios": ratios,
               "targets": {"cjsim_vs_kernel": 1.5, "cjsim_vs_numpy_per_core": 25},
               "runs": runs}, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
