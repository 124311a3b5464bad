"""cjsim: customer journeys simulated agent by agent, from Python.

The same library the ``cjsim`` command calls, with the same numbers for the same seed::

    import cjsim
    result = cjsim.run("scenarios/examples/retail.yaml", agents=200_000, seed=7)
    result.conversion_rate          # Estimate(value=..., low=..., high=...)
    result.stages                   # a DataFrame: reach, dropout and emotion by stage
    change = cjsim.compare("retail.yaml", "retail_one_click_checkout.yaml")
    change.differences              # every figure's paired difference with its interval

Simulation runs with the GIL released; Ctrl-C raises KeyboardInterrupt and stops the work
(a sweep keeps its finished points: ``resume=True`` runs the rest). Progress shows through
tqdm when it is installed; notes and warnings go to ``warnings.warn``. Files with errors raise
``InvalidInput`` (a ValueError) listing every problem with its file, line and column.
"""
from __future__ import annotations

import json
import os
from typing import Any, Dict, Optional, Sequence, Tuple, Union

import pandas as pd

from . import _cjsim
from ._cjsim import InvalidInput, Journey, __version__
from ._results import (FIGURES, HEADLINE_FIGURES, UNITS, CalendarComparison, CalendarResult,
                       Comparison, Estimate, FitResult, Result, SweepResult, attribution_frame,
                       design_frame)

__all__ = [
    "load", "run", "compare", "sweep", "read", "fit", "attribute",
    "Journey", "Result", "Comparison", "SweepResult", "CalendarResult", "CalendarComparison", "FitResult", "Estimate", "InvalidInput",
    "FIGURES", "HEADLINE_FIGURES", "UNITS", "__version__",
]

PathLike = Union[str, "os.PathLike[str]"]
JourneyLike = Union[Journey, PathLike, Dict[str, Any]]

# The name a journey given as a dict has in messages; a `base:` in it is resolved against the
# working directory.
DICT_NAME = "<dict>"


class _TqdmProgress:
    """The library's progress as a tqdm bar (leaving nothing behind when the stage ends)."""

    def __init__(self, tqdm_class):
        self._tqdm = tqdm_class
        self._bar = None

    def start(self, stage: str, unit: str) -> None:
        self._bar = self._tqdm(desc=stage, unit=unit or "it", unit_scale=bool(unit), leave=False)

    def update(self, done: int, total: int) -> None:
        if self._bar is None:
            return
        if total and self._bar.total != total:
            self._bar.total = total
            self._bar.refresh()
        if done >= self._bar.n:
            self._bar.update(done - self._bar.n)  # update(), not n =, so that tqdm sees a rate

    def status(self, words: str) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(words)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _progress(progress: Any) -> Any:
    """None: a tqdm bar when tqdm is installed, else nothing; False: nothing; True: tqdm; any
    other object is called as start(stage, unit), update(done, total), status(words), finish().
    """
    if progress is False:
        return None
    if progress is None or progress is True:
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return None
        return _TqdmProgress(tqdm)
    return progress


def load(journey: JourneyLike) -> Journey:
    """Reads and validates a journey: a file (YAML or JSON) or a dict with a journey file's
    fields. A dict goes through the same loader and validation, as JSON text named "<dict>".

    Raises InvalidInput (a ValueError) listing every problem as FILE:LINE:COLUMN: error: ...
    """
    if isinstance(journey, Journey):
        return journey
    if isinstance(journey, dict):
        return _cjsim.load_text(json.dumps(journey, indent=2), DICT_NAME)
    return _cjsim.load_file(os.fspath(journey))


def run(journey: JourneyLike, *, agents: Optional[int] = None, seed: Optional[int] = None,
        replications: int = 1, threads: int = 0, allow_long: bool = False,
        progress: Any = None, draws: int = 0, total_effects: bool = False, days: int = 0,
        warmup_days: int = 0) -> Union[Result, CalendarResult]:
    """Simulates a journey and returns its Result: the numbers of ``cjsim run --json`` with the
    same arguments, to the bit.

    agents: agents per replication (1 to 2**48); seed: 0 to 2**64 - 1, default the journey's
    settings.seed, else 1; replications: with more than one, intervals are Student t across
    them; threads: 0 for every core (the results do not depend on it); allow_long: run past the
    expected-length bound; progress: see the package's documentation (default tqdm if present);
    draws: with K >= 2, the uncertain inputs (numbers written as distributions) are drawn K
    times as ``cjsim run --draws K`` does, and the Result's ``uncertainty`` and
    ``sensitivity`` say how sure the figures are; total_effects: total Sobol indices too (K
    more runs per uncertain input).

    A calendar journey runs its days, queues and returns as ``cjsim run`` does and gives a
    CalendarResult (with draws, its tables gain K_uncertainty_low and K_uncertainty_high, the
    range over the draws); agents: 100,000 by default, not given for such a journey (its
    arrivals decide); days, warmup_days: override the calendar's (``--days``,
    ``--warmup-days``).
    """
    j = load(journey)
    data = _cjsim.run(j, agents, seed, replications, threads, allow_long, _progress(progress),
                      draws, total_effects, days, warmup_days)
    return CalendarResult(data) if "run_days" in data else Result(data)


