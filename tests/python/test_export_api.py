"""The public API contract: export/save/load/forward, output flattening, clear errors."""
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import ember
from helpers import assert_close_scaled, export_and_run

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Multi(torch.nn.Module):
    def forward(self, x, y):
        return {"sum": x + y, "parts": (x * 2, [torch.relu(y)])}


def test_dict_and_nested_outputs_are_flattened_in_order(tmp_path):
    x, y = torch.randn(3, 4), torch.randn(3, 4)
    outs, refs, _ = export_and_run(Multi().eval(), (x, y), tmp_path)
    assert len(outs) == 3
    for o, r in zip(outs, refs):
        assert_close_scaled(o, r)


def test_forward_returns_tensor_for_single_output(tmp_path):
    m = torch.nn.Linear(4, 2).eval()
    x = torch.randn(3, 4)
    path = str(tmp_path / "lin.ember")
    ember.export(m, (x,)).save(path)
    y = ember.load(path).forward(x)
    assert isinstance(y, torch.Tensor)
    assert_close_scaled(y, m(x).detach())


def test_data_dependent_control_flow_is_rejected_with_location():
    class Branchy(torch.nn.Module):
        def forward(self, x):
            if x.sum() > 0:
                return x * 2
            return x

    with pytest.raises(ember.ExportError) as e:
        ember.export(Branchy().eval(), (torch.randn(3),))
    msg = str(e.value)
    assert "control flow" in msg and "test_export_api.py" in msg


def test_training_mode_is_rejected():
    with pytest.raises(ember.ExportError, match="eval"):
        ember.export(torch.nn.Linear(2, 2), (torch.randn(1, 2),))


def test_missing_kernel_fails_at_export_with_module_path(monkeypatch):
    class Inner(torch.nn.Module):
        def forward(self, x):
            return torch.relu(x) + 1

    class Outer(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.block = torch.nn.Sequential(torch.nn.Identity(), Inner())

        def forward(self, x):
            return self.block(x)

    ex = sys.modules["ember.export"]  # the module; `ember.export` is the function

    monkeypatch.setattr(ex, "registered_kernels", lambda: {"aten::add.Tensor"})
    with pytest.raises(ember.MissingKernelsError) as e:
        ember.export(Outer().eval(), (torch.randn(4),))
    assert "aten::relu.default" in e.value.missing
    assert e.value.missing["aten::relu.default"] == ["block.1"]
    assert "block.1" in str(e.value)


def test_wrong_input_shape_and_dtype_give_clear_errors(tmp_path):
    m = torch.nn.Linear(4, 2).eval()
    path = str(tmp_path / "lin.ember")
    ember.export(m, (torch.randn(3, 4),)).save(path)
    loaded = ember.load(path)
    with pytest.raises(RuntimeError, match=r"expected shape \[3,4\], got \[3,5\]"):
        loaded.forward(torch.randn(3, 5))
    with pytest.raises(RuntimeError, match="expected dtype float32, got int64"):
        loaded.forward(torch.zeros(3, 4, dtype=torch.int64))
    with pytest.raises(RuntimeError, match="takes 1 inputs, got 2"):
        loaded.forward(torch.randn(3, 4), torch.randn(3, 4))
    # Still usable after bad calls.
    assert_close_scaled(loaded.forward(torch.ones(3, 4)), m(torch.ones(3, 4)).detach())


def test_weights_are_memory_mapped_and_aligned(tmp_path):
    m = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 8)).eval()
    path = str(tmp_path / "mlp.ember")
    ember.export(m, (torch.randn(2, 64),)).save(path)
    info = ember.inspect_program(path)
    assert info["weight_bytes"] >= (64 * 64 + 64 + 64 * 8 + 8) * 4
    assert ember.load(path)._m.is_mapped()
    assert not ember.load(path, mmap=False)._m.is_mapped()
    data = open(path, "rb").read()
    seg_base = int.from_bytes(data[32:40], "little")
    assert seg_base % 64 == 0


def _cli(*args, **kw):
    return subprocess.run([os.path.join(ROOT, "ember"), *args], capture_output=True, text=True, cwd=ROOT, **kw)


def test_cli_export_inspect_run(tmp_path):
    model_file = tmp_path / "mymodel.py"
    model_file.write_text(
        "import torch\n"
        "def make_model():\n"
        "    return torch.nn.Sequential(torch.nn.Conv1d(1, 4, 5, stride=2), torch.nn.ReLU(),\n"
        "                               torch.nn.AdaptiveAvgPool1d(1), torch.nn.Flatten())\n")
    out = str(tmp_path / "m.ember")
    r = _cli("export", f"{model_file}:make_model", "--input-shape", "1,1,400", "-o", out)
    assert r.returncode == 0, r.stderr
    r = _cli("inspect", out)
    assert r.returncode == 0 and "aten::convolution.default" in r.stdout and "planned arena bytes" in r.stdout
    x = np.random.RandomState(0).randn(1, 1, 400).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    r = _cli("run", out, "--input", str(tmp_path / "x.npy"), "--output-dir", str(tmp_path / "out"),
             "--iterations", "3")
    assert r.returncode == 0, r.stderr
    assert "median" in r.stdout
    y = np.load(tmp_path / "out" / "output_0.npy")
    import importlib.util
    spec = importlib.util.spec_from_file_location("mymodel", model_file)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    torch.manual_seed(0)  # the CLI seeds 0 before building the model: same random weights
    ref = mod.make_model().eval()(torch.from_numpy(x)).detach()
    assert_close_scaled(torch.from_numpy(y), ref)
    # --profile: per-operator time covering every instruction of the program.
    r = _cli("run", out, "--iterations", "2", "--profile")
    assert r.returncode == 0, r.stderr
    prof = r.stdout[r.stdout.index("profile (ms per iteration"):]
    rows = [ln.split() for ln in prof.splitlines()[2:] if ln.strip().split()[-1].startswith("aten::")
            and not ln.strip().startswith("slowest")]
    ops = {row[-1]: int(row[2]) for row in rows if len(row) == 4}
    n_instructions = int(r.stdout.split("method forward, ")[1].split(" instructions")[0])
    assert "aten::convolution.default" in ops and sum(ops.values()) == n_instructions, prof


def test_cli_reports_bad_model_spec():
    r = _cli("export", "nonexistent.py:f", "-o", "/tmp/x.ember")
    assert r.returncode != 0 and "no such file" in r.stderr
