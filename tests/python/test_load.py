"""cjsim.load reads files and dicts through the same loader and validation as the command,
and bad input raises cjsim.InvalidInput listing every problem with its file, line and column."""
import json
import os

import cjsim
import pytest
from conftest import SOURCE

TINY = os.path.join(SOURCE, "tests", "data", "tiny.yaml")

TINY_DICT = {
    "name": "Tiny shop",
    "description": "An ad leads to a product page; some buy, some read reviews first.",
    "stages": ["awareness", "consideration", "purchase"],
    "settings": {"memory": 0.7, "kappa": 1.0, "max_steps": 50},
    "touchpoints": [
        {"id": "ad", "stage": "awareness", "channel": "social",
         "emotion": {"mean": 0.1, "sd": 0.2}, "dropout": 0.3, "duration": 0.1, "cost": 0.5,
         "entry_weight": 1},
        {"id": "product", "stage": "consideration", "channel": "web",
         "emotion": {"mean": 0.2, "sd": 0.3}, "dropout": 0.2,
         "duration": {"exponential": 0.5}, "cost": 0.1},
        {"id": "reviews", "stage": "consideration", "channel": "web",
         "emotion": {"mean": -0.1, "sd": 0.4}, "dropout": 0.25,
         "duration": {"lognormal": {"median": 0.3, "sigma": 0.5}}},
        {"id": "checkout", "stage": "purchase", "channel": "web",
         "emotion": {"mean": 0.3, "sd": 0.1}, "duration": 0.2, "cost": 2,
         "conversion": {"value": 60}},
    ],
    "transitions": [
        {"from": "ad", "to": "product", "weight": 1},
        {"from": "product", "to": "checkout", "weight": 2, "emotion_bias": 1.5},
        {"from": "product", "to": "reviews", "weight": 1},
        {"from": "reviews", "to": "product", "weight": 1},
        {"from": "reviews", "to": "checkout", "weight": 1, "emotion_bias": 1},
    ],
    "personas": [
        {"id": "regular", "share": 3, "initial_emotion": {"mean": 0.1, "sd": 0.2}},
        {"id": "sceptic", "share": 1, "sensitivity": 1.3, "dropout_odds": 1.8,
         "initial_emotion": {"mean": -0.2, "sd": 0.2}, "value_multiplier": 0.8,
         "channel_affinity": {"social": 0.5}},
    ],
}


def test_a_file_loads_with_its_parts():
    j = cjsim.load(TINY)
    assert j.name == "Tiny shop" and j.path == TINY
    assert j.stages == ["awareness", "consideration", "purchase"]
    assert [t["id"] for t in j.touchpoints] == ["ad", "product", "reviews", "checkout"]
    assert [p["id"] for p in j.personas] == ["regular", "sceptic"]
    assert j.personas[1]["channel_affinity"] == {"social": 0.5}
    assert j.settings["max_steps"] == 50
    assert "Tiny shop" in repr(j)


def test_a_dict_runs_like_the_file_it_was_written_from():
    from_dict = cjsim.load(TINY_DICT)
    assert from_dict.path == "<dict>" and json.loads(from_dict.text) == TINY_DICT
    a = cjsim.run(TINY_DICT, agents=20000, seed=4, progress=False)
    b = cjsim.run(TINY, agents=20000, seed=4, progress=False)
    for name in cjsim.HEADLINE_FIGURES:
        assert repr(getattr(a, name)) == repr(getattr(b, name)), name
    assert a.touchpoints.equals(b.touchpoints)


def test_invalid_input_lists_every_problem_with_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = open(TINY, encoding="utf-8").read()
    text = text.replace("dropout: 0.2\n", "dropuot: 0.2\n").replace(
        "{from: ad, to: product, weight: 1}", "{from: ad, to: prodcut, weight: 1}")
    bad.write_text(text.replace("dropout: 0.3", "dropout: 1.3"))
    with pytest.raises(cjsim.InvalidInput) as raised:
        cjsim.load(bad)
    assert isinstance(raised.value, ValueError)
    lines = str(raised.value).splitlines()
    # One pass, in file order: the dropout of 1.3, the misspelt key, the misspelt touchpoint.
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == 3, lines
    assert errors[0].startswith(f"{bad}:14:5: error: dropout in touchpoint 'ad' must be"), lines
    assert errors[1].startswith(f"{bad}:22:5: error: unknown key 'dropuot'"), lines
    assert "prodcut" in errors[2], lines
    assert lines[-1] == f"{bad}: 3 errors, nothing was run", lines
    # Fixing the key leaves the two problems of meaning, reported as before.
    fixed = text.replace("dropuot", "dropout")
    bad.write_text(fixed.replace("dropout: 0.3", "dropout: 1.3"))
    with pytest.raises(cjsim.InvalidInput) as raised:
        cjsim.run(bad, agents=10)
    message = str(raised.value)
    errors = [line for line in message.splitlines() if ": error: " in line]
    assert len(errors) == 2, message
    assert any("prodcut" in e and e.startswith(f"{bad}:") for e in errors), message
    assert any("dropout" in e and e.startswith(f"{bad}:14:") for e in errors), message
    assert message.splitlines()[-1] == f"{bad}: 2 errors, nothing was run"


def test_a_bad_dict_names_the_dict_and_the_place():
    bad = json.loads(json.dumps(TINY_DICT))
    bad["touchpoints"][0]["dropuot"] = 0.5
    with pytest.raises(cjsim.InvalidInput, match=r"<dict>:\d+:\d+: error: unknown key 'dropuot'"):
        cjsim.load(bad)


def test_a_missing_file_is_invalid_input_naming_it(tmp_path):
    missing = tmp_path / "none.yaml"
    with pytest.raises(cjsim.InvalidInput, match=f"{missing}: error: cannot read file"):
        cjsim.load(missing)


def test_a_dict_future_state_compares_with_a_file():
    future = json.loads(json.dumps(TINY_DICT))
    future["name"] = "Tiny shop, calmer reviews"
    future["touchpoints"][2]["dropout"] = 0.05
    c = cjsim.compare(TINY, future, agents=20000, seed=1, progress=False)
    assert c.labels == ["Tiny shop", "Tiny shop, calmer reviews"]
    d = c.differences
    reviews = d[(d.scope == "touchpoint:reviews") & (d.metric == "dropout_rate")].iloc[0]
    assert reviews.difference < 0 and reviews.significant
    assert c.results[1].metadata["path"] == "<dict>"
