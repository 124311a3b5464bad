"""cjsim.attribute gives the table of `cjsim attribute --json` as a DataFrame."""
import math
import os

import cjsim
from conftest import RETAIL, SOURCE, same


def test_attribution_of_a_journey_equals_the_cli(cli):
    frame = cjsim.attribute(RETAIL, agents=20000, seed=3, progress=False)
    printed = cli("attribute", RETAIL, "-n", 20000, "--seed", 3, "--json")
    assert frame.index.name == "channel"
    assert list(frame.index) == [row["channel"] for row in printed["channels"]]
    for row in printed["channels"]:
        for key, value in row.items():
            if key != "channel":
                assert same(frame.loc[row["channel"], key], value), (row["channel"], key)
    assert frame.attrs["totals"] == printed["totals"]


def test_attribution_by_touchpoint_of_observed_paths():
    events = os.path.join(SOURCE, "tests", "data", "fit", "two_personas_events.csv")
    frame = cjsim.attribute(events, by="touchpoint", order=2, progress=False)
    assert frame.index.name == "touchpoint" and len(frame) > 1
    assert not any(math.isnan(v) for v in frame.iloc[:, 0])
