"""`cmake --install` + find_package(ember) from a separate CMake project (examples/cpp_app)."""
import os
import shutil
import subprocess

import numpy as np
import pytest
import torch

import ember

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("EMBER_BUILD_DIR", os.path.join(ROOT, "build"))


def test_installed_package_builds_and_runs_an_application(tmp_path):
    if shutil.which("cmake") is None:
        pytest.skip("cmake not installed")
    prefix = tmp_path / "prefix"
    subprocess.run(["cmake", "--install", BUILD, "--prefix", str(prefix)], check=True, capture_output=True)
    app = tmp_path / "app"
    r = subprocess.run(["cmake", "-S", os.path.join(ROOT, "examples", "cpp_app"), "-B", str(app), "-G", "Ninja",
                        f"-DCMAKE_PREFIX_PATH={prefix}"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run(["cmake", "--build", str(app)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    model = torch.nn.Sequential(torch.nn.Linear(8, 4), torch.nn.ReLU()).eval()
    path = str(tmp_path / "m.ember")
    ember.export(model, (torch.randn(2, 8),)).save(path)
    r = subprocess.run([str(app / "classify"), path], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    values = [float(v) for v in r.stdout.split(":")[-1].split()]
    expected = model(torch.full((2, 8), 0.5)).detach().reshape(-1)[:4].numpy()
    np.testing.assert_allclose(values, expected, rtol=1e-5, atol=1e-5)
