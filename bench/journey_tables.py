"""A plain journey file read into flat tables for the benchmark's reference simulators.

The references (`retail_kernel.cc`, `retail_numpy.py`) are written apart from cjsim so that
they check it: this reader knows only the keys of sim/model/MODEL.md's tables 1.1 to 1.3 and
their defaults, and refuses what it does not know (a `base:` file, a calendar), naming it.
`python3 bench/journey_tables.py JOURNEY.yaml` prints the tables as the C++ kernel reads them.
"""
import math
import sys

import numpy as np
import yaml

FIXED, EXPONENTIAL, LOGNORMAL = 0, 1, 2


class JourneyError(Exception):
    pass


def _duration(path, touchpoint, value):
    """(kind, a, b): fixed hours a; exponential of mean a; lognormal exp(a + b z)."""
    if value is None:
        return FIXED, 0.0, 0.0
    if isinstance(value, (int, float)):
        return FIXED, float(value), 0.0
    if isinstance(value, dict) and set(value) == {"exponential"}:
        return EXPONENTIAL, float(value["exponential"]), 0.0
    if isinstance(value, dict) and set(value) == {"lognormal"}:
        spec = value["lognormal"]
        return LOGNORMAL, math.log(float(spec["median"])), float(spec.get("sigma", 0.0))
    raise JourneyError(f"{path}: touchpoint {touchpoint}: field duration: not understood: {value!r}")


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    for key in ("base", "calendar", "resources", "word_of_mouth", "returns"):
        if key in doc:
            raise JourneyError(f"{path}: field {key}: the reference simulators run plain journeys only")
    settings = doc.get("settings", {}) or {}
    touchpoints = doc["touchpoints"]
    index = {tp["id"]: i for i, tp in enumerate(touchpoints)}
    n = len(touchpoints)

    t = {
        "memory": float(settings.get("memory", 0.8)),
        "kappa": float(settings.get("kappa", 0.0)),
        "max_steps": int(settings.get("max_steps", 1000)),
        "horizon": float(settings.get("horizon_hours", math.inf)),
        "promoter_threshold": float(settings.get("promoter_threshold", 9.0)),
        "seed": int(settings.get("seed", 1)),
        "emotion_mean": np.zeros(n), "emotion_sd": np.zeros(n), "dropout": np.zeros(n),
        "duration_kind": np.zeros(n, dtype=np.int64), "duration_a": np.zeros(n),
        "duration_b": np.zeros(n), "conversion_value": np.zeros(n),
        "is_conversion": np.zeros(n, dtype=bool), "entry_weight": np.zeros(n),
    }
    channels = []
    for i, tp in enumerate(touchpoints):
        emotion = tp.get("emotion", {}) or {}
        t["emotion_mean"][i] = float(emotion.get("mean", 0.0))
        t["emotion_sd"][i] = float(emotion.get("sd", 0.0))
        t["dropout"][i] = float(tp.get("dropout", 0.0))
        kind, a, b = _duration(path, tp["id"], tp.get("duration"))
        t["duration_kind"][i], t["duration_a"][i], t["duration_b"][i] = kind, a, b
        if "conversion" in tp:
            t["is_conversion"][i] = True
            t["conversion_value"][i] = float(tp["conversion"]["value"])
        t["entry_weight"][i] = float(tp.get("entry_weight", 0.0))
        channels.append(tp["channel"])

    # Transitions grouped by source, in file order within a source (as the engine keeps them).
    transitions = doc.get("transitions", []) or []
    for tr in transitions:
        for end in ("from", "to"):
            if tr[end] not in index:
                raise JourneyError(f"{path}: transition {tr['from']} -> {tr['to']}: field {end}: no such touchpoint")
    ordered = sorted(transitions, key=lambda tr: index[tr["from"]])  # sorted() is stable
    t["transition_to"] = np.array([index[tr["to"]] for tr in ordered], dtype=np.int64)
    t["transition_weight"] = np.array([float(tr.get("weight", 1.0)) for tr in ordered])
    t["transition_bias"] = np.array([float(tr.get("emotion_bias", 0.0)) for tr in ordered])
    out_count = np.bincount([index[tr["from"]] for tr in ordered], minlength=n)
    t["out_begin"] = np.concatenate([[0], np.cumsum(out_count)]).astype(np.int64)

    personas = doc.get("personas") or [{"id": "everyone"}]
    m = len(personas)
    t.update({"share": np.zeros(m), "sensitivity": np.ones(m), "dropout_odds": np.ones(m),
              "initial_mean": np.zeros(m), "initial_sd": np.zeros(m),
              "value_multiplier": np.ones(m), "affinity": np.ones((m, n))})
    for p, persona in enumerate(personas):
        t["share"][p] = float(persona.get("share", 1.0))
        t["sensitivity"][p] = float(persona.get("sensitivity", 1.0))
        t["dropout_odds"][p] = float(persona.get("dropout_odds", 1.0))
        initial = persona.get("initial_emotion", {}) or {}
        t["initial_mean"][p] = float(initial.get("mean", 0.0))
        t["initial_sd"][p] = float(initial.get("sd", 0.0))
        t["value_multiplier"][p] = float(persona.get("value_multiplier", 1.0))
        affinity = persona.get("channel_affinity", {}) or {}
        t["affinity"][p] = [float(affinity.get(c, 1.0)) for c in channels]
    return t


def write_flat(t, out):
    """The tables as whitespace-separated numbers, in the order retail_kernel.cc reads them."""
    n, r, m = len(t["dropout"]), len(t["transition_to"]), len(t["share"])
    out.write("cjsim-journey-tables 1\n")
    out.write(f"{t['memory']!r} {t['kappa']!r} {t['max_steps']} {t['horizon']!r} "
              f"{t['promoter_threshold']!r}\n{n} {r} {m}\n")
    for v in range(n):
        out.write(" ".join(repr(float(x)) if not isinstance(x, int) else str(x) for x in (
            t["emotion_mean"][v], t["emotion_sd"][v], t["dropout"][v], int(t["duration_kind"][v]),
            t["duration_a"][v], t["duration_b"][v], t["conversion_value"][v],
            int(t["is_conversion"][v]), t["entry_weight"][v], int(t["out_begin"][v]),
            int(t["out_begin"][v + 1]))) + "\n")
    for e in range(r):
        out.write(f"{int(t['transition_to'][e])} {float(t['transition_weight'][e])!r} "
                  f"{float(t['transition_bias'][e])!r}\n")
    for p in range(m):
        out.write(" ".join(repr(float(x)) for x in (
            t["share"][p], t["sensitivity"][p], t["dropout_odds"][p], t["initial_mean"][p],
            t["initial_sd"][p], t["value_multiplier"][p])) + "\n")
        out.write(" ".join(repr(float(x)) for x in t["affinity"][p]) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: journey_tables.py JOURNEY.yaml")
    try:
        write_flat(load(sys.argv[1]), sys.stdout)
    except (JourneyError, OSError, KeyError) as error:
        sys.exit(f"journey_tables: {error}")
