"""The plain model (sim/model/MODEL.md, 1.4) in numpy, vectorised over agents: the second
reference that bench/run measures cjsim against, written for the benchmark and apart from the
engine. Agents walk together, one step at a time; those whose journey ended leave the arrays.
Counts agent-steps, conversions and promoters (customers whose likelihood to recommend reaches
the promoter threshold).

Usage: python3 bench/retail_numpy.py JOURNEY.yaml AGENTS [SEED]   (prints one JSON object)
"""
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import journey_tables  # noqa: E402

CHUNK = 1 << 20  # agents walked together: bounds the memory


def _pick(cumulative, target):
    """Per row, the first column whose running sum exceeds target (the last if none does)."""
    return np.minimum((cumulative <= target[:, None]).sum(axis=1), cumulative.shape[1] - 1)


def _tables(t):
    """Per-persona tables, padded transitions per touchpoint: what a step gathers from."""
    n, m = len(t["dropout"]), len(t["share"])
    out_begin = t["out_begin"]
    degree = np.diff(out_begin)
    width = max(1, int(degree.max()))
    slot = np.arange(width)
    edge = np.minimum(out_begin[:-1, None] + slot, max(0, len(t["transition_to"]) - 1))
    present = slot < degree[:, None]
    to = np.where(present, t["transition_to"][edge] if len(t["transition_to"]) else 0, 0)
    bias = np.where(present, t["transition_bias"][edge] if len(t["transition_to"]) else 0.0, 0.0)
    weight = np.zeros((m, n, width))
    for p in range(m):
        if len(t["transition_to"]):
            weight[p] = np.where(present, t["transition_weight"][edge] * t["affinity"][p][to], 0.0)
    with np.errstate(divide="ignore"):
        base = (np.log(t["dropout"]) - np.log1p(-t["dropout"]))[None, :] + np.log(t["dropout_odds"])[:, None]
    base = np.where(t["dropout"][None, :] <= 0, -np.inf, base)
    base = np.where(t["dropout_odds"][:, None] <= 0, -np.inf, base)
    base = np.where(t["dropout"][None, :] >= 1, np.inf, base)
    return {"to": to, "bias": bias, "weight": weight, "base": base, "terminal": degree == 0,
            "entry": np.cumsum(t["entry_weight"][None, :] * t["affinity"], axis=1),
            "share": np.cumsum(t["share"])}


def simulate(t, agents, seed):
    rng = np.random.default_rng(seed)
    x = _tables(t)
    steps = conversions = promoters = 0
    for first in range(0, agents, CHUNK):
        n = min(CHUNK, agents - first)
        p = _pick(np.broadcast_to(x["share"], (n, len(x["share"]))), rng.random(n) * x["share"][-1])
        e = t["initial_mean"][p] + t["initial_sd"][p] * rng.standard_normal(n)
        entry = x["entry"][p]
        v = _pick(entry, rng.random(n) * entry[:, -1])
        clock = np.zeros(n)
        peak = np.zeros(n)
        converted = np.zeros(n, dtype=bool)
        step = 0
        while v.size:
            step += 1
            size = v.size
            steps += size
            e = np.clip(t["memory"] * e + t["sensitivity"][p]
                        * (t["emotion_mean"][v] + t["emotion_sd"][v] * rng.standard_normal(size)), -1.0, 1.0)
            peak = e if step == 1 else np.where(np.abs(e) > np.abs(peak), e, peak)
            kind = t["duration_kind"][v]
            a, b = t["duration_a"][v], t["duration_b"][v]
            clock = clock + np.where(kind == journey_tables.FIXED, a,
                                     np.where(kind == journey_tables.EXPONENTIAL,
                                              a * rng.standard_exponential(size),
                                              np.exp(a + b * rng.standard_normal(size))))
            censored = clock > t["horizon"]
            converted = converted | (t["is_conversion"][v] & ~censored)
            terminal = x["terminal"][v]
            with np.errstate(over="ignore"):
                q = 1.0 / (1.0 + np.exp(-(x["base"][p, v] - t["kappa"] * e)))
            dropped = rng.random(size) < q
            bias = x["bias"][v]
            shifted = bias * e[:, None]
            weight = x["weight"][p, v] * np.exp(shifted - shifted.max(axis=1, keepdims=True))
            cumulative = np.cumsum(weight, axis=1)
            choice = _pick(cumulative, rng.random(size) * cumulative[:, -1])
            ended = censored | terminal | dropped | (step >= t["max_steps"])
            if ended.any():
                customers = converted & ended
                conversions += int(customers.sum())
                score = 5.0 * ((peak + e) / 2.0 + 1.0)
                promoters += int((customers & (score >= t["promoter_threshold"])).sum())
            going = ~ended
            v = x["to"][v[going], choice[going]]
            p, e, peak, clock, converted = p[going], e[going], peak[going], clock[going], converted[going]
    return {"agents": agents, "steps": steps, "conversions": conversions, "promoters": promoters}


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: retail_numpy.py JOURNEY.yaml AGENTS [SEED]")
    start = time.perf_counter()
    try:
        tables = journey_tables.load(sys.argv[1])
    except (journey_tables.JourneyError, OSError, KeyError) as error:
        sys.exit(f"retail_numpy: {error}")
    result = simulate(tables, int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    result["seconds"] = time.perf_counter() - start
    result["agent_steps_per_second"] = result["steps"] / result["seconds"]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
