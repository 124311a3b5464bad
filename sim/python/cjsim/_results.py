"""Results as Python objects: the headline figures as attributes and every table as a tidy
pandas DataFrame, labelled by names, with units in ``df.attrs["units"]``.

The numbers are the ones the compiled module hands over, which are the values of the JSON the
command line prints (``cjsim run --json``, ``cjsim compare --json``), double for double.
"""
from __future__ import annotations

import math
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

import pandas as pd

from . import _cjsim

# The table of reported figures (sim/engine/figures.h): name, label, unit, which way is better,
# what each is a share or mean over, and where it is reported; one row per figure.
FIGURES = pd.DataFrame(_cjsim.figures()).set_index("name", drop=False)
FIGURES.index.name = None

# The headline figures (overall and per persona), in the order every report lists them.
HEADLINE_FIGURES = tuple(f for f, where in zip(FIGURES["name"], FIGURES["reported_in"])
                         if "overall" in where)


def _unit_words(unit: str, over: str) -> str:
    """A figure's unit for people, from its kind in the table."""
    words = {
        "share": f"share of {over} (0 to 1)",
        "money": "money (the journey's currency)",
        "hours": "hours",
        "nps_points": "NPS points (-100 to 100)",
        "score": "score (0 to 10)",
        "emotion": "emotion (-1 to 1)",
        "count": "count per agent",
    }[unit]
    return words + (", among customers" if over == "customers" and unit != "share" else "")


# The unit of every figure (from the table) and of the counts beside them.
UNITS: Dict[str, str] = {
    **{f: _unit_words(u, o) for f, u, o in zip(FIGURES["name"], FIGURES["unit"], FIGURES["over"])},
    "share": "share of agents (0 to 1)",
    "agents": "agents", "steps": "touchpoint visits", "conversions": "conversions",
    "promoters": "customers", "detractors": "customers", "reach": "agents", "visits": "visits",
    "dropouts": "dropouts", "completions": "visits", "count": "moves",
    "gave_up": "agents", "left_after_converting": "customers",
    "dropouts_before_converting": "dropouts", "dropouts_after_converting": "dropouts",
}

# Figures reported with an interval, and the order of the tables' columns.
_ESTIMATES = set(FIGURES["name"])
_COUNTS = ("agents", "steps", "conversions", "promoters", "detractors", "gave_up",
           "left_after_converting")
# A dropout is split into giving up before converting and leaving after converting.
_TOUCHPOINT_ORDER = ("visits", "dropouts", "dropouts_before_converting",
                     "dropouts_after_converting", "completions", "conversions", "visits_per_agent",
                     "dropout_rate", "dropout_before_converting_rate",
                     "dropout_after_converting_rate", "mean_emotion")
_STAGE_ORDER = ("reach", "visits", "dropouts", "dropouts_before_converting",
                "dropouts_after_converting", "reach_rate", "dropout_rate",
                "dropout_before_converting_rate", "dropout_after_converting_rate", "mean_emotion")


class Estimate(NamedTuple):
    """A figure with its 95% confidence interval; NaN throughout when undefined."""

    value: float
    low: float
    high: float

    def __repr__(self) -> str:
        return f"Estimate(value={self.value!r}, low={self.low!r}, high={self.high!r})"


def _number(x: Any) -> float:
    """JSON null (an undefined figure) as NaN, anything else unchanged."""
    return math.nan if x is None else x


def _estimate(row: Dict[str, Any], key: str) -> Estimate:
    low, high = row[key + "_ci"]
    return Estimate(_number(row[key]), _number(low), _number(high))