def compare(current: JourneyLike, *futures: JourneyLike, agents: Optional[int] = None,
            seed: Optional[int] = None, replications: int = 1, threads: int = 0,
            rank_by: str = "conversion_rate", allow_long: bool = False,
            progress: Any = None, draws: int = 0, total_effects: bool = False, days: int = 0,
            warmup_days: int = 0) -> Union[Comparison, CalendarComparison]:
    """Runs a current state and one or more future states on the same agents (common random
    numbers) and returns a Comparison: every figure's paired difference with its interval, and
    each state's Result; the numbers of ``cjsim compare --json``. With ``draws=K`` the
    uncertain inputs are drawn K times as ``cjsim compare --draws K`` does: the Comparison's
    ``uncertainty``, ``future_states`` (expected gain, its interval over the draws, probability
    of beating the current state) and ``sensitivity`` say how sure the answer is. Calendar
    journeys give a CalendarComparison as ``cjsim compare`` does, with draws or none (agents,
    days and warmup_days as in ``run``).
    """
    if not futures:
        raise ValueError("compare needs a current state and at least one future state")
    states = [load(j) for j in (current, *futures)]
    data = _cjsim.compare(states, agents, seed, replications, threads, rank_by, allow_long,
                          _progress(progress), draws, total_effects, days, warmup_days)
    return CalendarComparison(data) if "run_days" in data["scenarios"][0] else Comparison(data)


def sweep(experiment: PathLike, *, out: Optional[PathLike] = None, resume: bool = False,
          force: bool = False, threads: int = 0, allow_long: bool = False,
          progress: Any = None, agents: Optional[int] = None,
          replications: Optional[int] = None, seed: Optional[int] = None,
          reference: Optional[int] = None, shard: Union[str, Tuple[int, int], None] = None,
          merge: bool = False, checkpoint: float = 3.0, list_points: bool = False,
          days: Optional[int] = None,
          warmup_days: Optional[int] = None) -> Union[SweepResult, pd.DataFrame, None]:
    """Runs an experiment file as ``cjsim sweep`` does, writing the sweep file ``out`` (default:
    the experiment's name with .h5, here), and returns it as a SweepResult.

    Finished design points are kept in OUT.parts/ every ``checkpoint`` seconds (``--checkpoint``):
    after Ctrl-C (KeyboardInterrupt) or a crash, ``resume=True`` runs only the missing points,
    and on a finished sweep just reads the file. ``force=True`` overwrites OUT and discards old
    parts. ``agents``, ``replications`` and ``seed`` replace the experiment's (``-n``, ``-r``,
    ``--seed``). ``reference`` names the design point every point's paired difference is taken
    from (``--reference``; default: the point with the base scenario's own values, else 0): the
    result's ``differences``. ``list_points=True`` runs nothing and returns the design as a
    DataFrame (``--list-points``). ``shard="I/N"`` (or ``(I, N)``) runs one job's share of the
    points into OUT.shard-I-of-N.parts/ and returns None; ``merge=True`` then writes OUT from
    every shard's parts (``--shard``, ``--merge``). For calendar journeys, ``days`` runs every
    point for that many days in place of ``calendar.days`` (1 to 36500) and ``warmup_days``
    leaves the first days out of every figure (``--days``, ``--warmup-days``); the result's
    ``days`` and ``warmup_days`` say what the points ran.
    """
    shard_index, shard_count = _shard(shard)
    _check_whole("days", days, 1, 36500)
    _check_whole("warmup_days", warmup_days, 0, 36500)
    data = _cjsim.sweep(os.fspath(experiment), os.fspath(out) if out else "", resume, force,
                        threads, allow_long, _progress(progress), agents, replications, seed,
                        reference, shard_index, shard_count, merge, checkpoint, list_points,
                        days, warmup_days)
    if data is None:
        return None
    if data["kind"] == "design":
        return design_frame(data)
    return SweepResult(data)


