"""How long the studio takes to answer a comparison: `cjsim studio` on the shipped examples,
a 200,000-agent comparison of retail.yaml and retail_one_click_checkout.yaml started over HTTP
(POST /api/jobs), polled, and its result fetched, as the page does. Prints one JSON object:
the wall time from the request to the result in hand (median, min, max of REPEATS), and the
engine's own seconds from the result.

Usage: studio_latency.py CJSIM SOURCE_DIR [AGENTS] [REPEATS]
"""
import json
import os
import statistics
import sys
import time

cjsim, source = sys.argv[1], sys.argv[2]
agents = int(sys.argv[3]) if len(sys.argv) > 3 else 200_000
repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 7
sys.path.insert(0, os.path.join(source, "tests", "cli", "lib"))
from studio_server import Studio  # noqa: E402

studio = Studio(cjsim, os.path.join(source, "scenarios", "examples"))
request = {"kind": "compare", "agents": agents, "seed": 42,
           "journeys": [{"path": "retail.yaml"}, {"path": "retail_one_click_checkout.yaml"}]}
walls, engine = [], []
try:
    for _ in range(repeats + 1):  # the first warms the caches and is not counted
        start = time.perf_counter()
        status, _, job = studio.request("POST", "/api/jobs", request)
        if status != 202:
            sys.exit(f"studio_latency: {status} {job}")
        while job["state"] == "running":
            time.sleep(0.005)
            _, _, job = studio.request("GET", f"/api/jobs/{job['id']}")
        _, _, result = studio.request("GET", f"/api/jobs/{job['id']}/result")
        walls.append(time.perf_counter() - start)
        engine.append(result["seconds"])
finally:
    studio.stop()
walls, engine = walls[1:], engine[1:]
print(json.dumps({"agents": agents, "repeats": repeats, "cores": os.cpu_count(),
                  "wall_seconds": {"median": statistics.median(walls), "min": min(walls),
                                   "max": max(walls)},
                  "engine_seconds_median": statistics.median(engine)}))