def _frame(rows: List[Dict[str, Any]], labels: List[str], rename: Optional[Dict[str, str]] = None,
           index: Optional[str] = None, order: Tuple[str, ...] = ()) -> pd.DataFrame:
    """A tidy table from JSON rows: each figure K with its interval K_ci becomes the columns K,
    K_low and K_high (and with draws of uncertain inputs its range over the draws
    K_uncertainty, K_uncertainty_low and K_uncertainty_high); other numbers and labels stay as
    they are; nested lists are left out. Columns come in the order `labels`, `order` (each
    figure with its interval), then the rest.
    """
    rename = rename or {}
    records = []
    for row in rows:
        record: Dict[str, Any] = {}
        for key, value in row.items():
            if key.endswith(_DRAWN) and isinstance(value, list) and len(value) == 2:
                name = rename.get(key[: -len(_DRAWN)], key[: -len(_DRAWN)])
                record[name + _DRAWN + "_low"] = _number(value[0])
                record[name + _DRAWN + "_high"] = _number(value[1])
                continue
            if key.endswith("_ci") or isinstance(value, (list, dict)):
                continue
            name = rename.get(key, key)
            if key + "_ci" in row:
                estimate = _estimate(row, key)
                record[name], record[name + "_low"], record[name + "_high"] = estimate
            else:
                record[name] = value
        records.append(record)
    columns = [rename.get(k, k) for k in labels]
    for name in order:
        columns += [name, name + "_low", name + "_high"] if name in _ESTIMATES else [name]
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        frame = pd.DataFrame(columns=columns)
    columns = [c for c in columns if c in frame.columns]
    frame = frame[columns + [c for c in frame.columns if c not in columns]]
    _set_units(frame)
    if index is not None:
        frame = frame.set_index(index, drop=False)
        frame.index.name = None
    return frame


# The suffix of a figure's range over the draws of uncertain inputs in the JSON.
_DRAWN = "_uncertainty"
# The suffixes of a figure's other columns, longest first.
_SUFFIXES = (_DRAWN + "_low", _DRAWN + "_high", "_low", "_high", "_unpaired_half_width")


def _unit_of(column: str) -> Optional[str]:
    for suffix in _SUFFIXES:
        if column.endswith(suffix) and column[: -len(suffix)] in UNITS:
            return UNITS[column[: -len(suffix)]]
    return UNITS.get(column)


def _set_units(frame: pd.DataFrame) -> None:
    frame.attrs["units"] = {c: _unit_of(c) for c in frame.columns if _unit_of(c) is not None}


def _headline_row(d: Dict[str, Any]) -> Dict[str, Any]:
    """The headline figures and counts of a run or a persona, without its tables."""
    return {k: v for k, v in d.items() if not isinstance(v, list) or k.endswith("_ci")}