def _check_whole(name: str, value: Optional[int], low: int, high: int) -> None:
    """ValueError naming the argument when given and not a whole number from low to high (the
    command line's bounds for the same option)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name}={value!r}: give a whole number from {low} to {high}")


def _shard(shard: Union[str, Tuple[int, int], None]) -> Tuple[int, int]:
    """(I, N) from "I/N" or a pair; (0, 0) for no shard. ValueError names a bad one."""
    if shard is None:
        return 0, 0
    try:
        if isinstance(shard, str):
            index_text, count_text = shard.split("/")
            if not (index_text.isdigit() and count_text.isdigit()):
                raise ValueError
            index, count = int(index_text), int(count_text)
        else:
            index, count = (int(x) for x in shard)
    except (ValueError, TypeError):
        raise ValueError(f"shard {shard!r}: give 'I/N' or (I, N), this job's number I from 0 "
                         "to N - 1 of N jobs") from None
    if count < 1 or not 0 <= index < count:
        raise ValueError(f"shard {shard!r}: give 'I/N' or (I, N), this job's number I from 0 "
                         "to N - 1 of N jobs")
    return index, count


def read(path: PathLike) -> Union[Result, Comparison, SweepResult, CalendarResult,
                                  CalendarComparison]:
    """Reads a result file: a run (``cjsim run --out``) as a Result, a comparison
    (``cjsim compare --out``) as a Comparison, a sweep file as a SweepResult; a calendar
    journey's run as a CalendarResult, their comparison as a CalendarComparison. The figures are
    the ones the command printed when it wrote the file."""
    read_back = _cjsim.read(os.fspath(path))
    kind = {"run": Result, "comparison": Comparison, "sweep": SweepResult,
            "calendar_run": CalendarResult,
            "calendar_comparison": CalendarComparison}[read_back["kind"]]
    return kind(read_back["data"])


def fit(data: PathLike, *, skeleton: Optional[JourneyLike] = None, name: str = "",
        personas: int = 1, estimate_kappa: bool = False, calibrate: Sequence[str] = (),
        holdout: float = 0.0, top_paths: int = 10, agents: int = 100_000, seed: int = 1,
        threads: int = 0, format: str = "auto", funnel: bool = False, allow_long: bool = False,
        order: Union[int, str, None] = None, durations: str = "exponential",
        calendar: bool = False, lifecycle: Sequence[str] = (), activity: Sequence[str] = (),
        exclude_activity: Sequence[str] = (), conversion_touchpoint: Sequence[str] = (),
        segment_column: Optional[str] = None, persona_model: Optional[str] = None,
        progress: Any = None) -> FitResult:
    """Learns a journey from observed data, as ``cjsim fit`` does: the Markov chain of an event
    log, path table or XES file (``format`` "auto", "events", "paths" or "xes"), or with a
    ``skeleton`` that has every touchpoint of the data its emotion means, biases, dropouts and
    weights by maximum likelihood (``personas`` latent personas by EM, ``estimate_kappa``);
    checked by simulating ``agents`` agents against the fitted share of the data and a
    ``holdout`` share kept out of it. A funnel file (``funnel=True``, or a funnel's header)
    calibrates the skeleton instead (``calibrate``: the parameters adjusted, default every
    dropout). The same numbers as ``cjsim fit --json`` for the same seed.

    As the command's options of the same names: ``order`` (1 to 5, or "bic") fits a
    higher-order chain and compares the orders; ``durations`` ("exponential" or "best");
    ``calendar`` fits the organic arrivals by weekday and hour as the journey's calendar (the
    report's ``arrivals``) and, from lifecycle transitions, the queues (``queues``);
    ``lifecycle``, ``activity``, ``exclude_activity`` and
    ``conversion_touchpoint`` filter and mark event logs and XES; ``segment_column`` names the
    event log's (or XES trace's) segment attribute and fits each segment as a persona of its
    own numbers (the report's ``segments``); ``persona_model`` ("chains" or "odds", None for
    chains without a skeleton and odds on one) says how ``personas`` K > 1 are fitted: a
    mixture of K Markov chains (the report's ``persona_mixture``) or personas that differ in
    dropout odds and initial emotion (the report's ``emotion_fit``).
    """
    skeleton_journey = load(skeleton) if skeleton is not None else None
    return FitResult(_cjsim.fit(os.fspath(data), skeleton_journey, name, "<fitted>", personas,
                                estimate_kappa, list(calibrate), holdout, top_paths, agents,
                                seed, threads, format, funnel, allow_long,
                                None if order is None else str(order), durations, calendar,
                                list(lifecycle), list(activity), list(exclude_activity),
                                list(conversion_touchpoint), segment_column, persona_model,
                                _progress(progress)))


def attribute(path: PathLike, *, by: str = "channel", order: int = 1, agents: int = 100_000,
              seed: Optional[int] = None, threads: int = 0, simulate_removals: bool = True,
              format: str = "auto", allow_long: bool = False,
              progress: Any = None) -> pd.DataFrame:
    """Shares conversions among channels (``by="touchpoint"``: touchpoints), as
    ``cjsim attribute --json``: first-touch, last-touch and linear heuristics and Markov
    removal effects of orders 1..order, on observed paths (CSV event logs, path tables, XES;
    ``format`` "auto", "events", "paths" or "xes") or on a journey file's simulated paths
    (``agents``, ``seed``; ``simulate_removals`` also removes each channel in simulation).
    One row per channel; ``attrs`` holds the totals and notes."""
    return attribution_frame(_cjsim.attribute(os.fspath(path), by, order, agents, seed, threads,
                                              simulate_removals, format, allow_long,
                                              _progress(progress)))
