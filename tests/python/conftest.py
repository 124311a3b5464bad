"""Shared fixtures of the Python package's tests: the `cjsim` command they compare with and the
shipped examples. ctest sets CJSIM_BINARY, CJSIM_SOURCE_DIR and PYTHONPATH (the build's
python/ directory)."""
import json
import math
import numbers
import os
import subprocess

import numpy
import pytest

SOURCE = os.environ.get("CJSIM_SOURCE_DIR",
                        os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
EXAMPLES = os.path.join(SOURCE, "scenarios", "examples")
RETAIL = os.path.join(EXAMPLES, "retail.yaml")
ONE_CLICK = os.path.join(EXAMPLES, "retail_one_click_checkout.yaml")
DELIVERY = os.path.join(EXAMPLES, "retail_proactive_delivery.yaml")


@pytest.fixture(scope="session")
def cli():
    """Runs the `cjsim` command and returns its standard output parsed as JSON."""
    binary = os.environ.get("CJSIM_BINARY")
    if not binary:
        pytest.skip("CJSIM_BINARY is not set (ctest sets it)")

    def call(*args):
        done = subprocess.run([binary, *map(str, args)], capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if "--json" in args else done.stdout

    return call


def same(a, b):
    """Equal to the bit: integers exactly, other numbers by their bits (NaN equals NaN, and a
    JSON null is NaN, as in a DataFrame); anything else by ==."""
    a = math.nan if a is None else a
    b = math.nan if b is None else b
    if isinstance(a, (bool, numpy.bool_)) or isinstance(b, (bool, numpy.bool_)):
        return bool(a) == bool(b)
    if isinstance(a, numbers.Integral) and isinstance(b, numbers.Integral):
        return int(a) == int(b)
    if isinstance(a, numbers.Real) and isinstance(b, numbers.Real):
        return float(a).hex() == float(b).hex()
    return a == b
