"""The calendar benchmark's journey (bench/calendar_bench.cc, BM_CalendarOneQueue) in SimPy, the
peer cjsim's speed is measured against: 100,000 organic arrivals a day (Poisson, flat
profiles) enter at `web` (0.1 h exponential), then `call` holds one of 350 staff
(0.1 h exponential, patience 0.5 h exponential: an agent not taken in time abandons), then
`buy` (0.05 h, converts with value 5). Each visit does the model's per-visit work as cjsim's
step kernel does: the experience (memory x emotion + mean - wait penalty, clamped), the peak,
the dropout draw with its emotion-dependent log-odds, and at the end peak-end and the
likelihood to recommend. One process, one core.

Usage: /usr/bin/python3 bench/simpy_one_queue.py [--days D] [--repetitions N]
Prints one JSON object: visits and agents per CPU-second of each repetition, and their
medians. Needs SimPy 3 (Debian's python3-simpy3).
"""
import argparse
import json
import math
import random
import statistics
import time

import simpy

ARRIVALS_PER_DAY = 100_000
STAFF = 350
MEMORY = 0.7     # the model's defaults (sim/model/MODEL.md 1.3)
KAPPA = 1.0
DROPOUT = {"web": 0.2, "call": 0.1, "buy": 0.0}
DURATION = {"web": 0.1, "call": 0.1}   # exponential means, hours
BUY_HOURS = 0.05


def logit(p):
    return math.log(p / (1.0 - p))


class Tally:
    def __init__(self):
        self.visits = 0
        self.agents = 0
        self.conversions = 0
        self.abandoned = 0
        self.revenue = 0.0
        self.promoters = 0


def journey(env, staff, rng, tally):
    tally.agents += 1
    emotion = 0.0
    peak = 0.0
    steps = 0

    def visit(v, wait_hours):
        nonlocal emotion, peak, steps
        steps += 1
        tally.visits += 1
        emotion = max(-1.0, min(1.0, MEMORY * emotion + (0.0 - 0.0 * wait_hours)))
        if steps == 1 or abs(emotion) > abs(peak):
            peak = emotion
        p = DROPOUT[v]
        return p > 0.0 and rng.random() < 1.0 / (1.0 + math.exp(-(logit(p) - KAPPA * emotion)))

    yield env.timeout(rng.expovariate(1.0 / DURATION["web"]))
    dropped = visit("web", 0.0)
    if not dropped:
        arrived = env.now
        patience = rng.expovariate(1.0 / 0.5)
        with staff.request() as request:
            taken = yield request | env.timeout(patience)
            if request not in taken:
                tally.abandoned += 1
                dropped = True
            else:
                yield env.timeout(rng.expovariate(1.0 / DURATION["call"]))
                dropped = visit("call", env.now - arrived)
    if not dropped:
        yield env.timeout(BUY_HOURS)
        visit("buy", 0.0)
        tally.conversions += 1
        tally.revenue += 5.0
    likelihood = 5.0 * (0.5 * (peak + emotion) + 1.0)
    if likelihood >= 9.0:
        tally.promoters += 1


def arrivals(env, staff, rng, tally, hours):
    rate = ARRIVALS_PER_DAY / 24.0
    while True:
        gap = rng.expovariate(rate)
        if env.now + gap >= hours:
            return
        yield env.timeout(gap)
        env.process(journey(env, staff, rng, tally))


def one_run(days, seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    staff = simpy.Resource(env, capacity=STAFF)
    tally = Tally()
    env.process(arrivals(env, staff, rng, tally, days * 24.0))
    # CPU time of this process: visits per second per core, whatever else the machine runs.
    start = time.process_time()
    env.run()
    seconds = time.process_time() - start
    return tally, seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()
    runs = []
    for r in range(args.repetitions):
        tally, seconds = one_run(args.days, r + 1)
        runs.append({"cpu_seconds": seconds, "visits_per_second": tally.visits / seconds,
                     "agents_per_second": tally.agents / seconds, "visits": tally.visits,
                     "agents": tally.agents, "abandoned": tally.abandoned,
                     "conversions": tally.conversions})
    print(json.dumps({
        "peer": f"SimPy {simpy.__version__}",
        "days": args.days,
        "median_visits_per_second": statistics.median(r["visits_per_second"] for r in runs),
        "median_agents_per_second": statistics.median(r["agents_per_second"] for r in runs),
        "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
