"""Peak resident memory of `cjsim run` for growing agent counts: the engine's memory must not
grow with the number of agents (no per-agent records are asked for).

Usage: peak_memory.py CJSIM SCENARIO AGENTS... > memory.json
"""
import json
import os
import resource
import subprocess
import sys
import time

cjsim, scenario, counts = sys.argv[1], sys.argv[2], [int(a) for a in sys.argv[3:]]
rows = []
for agents in counts:
    started = time.monotonic()
    child = subprocess.Popen([cjsim, "run", scenario, "--agents", str(agents), "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = child.communicate()
    # wait4's usage is the child's own; ru_maxrss is in KiB on Linux.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode != 0:
        sys.exit(f"cjsim failed for {agents} agents: {err.decode()}")
    result = json.loads(out)
    rows.append({"agents": agents, "steps": result["steps"],
                 "seconds": round(time.monotonic() - started, 3),
                 "peak_rss_bytes_so_far": usage.ru_maxrss * 1024})
    print(f"{agents:>12} agents: peak RSS so far {usage.ru_maxrss / 1024:.1f} MiB", file=sys.stderr)
json.dump({"scenario": os.path.basename(scenario), "runs": rows}, sys.stdout, indent=2)