class Result:
    """One journey's simulated figures: what ``cjsim run`` prints and stores.

    The headline figures are attributes (``result.conversion_rate.value``, ``.low``,
    ``.high``), and the tables DataFrames: ``touchpoints``, ``stages``, ``transitions``,
    ``personas`` (one row per persona), ``persona_stages`` and ``persona_touchpoints`` (one row
    per persona and stage or touchpoint) and ``figures`` (the headline figures, one row each,
    with their labels and units).
    ``data`` holds everything as ``cjsim run --json`` prints it.
    """

    conversion_rate: Estimate
    revenue_per_agent: Estimate
    cost_per_agent: Estimate
    margin_per_agent: Estimate
    hours_to_convert: Estimate
    journey_hours: Estimate
    steps_per_agent: Estimate
    nps: Estimate
    likelihood_to_recommend: Estimate
    peak_end: Estimate
    gave_up_rate: Estimate
    left_after_converting_rate: Estimate

    def __init__(self, data: Dict[str, Any]):
        self.data = data
        self.scenario: str = data["scenario"]
        self.agents_per_replication: int = data["agents_per_replication"]
        self.replications: int = data["replications"]
        self.interval_method: str = data["interval_method"]
        self.seconds: float = data["seconds"]
        self.metadata: Dict[str, Any] = data.get("metadata", {})
        self.seed: Optional[int] = self.metadata.get("seed")
        self.path: Optional[str] = data.get("path", self.metadata.get("path"))
        self.label: str = data.get("label", self.scenario)
        self.notes: List[str] = data.get("notes", [])
        # `gave_up` and `left_after_converting` split the journeys that ended dropped; None
        # for results stored by a cjsim that did not count them.
        self.counts: Dict[str, Any] = {k: data.get(k) for k in (
            "agents", "steps", "conversions", "promoters", "detractors", "ended", "gave_up",
            "left_after_converting")}
        for name in HEADLINE_FIGURES:
            setattr(self, name, _estimate(data, name))

        self.figures = pd.DataFrame(
            [(name, FIGURES.at[name, "label"], *getattr(self, name), UNITS[name])
             for name in HEADLINE_FIGURES],
            columns=["figure", "label", "value", "low", "high", "unit"]).set_index(
                "figure", drop=False)
        self.figures.index.name = None
        self.touchpoints = _frame(data["touchpoints"], ["id", "name", "stage", "channel"],
                                  index="id", order=_TOUCHPOINT_ORDER)
        self.stages = _frame(data["stages"], ["name"], rename={"name": "stage"}, index="stage",
                             order=_STAGE_ORDER)
        self.transitions = _frame(data["transitions"], ["from", "to"],
                                  order=("count", "per_agent"))
        self.personas = _frame([_headline_row(p) for p in data["personas"]], ["id", "share"],
                               rename={"id": "persona"}, index="persona",
                               order=_COUNTS + HEADLINE_FIGURES)
        self.persona_stages = _frame(
            [dict(persona=p["id"], **s) for p in data["personas"] for s in p["stages"]],
            ["persona", "name"], rename={"name": "stage"}, order=_STAGE_ORDER)
        self.persona_touchpoints = _frame(
            [dict(persona=p["id"], **t) for p in data["personas"] for t in p["touchpoints"]],
            ["persona", "id", "name", "stage", "channel"], order=_TOUCHPOINT_ORDER)
        # With draws of uncertain inputs (run or compare with draws=K): each headline figure's
        # range over the draws beside its interval of simulation noise; a run's inputs ranked
        # (a comparison ranks them on its own).
        if "conversion_rate_uncertainty" in data:
            ranges = [data.get(name + "_uncertainty") or [None, None] for name in HEADLINE_FIGURES]
            self.figures["uncertainty_low"] = [_number(r[0]) for r in ranges]
            self.figures["uncertainty_high"] = [_number(r[1]) for r in ranges]
        self.uncertainty: Optional[Dict[str, Any]] = data.get("uncertainty")
        self.sensitivity: Optional[pd.DataFrame] = (
            None if self.uncertainty is None else _sensitivity_frame(self.uncertainty))

    def __repr__(self) -> str:
        c = self.conversion_rate
        return (f"<cjsim.Result '{self.scenario}': {self.agents_per_replication} agents x "
                f"{self.replications}, conversion {c.value:.4f} [{c.low:.4f}, {c.high:.4f}]>")


def _sensitivity_frame(uncertainty: Dict[str, Any]) -> pd.DataFrame:
    """The sensitivity ranking of a run or comparison with draws, one row per ranked figure
    (a future state's gain, or the run's figure) and input, largest first-order index first;
    total indices are NaN unless total effects were estimated."""
    rows = []
    for s in uncertainty["sensitivity"]:
        for rank, r in enumerate(s["ranked"], start=1):
            rows.append({"figure": s["figure"], "scenario": s.get("scenario"), "rank": rank,
                         "input": r["input"], "distribution": r["distribution"],
                         "first_order": _number(r["first_order"]),
                         "first_order_error": _number(r["first_order_error"]),
                         "total": _number(r.get("total")),
                         "total_error": _number(r.get("total_error"))})
    return pd.DataFrame(rows, columns=["figure", "scenario", "rank", "input", "distribution",
                                       "first_order", "first_order_error", "total",
                                       "total_error"])


def _future_states_frame(uncertainty: Dict[str, Any]) -> pd.DataFrame:
    """Per future state of a comparison with draws: its expected gain in the ranked figure, the
    gain's range over the draws, and the probability that it beats each state."""
    states = []
    for f in uncertainty["future_states"]:
        row = {"scenario": f["scenario"], "metric": f["metric"],
               "expected_gain": _number(f["expected_gain"]),
               "uncertainty_low": _number(f["gain_uncertainty"][0]),
               "uncertainty_high": _number(f["gain_uncertainty"][1]),
               "probability_beats_current": _number(f["probability_beats_current"])}
        for label, p in f["probability_beats"].items():
            row["beats " + label] = _number(p)
        states.append(row)
    return pd.DataFrame(states)


