"""cjsim's calendar engine against SimPy on the same one-queue journey, side by side: each round
runs the Google Benchmark BM_CalendarOneQueue/1 (one replication of one day on one thread) and
then the SimPy model of bench/simpy_one_queue.py (one process), so that both meet the same
load on the machine; prints the median visits per CPU-second (per core) of each and their
ratio.

Usage: /usr/bin/python3 bench/calendar_vs_simpy.py CJSIM_BENCH [--rounds N]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simpy_one_queue import one_run  # noqa: E402


def cjsim_visits_per_second(bench):
    """Visits per CPU-second of BM_CalendarOneQueue/1: its rate is per wall-clock second
    (UseRealTime), scaled by wall over CPU time, so that both peers count per core."""
    out = subprocess.run([bench, "--benchmark_filter=BM_CalendarOneQueue/1/",
                          "--benchmark_format=json"], capture_output=True, text=True, check=True)
    b = json.loads(out.stdout)["benchmarks"][0]
    return b["visits"] * b["real_time"] / b["cpu_time"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bench")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    cjsim, simpy = [], []
    for r in range(args.rounds):
        cjsim.append(cjsim_visits_per_second(args.bench))
        tally, seconds = one_run(1, r + 1)
        simpy.append(tally.visits / seconds)
    c, s = statistics.median(cjsim), statistics.median(simpy)
    print(json.dumps({"rounds": args.rounds,
                      "cjsim_visits_per_second": cjsim, "simpy_visits_per_second": simpy,
                      "cjsim_median": c, "simpy_median": s, "ratio": c / s,
                      "targets": {"cjsim_visits_per_second": 2e6, "ratio": 100}}, indent=2))


if __name__ == "__main__":
    main()
