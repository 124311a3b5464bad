"""The documented install command puts a working package under the prefix given (the system's
site-packages in sim/python/README.md; a temporary directory here)."""
import os
import subprocess
import sys

import pytest


def test_install_component_python_gives_an_importable_package(tmp_path):
    build = os.environ.get("CJSIM_BUILD_DIR")
    if not build:
        pytest.skip("CJSIM_BUILD_DIR is not set (ctest sets it)")
    done = subprocess.run(["cmake", "--install", build, "--component", "python",
                           "--prefix", str(tmp_path)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    installed = sorted(os.listdir(tmp_path / "cjsim"))
    assert "__init__.py" in installed and "py.typed" in installed and "__init__.pyi" in installed
    assert any(f.startswith("_cjsim.") and f.endswith(".so") for f in installed)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-c",
                           "import cjsim, sys; print(cjsim.__file__); "
                           "print(cjsim.load(sys.argv[1]).name)",
                           os.path.join(os.environ["CJSIM_SOURCE_DIR"], "tests", "data",
                                        "tiny.yaml")],
                          capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [str(tmp_path / "cjsim" / "__init__.py"), "Tiny shop"]
