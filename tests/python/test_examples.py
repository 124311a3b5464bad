"""The documented Python examples run as written: the README's and checkout_sweep.py."""
import os
import re
import subprocess
import sys

from conftest import SOURCE


def run_python(code_or_file, cwd, *args):
    command = [sys.executable, code_or_file, *args] if os.path.exists(code_or_file) else [
        sys.executable, "-c", code_or_file]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, "MPLBACKEND": "Agg"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_readme_example_draws_the_funnel_or_prints_it(tmp_path):
    readme = open(os.path.join(SOURCE, "README.md"), encoding="utf-8").read()
    section = readme[readme.index("### From Python"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    code = code.replace("scenarios/examples/retail.yaml",
                        os.path.join(SOURCE, "scenarios", "examples", "retail.yaml"))
    out = run_python(code, tmp_path)
    assert out.startswith("Estimate(value=")
    assert (tmp_path / "funnel.png").exists() or "reach_rate_low" in out


def test_checkout_sweep_example_prints_points_and_ranking(tmp_path):
    script = os.path.join(SOURCE, "sim", "python", "examples", "checkout_sweep.py")
    out = run_python(script, tmp_path, str(tmp_path))
    assert "touchpoints.basket.dropout" in out and "main_effect" in out
    assert len(re.findall(r"^\s*0\.\d+\s+0\.\d+\s+0\.\d+", out, re.M)) == 9
    assert (tmp_path / "checkout_sweep.h5").exists()