class Comparison:
    """A current state and future states run on the same agents (``cjsim compare``).

    ``differences`` holds every figure's paired difference (future minus current) with its 95%
    interval (``difference_low``, ``difference_high``), one row per future state, figure and
    scope ("overall", "stage:NAME", "touchpoint:ID", "persona:ID"); ``results`` each state's
    Result, the current state first; ``ranking`` the future states best first by ``rank_by``.
    ``data`` holds everything as ``cjsim compare --json`` prints it.
    """

    def __init__(self, data: Dict[str, Any]):
        self.data = data
        self.method: str = data["method"]
        self.seed: int = data["seed"]
        self.agents: int = data["agents"]
        self.replications: int = data["replications"]
        self.seconds: float = data["seconds"]
        self.rank_by: str = data["rank_by"]
        self.ranking: List[str] = data["ranking"]
        self.results: List[Result] = [Result(s) for s in data["scenarios"]]
        self.labels: List[str] = [r.label for r in self.results]
        rows = []
        for d in data["differences"]:
            low, high = d["ci"]
            rows.append({
                "scenario": d["scenario"], "scenario_index": d["scenario_index"],
                "metric": d["metric"], "scope": d["scope"],
                "current": _number(d["current"]), "future": _number(d["future"]),
                "difference": _number(d["difference"]),
                "difference_low": _number(low), "difference_high": _number(high),
                "significant": d["significant"],
                "paired_half_width": _number(d["paired_half_width"]),
                "independent_half_width": _number(d["independent_half_width"]),
                "unit": UNITS.get(d["metric"], ""), "note": d.get("note", ""),
            })
        columns = ["scenario", "scenario_index", "metric", "scope", "current", "future",
                   "difference", "difference_low", "difference_high", "significant",
                   "paired_half_width", "independent_half_width", "unit", "note"]
        # Rows differ in unit: the `unit` column gives each row's (current, future, difference).
        self.differences = pd.DataFrame(rows, columns=columns)
        # With draws of uncertain inputs (compare(..., draws=K)): per difference its expected
        # value and interval over the draws and the probability it is an improvement; per future
        # state its gain and odds of beating each state; the inputs ranked.
        self.uncertainty: Optional[Dict[str, Any]] = data.get("uncertainty")
        self.future_states: Optional[pd.DataFrame] = None
        self.sensitivity: Optional[pd.DataFrame] = None
        if self.uncertainty is not None:
            listed = data["differences"]
            self.differences["expected"] = [_number(d.get("expected")) for d in listed]
            self.differences["uncertainty_low"] = [
                _number((d.get("uncertainty") or [None, None])[0]) for d in listed]
            self.differences["uncertainty_high"] = [
                _number((d.get("uncertainty") or [None, None])[1]) for d in listed]
            self.differences["probability_better"] = [
                _number(d.get("probability_better")) for d in listed]
            self.future_states = _future_states_frame(self.uncertainty)
            self.sensitivity = _sensitivity_frame(self.uncertainty)

    @property
    def current(self) -> Result:
        """The current state's Result."""
        return self.results[0]

    @property
    def futures(self) -> List[Result]:
        """The future states' Results, in the order given."""
        return self.results[1:]

    def __repr__(self) -> str:
        return f"<cjsim.Comparison of {self.labels}, ranked by {self.rank_by}: {self.ranking}>"


# The units of a calendar run's tables (sim/engine/calendar_figures.h): the figures they add to
# the plain ones, each mean per replication.
CALENDAR_UNITS: Dict[str, str] = {
    "arrivals_organic": "agents per day", "arrivals_referred": "agents per day",
    "arrivals_returning": "journeys per day", "deterred": "prospects",
    "conversions": "conversions", "repeat_purchases": "conversions",
    "revenue": "money (the journey's currency)", "abandoned": "journeys",
    "mean_wait_hours": "hours", "p90_wait_hours": "hours", "nps": "NPS points (-100 to 100)",
    "utilisation": "share of server-hours (0 to 1)", "mean_queue": "agents waiting",
    "abandonment_rate": "share of waits (0 to 1)", "staff_cost": "money (the journey's currency)",
    "server_hours": "hours", "served": "waits", "arrivals": "agents", "day": "days",
    "hour": "hours from day 0",
}


