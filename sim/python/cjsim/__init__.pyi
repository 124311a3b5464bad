"""Type stubs of the cjsim package (sim/python/cjsim/__init__.py)."""
import os
from typing import Any, Dict, List, NamedTuple, Optional, Protocol, Sequence, Tuple, Union

import pandas as pd

from ._cjsim import InvalidInput as InvalidInput, Journey as Journey

__version__: str
FIGURES: pd.DataFrame
HEADLINE_FIGURES: Tuple[str, ...]
UNITS: Dict[str, str]

PathLike = Union[str, os.PathLike[str]]
JourneyLike = Union[Journey, PathLike, Dict[str, Any]]

class ProgressLike(Protocol):
    def start(self, stage: str, unit: str) -> None: ...
    def update(self, done: int, total: int) -> None: ...
    def status(self, words: str) -> None: ...
    def finish(self) -> None: ...

Progress = Union[None, bool, ProgressLike]

class Estimate(NamedTuple):
    value: float
    low: float
    high: float

class Result:
    data: Dict[str, Any]
    scenario: str
    label: str
    path: Optional[str]
    agents_per_replication: int
    replications: int
    seed: Optional[int]
    interval_method: str
    seconds: float
    metadata: Dict[str, Any]
    notes: List[str]
    counts: Dict[str, Any]
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
    figures: pd.DataFrame
    uncertainty: Optional[Dict[str, Any]]
    sensitivity: Optional[pd.DataFrame]
    touchpoints: pd.DataFrame
    stages: pd.DataFrame
    transitions: pd.DataFrame
    personas: pd.DataFrame
    persona_stages: pd.DataFrame
    persona_touchpoints: pd.DataFrame
    def __init__(self, data: Dict[str, Any]) -> None: ...

class Comparison:
    data: Dict[str, Any]
    method: str
    seed: int
    agents: int
    replications: int
    seconds: float
    rank_by: str
    ranking: List[str]
    results: List[Result]
    labels: List[str]
    differences: pd.DataFrame
    uncertainty: Optional[Dict[str, Any]]
    future_states: Optional[pd.DataFrame]
    sensitivity: Optional[pd.DataFrame]
    def __init__(self, data: Dict[str, Any]) -> None: ...
    @property
    def current(self) -> Result: ...
    @property
    def futures(self) -> List[Result]: ...

class CalendarResult:
    data: Dict[str, Any]
    name: str
    metadata: Dict[str, Any]
    days_run: int
    warmup_days: int
    organic_agents: int
    referred_agents: int
    journeys: int
    returning_journeys: int
    deterred: int
    referrals_made: int
    customers: int
    organic_agents_per_day: Estimate
    referred_per_organic: Estimate
    journeys_per_customer: Estimate
    lifetime_value: Estimate
    staff_cost: Estimate
    days: pd.DataFrame
    hours: pd.DataFrame
    resources: pd.DataFrame
    resource_days: pd.DataFrame
    hour_of_week: pd.DataFrame
    result: Result
    uncertainty: Optional[Dict[str, Any]]
    sensitivity: Optional[pd.DataFrame]
    def __init__(self, data: Dict[str, Any]) -> None: ...

class CalendarComparison:
    data: Dict[str, Any]
    results: List[CalendarResult]
    differences: pd.DataFrame
    uncertainty: Optional[Dict[str, Any]]
    future_states: Optional[pd.DataFrame]
    sensitivity: Optional[pd.DataFrame]
    def __init__(self, data: Dict[str, Any]) -> None: ...

class SweepResult:
    data: Dict[str, Any]
    path: str
    experiment_name: str
    experiment_path: str
    design: str
    metric: str
    agents: int
    replications: int
    seed: int
    days: Optional[int]
    warmup_days: Optional[int]
    parameters: List[str]
    scenarios: List[str]
    points: pd.DataFrame
    differences: pd.DataFrame
    reference: int
    reference_why: str
    sensitivity: pd.DataFrame
    calendar_points: Optional[pd.DataFrame]
    calendar_resources: Optional[pd.DataFrame]
    def __init__(self, data: Dict[str, Any]) -> None: ...

class FitResult:
    journey: Journey
    yaml: str
    notes: List[str]
    report: Optional[Dict[str, Any]]
    calibration: Optional[Dict[str, Any]]
    parameters: pd.DataFrame
    def __init__(self, data: Dict[str, Any]) -> None: ...
    def save(self, path: PathLike) -> None: ...

def load(journey: JourneyLike) -> Journey: ...
def run(journey: JourneyLike, *, agents: Optional[int] = ..., seed: Optional[int] = ...,
        replications: int = ..., threads: int = ..., allow_long: bool = ...,
        progress: Progress = ..., draws: int = ..., total_effects: bool = ...,
        days: int = ..., warmup_days: int = ...) -> Union[Result, CalendarResult]: ...
def compare(current: JourneyLike, *futures: JourneyLike, agents: Optional[int] = ...,
            seed: Optional[int] = ..., replications: int = ..., threads: int = ...,
            rank_by: str = ..., allow_long: bool = ..., progress: Progress = ...,
            draws: int = ..., total_effects: bool = ..., days: int = ...,
            warmup_days: int = ...) -> Union[Comparison, CalendarComparison]: ...
def sweep(experiment: PathLike, *, out: Optional[PathLike] = ..., resume: bool = ...,
          force: bool = ..., threads: int = ..., allow_long: bool = ...,
          progress: Progress = ..., agents: Optional[int] = ...,
          replications: Optional[int] = ..., seed: Optional[int] = ...,
          reference: Optional[int] = ..., shard: Union[str, Tuple[int, int], None] = ...,
          merge: bool = ..., checkpoint: float = ..., list_points: bool = ...,
          days: Optional[int] = ...,
          warmup_days: Optional[int] = ...) -> Union[SweepResult, pd.DataFrame, None]: ...
def read(path: PathLike) -> Union[Result, Comparison, SweepResult]: ...
def fit(data: PathLike, *, skeleton: Optional[JourneyLike] = ..., name: str = ...,
        personas: int = ..., estimate_kappa: bool = ..., calibrate: Sequence[str] = ...,
        holdout: float = ..., top_paths: int = ..., agents: int = ..., seed: int = ...,
        threads: int = ..., format: str = ..., funnel: bool = ..., allow_long: bool = ...,
        order: Union[int, str, None] = ..., durations: str = ..., calendar: bool = ...,
        lifecycle: Sequence[str] = ..., activity: Sequence[str] = ...,
        exclude_activity: Sequence[str] = ..., conversion_touchpoint: Sequence[str] = ...,
        segment_column: Optional[str] = ..., persona_model: Optional[str] = ...,
        progress: Progress = ...) -> FitResult: ...
def attribute(path: PathLike, *, by: str = ..., order: int = ..., agents: int = ...,
              seed: Optional[int] = ..., threads: int = ..., simulate_removals: bool = ...,
              format: str = ..., allow_long: bool = ..., progress: Progress = ...) -> pd.DataFrame: ...