# The units of a calendar sweep's tables: the calendar's, and the run's counts and figures.
SWEEP_CALENDAR_UNITS: Dict[str, str] = {
    **CALENDAR_UNITS,
    "journeys": "journeys", "organic_agents": "agents", "referred_agents": "agents",
    "customers": "agents", "organic_agents_per_day": "agents per day",
    "referred_per_organic": "agents per organic agent",
    "journeys_per_customer": "journeys per customer",
    "lifetime_value": "money (the journey's currency) per customer",
}


def _calendar_frame(rows: List[Dict[str, Any]], labels: List[str],
                    table_units: Optional[Dict[str, str]] = None) -> pd.DataFrame:
    table_units = CALENDAR_UNITS if table_units is None else table_units
    frame = _frame(rows, labels)
    units = {}
    for column in frame.columns:
        base = column
        for suffix in _SUFFIXES:
            if column.endswith(suffix):
                base = column[: -len(suffix)]
                break
        if base in table_units:
            units[column] = table_units[base]
    frame.attrs["units"] = units
    return frame


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _hour_of_week_frame(rows: List[Dict[str, Any]]) -> pd.DataFrame:
    """`hour_of_week` of `run --json` (168 values per persona and touchpoint, Monday 00:00
    first) as the tidy table the HDF5 file stores: the hours with a visit."""
    tidy = []
    for row in rows:
        for h, visits in enumerate(row["visits"]):
            if visits:
                tidy.append({"persona": row["persona"], "touchpoint": row["touchpoint"],
                             "weekday": WEEKDAYS[h // 24], "hour": h % 24, "visits": visits,
                             "mean_emotion": _number(row["mean_emotion"][h])})
    frame = pd.DataFrame(tidy, columns=["persona", "touchpoint", "weekday", "hour", "visits",
                                        "mean_emotion"])
    frame.attrs["units"] = {"hour": "hours", "visits": "count", "mean_emotion": "emotion"}
    return frame


class CalendarResult:
    """A calendar journey's run (``cjsim run`` on a journey with a calendar).

    ``days`` (and ``hours`` for runs of a few days) holds the time series: arrivals by source,
    deterred prospects, conversions, repeat purchases, revenue, abandonments, mean wait and NPS
    per day; ``resources`` each resource's utilisation, mean and 90th-percentile wait, queue
    length, abandonment and staff cost; ``resource_days`` the same per resource and day (queue
    length over time); ``hour_of_week`` a day in the life over every agent, one row per
    persona, touchpoint, weekday and hour of the day with a visit (``visits`` that started then,
    summed over replications, and the ``mean_emotion`` they left). Each figure comes with K_low
    and K_high, units in ``df.attrs["units"]``.
    ``lifetime_value``, ``journeys_per_customer``, ``staff_cost`` are Estimates; ``data`` holds
    everything as ``cjsim run --json`` prints it.
    """

    def __init__(self, data: Dict[str, Any]):
        self.data = data
        self.name: str = data.get("name", data.get("scenario", ""))
        self.metadata: Dict[str, Any] = data.get("metadata", {})
        self.days_run: int = data["run_days"]
        self.warmup_days: int = data["warmup_days"]
        for key in ("organic_agents", "referred_agents", "journeys", "returning_journeys",
                    "deterred", "referrals_made", "customers"):
            setattr(self, key, data[key])
        for key in ("organic_agents_per_day", "referred_per_organic", "journeys_per_customer",
                    "lifetime_value", "staff_cost"):
            setattr(self, key, _estimate(data, key))
        self.days = _calendar_frame(data["days"], ["day"])
        self.hours = _calendar_frame(data.get("hours", []), ["day", "hour"])
        self.resources = _calendar_frame(data["resources"], ["id", "lane"])
        self.resource_days = _calendar_frame(
            [dict(day, resource=r["id"]) for r in data["resources"] for day in r["days"]],
            ["resource", "day"])
        self.hour_of_week = _hour_of_week_frame(data.get("hour_of_week", []))
        self.result = Result({"seconds": math.nan, **data})  # a comparison's states have none
        # With draws of uncertain inputs (run or compare with draws=K): every table's figures
        # have their range over the draws (K_uncertainty_low, K_uncertainty_high), the headline
        # ones in result.figures; a run's inputs ranked (a comparison ranks them on its own).
        self.uncertainty: Optional[Dict[str, Any]] = data.get("uncertainty")
        self.sensitivity: Optional[pd.DataFrame] = (
            None if self.uncertainty is None else _sensitivity_frame(self.uncertainty))

    def __repr__(self) -> str:
        return (f"<cjsim.CalendarResult {self.name!r}: {self.days_run} days, "
                f"{self.journeys} journeys>")


class CalendarComparison:
    """Calendar journeys compared (``cjsim compare``): ``differences`` has one row per future
    state, figure and resource (empty for the run's figures) with current, future, difference
    and its interval paired by replication; ``results`` each state's CalendarResult."""

    def __init__(self, data: Dict[str, Any]):
        self.data = data
        self.results: List[CalendarResult] = [CalendarResult(s) for s in data["scenarios"]]
        rows = []
        for block in data["differences"]:
            for d in block["figures"]:
                low, high = d["difference_ci"]
                rows.append({
                    "future": block["future"], "figure": d["figure"],
                    "resource": d["resource"] or "",
                    "current": _number(d["current"]), "future_value": _number(d["future"]),
                    "difference": _number(d["difference"]),
                    "difference_low": _number(low), "difference_high": _number(high),
                    "significant": d["significant"],
                    "paired_half_width": _number(d["paired_half_width"]),
                    "independent_half_width": _number(d["independent_half_width"]),
                    "unit": CALENDAR_UNITS.get(d["figure"], UNITS.get(d["figure"], "")),
                })
                if "probability_better" in d:  # with draws of uncertain inputs
                    rows[-1].update({
                        "expected": _number(d["expected"]),
                        "uncertainty_low": _number(d["uncertainty"][0]),
                        "uncertainty_high": _number(d["uncertainty"][1]),
                        "probability_better": _number(d["probability_better"])})
        self.differences = pd.DataFrame(rows)
        # With draws (compare(..., draws=K)): per difference its expected value, range over the
        # draws and probability of being better; per future state its gain in the ranked figure
        # and odds of beating each state; the inputs ranked.
        self.uncertainty: Optional[Dict[str, Any]] = data.get("uncertainty")
        self.future_states: Optional[pd.DataFrame] = None
        self.sensitivity: Optional[pd.DataFrame] = None
        if self.uncertainty is not None:
            self.future_states = _future_states_frame(self.uncertainty)
            self.sensitivity = _sensitivity_frame(self.uncertainty)

    def __repr__(self) -> str:
        return f"<cjsim.CalendarComparison of {[r.name for r in self.results]}>"


class SweepResult:
    """A sweep file (``cjsim sweep``): its design points and which parameter matters.

    ``points`` has one row per design point: its base scenario, one column per parameter (the
    parameter's path), and every headline figure with its 95% interval (K, K_low, K_high).
    A sweep of calendar journeys also has ``calendar_points`` (per point: journeys, agents,
    abandoned, staff cost, lifetime value, ... each with K_low and K_high) and
    ``calendar_resources`` (per point and resource ``id``: utilisation, mean and p90 wait,
    abandonment, staff cost), units in ``df.attrs["units"]``; ``None`` otherwise.
    ``sensitivity`` ranks the parameters for every headline figure (column ``metric``) and base
    scenario: main effects for grids, standardised regression coefficients otherwise
    (``method``; ``r_squared`` for regressions); ``swing`` is the change from the parameter's
    lowest to its highest value, with its 95% interval from the replications (``swing_low``,
    ``swing_high``; NaN with one replication) and ``beyond_noise`` whether it excludes 0.
    ``differences`` has one row per design point: every headline figure minus the reference
    point's (``reference``), paired on the same agents, with its 95% interval (Student t across
    the replications) and ``K_unpaired_half_width``, what the interval would be unpaired.
    """

    def __init__(self, data: Dict[str, Any]):
        self.data = data
        self.path: str = data["path"]
        self.experiment_name: str = data["experiment_name"]
        self.experiment_path: str = data["experiment_path"]
        self.design: str = data["design"]
        self.metric: str = data["metric"]
        self.agents: int = data["agents"]
        self.replications: int = data["replications"]
        self.seed: int = data["seed"]
        # Calendar sweeps: the days every point ran (None: each its calendar.days), the warm-up.
        self.days: Optional[int] = data.get("days")
        self.warmup_days: Optional[int] = data.get("warmup_days")
        self.parameters: List[str] = data["parameters"]
        self.scenarios: List[str] = data["scenarios"]

        records = []
        for k, (scenario, values, figures) in enumerate(
                zip(data["scenario_of_point"], data["values"], data["figures"])):
            record: Dict[str, Any] = {"point": k, "scenario": self.scenarios[scenario]}
            record.update(zip(self.parameters, values))
            for name in HEADLINE_FIGURES:
                e = figures[name]
                record[name], record[name + "_low"], record[name + "_high"] = (
                    e["value"], e["low"], e["high"])
            records.append(record)
        columns = ["point", "scenario", *self.parameters] + [
            c for name in HEADLINE_FIGURES for c in (name, name + "_low", name + "_high")]
        self.points = pd.DataFrame(records, columns=columns).set_index("point", drop=False)
        self.points.index.name = None
        _set_units(self.points)

        self.reference: int = data["reference"]["point"]
        self.reference_why: str = data["reference"]["why"]
        records = []
        for k, (scenario, values, figures) in enumerate(
                zip(data["scenario_of_point"], data["values"], data["differences"])):
            record = {"point": k, "scenario": self.scenarios[scenario]}
            record.update(zip(self.parameters, values))
            for name in HEADLINE_FIGURES:
                e = figures[name]
                record[name], record[name + "_low"], record[name + "_high"] = (
                    e["value"], e["low"], e["high"])
                record[name + "_unpaired_half_width"] = e["unpaired_half_width"]
            records.append(record)
        columns = ["point", "scenario", *self.parameters] + [
            c for name in HEADLINE_FIGURES
            for c in (name, name + "_low", name + "_high", name + "_unpaired_half_width")]
        self.differences = pd.DataFrame(records, columns=columns).set_index("point", drop=False)
        self.differences.index.name = None
        _set_units(self.differences)
        self.differences.attrs.update(reference=self.reference, reference_why=self.reference_why)

        rows = []
        for s in data["sensitivity"]:
            base = {"metric": s["metric"], "scenario": s["scenario"], "method": s["method"],
                    "r_squared": s["r_squared"] if s["method"] != "main_effect" else math.nan,
                    "points": s["points"], "note": s["note"]}
            if not s["ranked"]:
                rows.append({**base, "rank": 0, "parameter": None, "importance": math.nan,
                             "swing": math.nan})
            for rank, p in enumerate(s["ranked"], start=1):
                rows.append({**base, "rank": rank, **p})
        self.sensitivity = pd.DataFrame(rows, columns=[
            "metric", "scenario", "rank", "parameter", "importance", "swing", "swing_low",
            "swing_high", "coefficient", "coefficient_low", "coefficient_high", "beyond_noise",
            "method", "r_squared", "points", "note"])

        # A sweep of calendar journeys: the run's calendar figures per point, and each
        # resource's per point (None for plain journeys).
        self.calendar_points: Optional[pd.DataFrame] = None
        self.calendar_resources: Optional[pd.DataFrame] = None
        if data.get("calendar") is not None:
            labels = ["point", "scenario", *self.parameters]
            bases = [{"point": k, "scenario": self.scenarios[scenario],
                      **dict(zip(self.parameters, values))}
                     for k, (scenario, values) in enumerate(
                         zip(data["scenario_of_point"], data["values"]))]
            points = [{**bases[k], **c} for k, c in enumerate(data["calendar"])]
            self.calendar_points = _calendar_frame(points, labels, SWEEP_CALENDAR_UNITS)
            resources = [{**bases[k], **r} for k, c in enumerate(data["calendar"])
                         for r in c["resources"]]
            self.calendar_resources = _calendar_frame(resources, [*labels, "id", "lane"],
                                                      SWEEP_CALENDAR_UNITS)

    def __repr__(self) -> str:
        return (f"<cjsim.SweepResult '{self.experiment_name}': {len(self.points)} points "
                f"({self.design}) over {self.parameters}>")


class FitResult:
    """A journey learnt from observed data, or a skeleton calibrated to a funnel (``cjsim fit``).

    ``journey`` is the fitted journey (run, compare or sweep it), ``yaml`` its text as
    ``cjsim fit -o`` writes it (``save(path)`` writes it), ``notes`` what the fit chose.
    For observed paths, ``report`` is what ``cjsim fit --json`` prints (closed forms, goodness
    of fit on the fitted and held-out shares, fitted parameters) and ``parameters`` the fitted
    parameters as a DataFrame (empty without an emotion fit); for a funnel, ``calibration``.
    With ``calendar=True``, ``arrivals`` is a DataFrame of the fitted arrivals by weekday
    (days, arrivals, factor) and ``hours`` by hour of day (arrivals, factor); ``attrs`` hold
    the arrivals per day with its interval and the weekday-by-hour test (else both are None).
    When the data also have lifecycle transitions, ``queues`` is a DataFrame of the queues
    learnt, one row per queued touchpoint (the report's ``queues``: waits, abandonment,
    patience with its interval, service, capacity; ``busy`` and ``servers`` by hour of the
    week as lists), else None.
    """

    def __init__(self, data: Dict[str, Any]):
        self.journey = data["journey"]
        self.yaml: str = data["yaml"]
        self.notes: List[str] = data["notes"]
        self.report: Optional[Dict[str, Any]] = data["report"]
        self.calibration: Optional[Dict[str, Any]] = data["calibration"]
        emotion = (self.report or {}).get("emotion_fit") or {}
        self.parameters = pd.DataFrame(emotion.get("parameters", []))
        if not self.parameters.empty:
            self.parameters = self.parameters.set_index("name", drop=False)
            self.parameters.index.name = None
        self.arrivals: Optional[pd.DataFrame] = None
        self.hours: Optional[pd.DataFrame] = None
        arrivals = (self.report or {}).get("arrivals")
        if arrivals is not None:
            weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                        "sunday"]
            self.arrivals = pd.DataFrame({"days": arrivals["weekday_days"],
                                          "arrivals": arrivals["weekday_arrivals"],
                                          "factor": arrivals["weekday_profile"]},
                                         index=pd.Index(weekdays, name="weekday"))
            self.hours = pd.DataFrame({"arrivals": arrivals["hour_arrivals"],
                                       "factor": arrivals["hour_profile"]},
                                      index=pd.RangeIndex(24, name="hour"))
            summary = {k: v for k, v in arrivals.items()
                       if not k.startswith(("weekday_", "hour_"))}
            self.arrivals.attrs.update(summary)
            self.hours.attrs.update(summary)
        self.queues: Optional[pd.DataFrame] = None
        queues = (self.report or {}).get("queues")
        if queues:
            self.queues = pd.DataFrame(queues).set_index("touchpoint", drop=False)
            self.queues.index.name = None

    def save(self, path: Any) -> None:
        """Writes the fitted journey's YAML to `path` (an ordinary journey file)."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.yaml)

    def __repr__(self) -> str:
        kind = "calibration" if self.calibration is not None else "fit"
        return f"<cjsim.FitResult ({kind}): {self.journey!r}>"


def attribution_frame(data: Dict[str, Any]) -> pd.DataFrame:
    """``cjsim attribute --json`` as a DataFrame: one row per channel (or touchpoint), one
    column per figure; ``attrs`` holds the source, level, totals and notes."""
    level = data["level"]
    rows = [{(level if k == "channel" else k): v for k, v in row.items()}
            for row in data["channels"]]
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame = frame.set_index(level)
    frame.attrs.update(source=data["source"], level=level, totals=data["totals"],
                       notes=data.get("notes", []))
    return frame


def design_frame(data: Dict[str, Any]) -> pd.DataFrame:
    """A sweep's design (``cjsim sweep --list-points``) as a DataFrame: one row per design point,
    its base scenario and one column per parameter; ``attrs`` holds the experiment's name,
    design, agents, replications and seed."""
    records = []
    for k, (scenario, values) in enumerate(zip(data["scenario_of_point"], data["values"])):
        record: Dict[str, Any] = {"point": k, "scenario": data["scenarios"][scenario]}
        record.update(zip(data["parameters"], values))
        records.append(record)
    frame = pd.DataFrame(records, columns=["point", "scenario", *data["parameters"]])
    frame = frame.set_index("point", drop=False)
    frame.index.name = None
    frame.attrs.update({k: data[k] for k in
                        ("experiment_name", "design", "agents", "replications", "seed")})
    return frame
