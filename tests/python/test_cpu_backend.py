"""The optimized CPU backend: delegation, conformance with eager PyTorch, blob/weight handling,
and a smoke run of ./ember bench. Skipped where the runtime was built without the backend."""
import collections
import json
import math
import os
import shutil
import re
import subprocess
import sys

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

import ember
from cpu_features import missing as _isa_missing
from ember.backends import Backend, register_backend

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _runtime_has_cpu_backend(tmp_dir) -> bool:
    m = nn.Sequential(nn.ReLU()).eval()
    x = torch.randn(4)
    p = ember.export(m, (x,), backends=["cpu"])
    path = os.path.join(tmp_dir, "probe.ember")
    p.save(path)
    try:
        ember.load(path)(x)
    except RuntimeError as e:
        if "backend 'cpu'" in str(e):
            return False
        raise
    return True


@pytest.fixture(scope="module")
def cpu_backend(tmp_path_factory):
    if not _runtime_has_cpu_backend(str(tmp_path_factory.mktemp("probe"))):
        pytest.skip("runtime built without the cpu backend (libxnnpack-dev missing)")
    return True


def _randomize(model: nn.Module, seed: int = 0) -> nn.Module:
    """Non-trivial batch-norm statistics and heads, so outputs are O(1) and errors show."""
    g = torch.Generator().manual_seed(seed)
    for mod in model.modules():
        if isinstance(mod, nn.BatchNorm2d):
            n = mod.num_features
            mod.running_mean.copy_(torch.randn(n, generator=g) * 0.1)
            mod.running_var.copy_(torch.rand(n, generator=g) + 0.5)
            mod.weight.data.copy_(torch.rand(n, generator=g) + 0.5)
            mod.bias.data.copy_(torch.randn(n, generator=g) * 0.1)
        if isinstance(mod, nn.Linear) and float(mod.weight.abs().max()) == 0.0:
            mod.weight.data.normal_(0, 0.05, generator=g)
    return model.eval()


def _check(model, inputs, tmp_path, name, rtol=1e-4, expect_all_delegated=True):
    program = ember.export(model, inputs, backends=["cpu"])
    hist = program.op_histogram()
    if expect_all_delegated:
        assert all(k.startswith("delegate:cpu") for k in hist), f"not delegated: {dict(hist)}"
    assert program.delegated and all(b == "cpu" for b, _ in program.delegated)
    path = os.path.join(str(tmp_path), f"{name}.ember")
    program.save(path)
    out = ember.load(path).run("forward", *inputs)
    with torch.no_grad():
        ref = model(*inputs)
    refs = torch.utils._pytree.tree_flatten(ref)[0]
    assert len(out) == len(refs)
    for o, r in zip(out, refs):
        assert o.shape == r.shape
        scale = max(r.abs().max().item(), 1e-3)
        err = (o - r).abs().max().item()
        assert err <= rtol * scale, f"{name}: max error {err:.3g} at output scale {scale:.3g}"
    return program


class SmallCNN(nn.Module):
    """Every op family the backend claims: conv(+bias/+BN folded)+relu/relu6/hardswish,
    depthwise, SE (mean, hardsigmoid, mul), max/avg pooling, residual add, linear."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.dw = nn.Conv2d(16, 16, 3, padding=1, groups=16, bias=False)
        self.pw = nn.Conv2d(16, 16, 1)
        self.se1 = nn.Conv2d(16, 4, 1)
        self.se2 = nn.Conv2d(4, 16, 1)
        self.c2 = nn.Conv2d(16, 24, 3, padding=2, dilation=2)
        self.fc = nn.Linear(24, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.c1(x)))
        y = F.relu6(self.dw(x))
        y = F.hardswish(self.pw(y))
        s = F.hardsigmoid(self.se2(F.relu(self.se1(y.mean((2, 3), keepdim=True)))))
        x = x + y * s
        x = F.max_pool2d(x, 3, 2, 1)
        x = torch.sigmoid(self.c2(x)) * 2.0 - 0.5
        x = F.avg_pool2d(x, 2)
        x = x.mean((-1, -2))
        return self.fc(x)


def test_small_cnn_matches_eager(cpu_backend, tmp_path):
    torch.manual_seed(0)
    _check(_randomize(SmallCNN()), (torch.randn(2, 3, 32, 32),), tmp_path, "small_cnn")


@pytest.mark.parametrize("name", ["mobilenet_v2", "resnet18", "mobilenet_v3_large"])
def test_torchvision_cnn_matches_eager(cpu_backend, tmp_path, name):
    import torchvision

    torch.manual_seed(0)
    model = _randomize(getattr(torchvision.models, name)(weights=None))
    _check(model, (torch.randn(1, 3, 64, 64),), tmp_path, name, rtol=2e-4)


@pytest.mark.parametrize("channels,hw", [(1, (5, 7)), (2, (5, 7)), (3, (72, 72)), (4, (5, 7)), (5, (5, 7)),
                                         (3, (2, 2)), (3, (1, 3))])
def test_layout_copies_at_the_boundary_match_eager(cpu_backend, tmp_path, channels, hw):
    # NCHW <-> NHWC at the delegate's edges: inputs with 1-4 channels (and outputs with 1-4
    # pixels) take the column-split interleave, others the blocked transpose; 72x72 spans
    # several column chunks over two workers. A batch of 2 checks the per-image offsets.
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(channels, 6, 3, padding=1), nn.ReLU()).eval()
    _check(model, (torch.randn(2, channels, *hw),), tmp_path, f"copies_{channels}_{hw[0]}x{hw[1]}")


def test_transformer_encoder_layer_matches_eager(cpu_backend, tmp_path):
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(64, 4, 128, dropout=0.0, batch_first=True, activation="gelu").eval()
    _check(layer, (torch.randn(1, 10, 64),), tmp_path, "encoder_layer", expect_all_delegated=False)


def test_tiny_vit_matches_eager(cpu_backend, tmp_path):
    from torchvision.models.vision_transformer import VisionTransformer

    torch.manual_seed(0)
    m = VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=4, hidden_dim=64, mlp_dim=128,
                          num_classes=10).eval()
    nn.init.normal_(m.heads.head.weight, std=0.1)
    _check(m, (torch.randn(1, 3, 32, 32),), tmp_path, "tiny_vit")


class ConvCumsumConv(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 8, 3, padding=1)
        self.b = nn.Conv2d(8, 8, 3, padding=1)

    def forward(self, x):
        x = F.relu(self.a(x))
        x = torch.cumsum(x, dim=1)  # not claimed by the cpu backend: runs on portable kernels
        return F.relu(self.b(x))


def test_unsupported_op_splits_into_delegates(cpu_backend, tmp_path):
    torch.manual_seed(0)
    p = _check(ConvCumsumConv().eval(), (torch.randn(1, 3, 12, 12),), tmp_path, "split", expect_all_delegated=False)
    hist = p.op_histogram()
    assert hist["delegate:cpu.0"] == 1 and hist["delegate:cpu.1"] == 1
    assert any(k.startswith("aten::cumsum") for k in hist)


def test_weights_stored_once_in_blob(cpu_backend, tmp_path):
    torch.manual_seed(0)
    m = nn.Sequential(nn.Conv2d(64, 128, 3), nn.ReLU(), nn.Flatten(), nn.Linear(128 * 6 * 6, 64)).eval()
    x = torch.randn(1, 64, 8, 8)
    weight_bytes = sum(p.numel() * 4 for p in m.parameters())
    portable = ember.export(m, (x,))
    delegated = ember.export(m, (x,), backends=["cpu"])
    # No weight is serialized as a program constant: the partitioner leaves them to the blob.
    used = [a for c in delegated.method.calls for a in c.args if getattr(a, "storage", None) == "constant"]
    assert used == []
    n_portable, n_cpu = len(portable.to_bytes()), len(delegated.to_bytes())
    assert n_portable >= weight_bytes and n_cpu >= weight_bytes
    assert n_cpu < weight_bytes * 1.1, f"cpu program {n_cpu} bytes for {weight_bytes} weight bytes"


def test_missing_backend_fails_to_load_naming_it(tmp_path):
    class Nope(Backend):
        name = "nope_test_backend"

        def supports(self, call):
            return call.op_name == "aten::relu"

        def preprocess(self, calls, inputs, outputs):
            return b"\x00" * 16

    register_backend(Nope())
    p = ember.export(nn.Sequential(nn.ReLU()).eval(), (torch.randn(3),), backends=["nope_test_backend"])
    path = os.path.join(str(tmp_path), "nope.ember")
    p.save(path)
    with pytest.raises(RuntimeError, match="nope_test_backend"):
        ember.load(path)(torch.randn(3))


def test_corrupt_blob_is_rejected(cpu_backend, tmp_path):
    p = ember.export(nn.Sequential(nn.Conv2d(3, 4, 3)).eval(), (torch.randn(1, 3, 8, 8),), backends=["cpu"])
    name, blob = p.delegate_blobs[0]
    p.delegate_blobs[0] = (name, b"XXXX" + blob[4:])
    path = os.path.join(str(tmp_path), "bad.ember")
    p.save(path)
    with pytest.raises(RuntimeError, match="cpu"):
        ember.load(path)(torch.randn(1, 3, 8, 8))


def test_thread_count_does_not_change_results(cpu_backend, tmp_path):
    import torchvision

    torch.manual_seed(0)
    m = _randomize(torchvision.models.resnet18(weights=None))
    x = torch.randn(1, 3, 48, 48)
    path = os.path.join(str(tmp_path), "r18.ember")
    ember.export(m, (x,), backends=["cpu"]).save(path)
    torch.save(x, os.path.join(str(tmp_path), "x.pt"))
    outs = []
    for n in (1, 2):
        env = dict(os.environ, EMBER_NUM_THREADS=str(n), PYTHONPATH=os.path.join(ROOT, "python"))
        code = ("import sys, torch, ember; x = torch.load(sys.argv[2]); "
                "torch.save(ember.load(sys.argv[1])(x), sys.argv[3])")
        dst = os.path.join(str(tmp_path), f"y{n}.pt")
        subprocess.check_call([sys.executable, "-c", code, path, os.path.join(str(tmp_path), "x.pt"), dst], env=env)
        outs.append(torch.load(dst))
    with torch.no_grad():
        ref = m(x)
    for y in outs:
        assert (y - ref).abs().max().item() <= 2e-4 * ref.abs().max().item()


def test_bench_smoke(cpu_backend, tmp_path):
    """CI check that ./ember bench runs end to end on one small model (numbers are not checked)."""
    runtimes = "ember-portable,ember-cpu,pytorch"
    if os.path.exists(os.path.join(ROOT, ".deps", "npm", "node_modules", "onnxruntime-node")):
        runtimes += ",onnxruntime"
    out = os.path.join(str(tmp_path), "bench")
    cmd = [os.path.join(ROOT, "ember"), "bench", "--models", "mobilenet_v3_small", "--threads", "1",
           "--resolution", "64", "--rounds", "1", "--warmup", "0", "--iterations", "2", "--runtimes", runtimes,
           "--output-dir", out]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "| mobilenet_v3_small | 1 | ember-cpu |" in r.stdout
    with open(os.path.join(out, "bench.json")) as f:
        data = json.load(f)
    rows = {row["runtime"]: row for row in data["rows"]}
    assert set(rows) == set(runtimes.split(","))
    for rt, row in rows.items():
        assert "error" not in row, (rt, row)
        assert row["median_ms"] > 0 and row["peak_rss_mb"] > 0 and row["load_ms"] >= 0
    assert data["flops"]["mobilenet_v3_small"] > 0
    assert os.path.getsize(os.path.join(out, "bench.png")) > 1000


def test_bench_reexports_when_ember_changes(tmp_path, monkeypatch):
    """The bench caches its exports; a cached export made by other exporter code (e.g. before a
    fusion was added) must be made again, or the table measures the old program."""
    from ember import bench
    logs = []

    def prepare():
        logs.clear()
        bench.prepare(["mobilenet_v3_small"], 32, str(tmp_path), ["ember-portable"], logs.append)
        return [m for m in logs if m.startswith("exported")]

    assert len(prepare()) == 1  # first run: exported
    assert prepare() == []  # same code: the cached export is used
    monkeypatch.setattr(bench, "exporter_digest", lambda: "other-code")
    assert len(prepare()) == 1  # the exporter changed: exported again
    assert prepare() == []


def test_bench_timed_iterations_fit_the_budget():
    """Timed runs per worker: what fits the budget, between 3 and --iterations; a run longer than
    the whole budget is timed once (so a slow eager PyTorch run does not triple a round)."""
    from ember.bench import timed_iterations
    assert timed_iterations(10.0, 1.0, 5) == 5  # 100 would fit: capped by --iterations
    assert timed_iterations(250.0, 1.0, 10) == 4  # 4 fit in 1 s
    assert timed_iterations(600.0, 1.0, 10) == 3  # 1 fits, but at least 3
    assert timed_iterations(1000.0, 1.0, 10) == 3  # exactly the budget: still 3
    assert timed_iterations(16000.0, 1.0, 10) == 1  # longer than the budget: once
    assert timed_iterations(16000.0, 20.0, 10) == 3


def test_bench_round_order_keeps_ember_and_ort_back_to_back():
    """Each round runs Ember's CPU backend and ONNX Runtime one right after the other (so both
    see the same phase of a noisy host), leading in turn, and still runs every runtime once."""
    from ember.bench import RUNTIMES, round_order
    for rnd in range(6):
        order = round_order(RUNTIMES, rnd)
        assert sorted(order) == sorted(RUNTIMES)
        i, j = order.index("ember-cpu"), order.index("onnxruntime")
        assert abs(i - j) == 1
        assert (i < j) == (rnd % 2 == 0)
    # The others take turns going first.
    assert {round_order(RUNTIMES, rnd)[2] for rnd in range(4)} == {"ember-portable", "pytorch"}
    assert round_order(["ember-portable"], 3) == ["ember-portable"]


def test_bench_paired_ratio_pairs_runs_of_the_same_round():
    """The ratio to ONNX Runtime is the median of per-round ratios: a round where the host was
    slow for both cancels out, and rounds where either side failed are left out."""
    from ember.bench import attach_ratios, paired_ratio
    ember = [{"round": 0, "median_ms": 10.0}, {"round": 1, "median_ms": 30.0},
             {"round": 2, "median_ms": 12.0}, {"round": 3, "error": "crashed"}]
    ort = [{"round": 0, "times_ms": [11.0, 11.0, 50.0]}, {"round": 1, "times_ms": [25.0]},
           {"round": 2, "times_ms": [15.0]}, {"round": 3, "times_ms": [1.0]}]
    # Per round: 10/11, 30/25, 12/15 -> median 10/11; round 3 is left out.
    assert paired_ratio(ember, ort) == pytest.approx(10.0 / 11.0)
    assert paired_ratio(ember, [{"round": 7, "times_ms": [1.0]}]) is None
    rows = [{"model": "m", "threads": 1, "runtime": "ember-cpu", "median_ms": 12.0},
            {"model": "m", "threads": 1, "runtime": "onnxruntime", "median_ms": 15.0}]
    attach_ratios(rows, {}, 100.0, {("m", 1, "ember-cpu"): ember, ("m", 1, "onnxruntime"): ort})
    assert rows[0]["ratio_vs_ort"] == pytest.approx(10.0 / 11.0)
    assert rows[0]["ratio_of_medians"] == pytest.approx(12.0 / 15.0)
    # Without per-round runs (an old bench.json) the ratio of the medians stands in.
    attach_ratios(rows, {}, 100.0)
    assert rows[0]["ratio_vs_ort"] == pytest.approx(12.0 / 15.0)


def test_bench_peak_loop_keeps_every_accumulator(tmp_path):
    """The bench's fp32 peak comes from a loop of 12 independent FMA chains; if the compiler
    merges chains that compute the same value, fewer FMAs run than are counted and the "peak"
    (and every "% of peak") is wrong. Count the FMAs the compiled loop really executes."""
    from ember import bench
    cc = shutil.which("cc") or shutil.which("gcc")
    objdump = shutil.which("objdump")
    if cc is None or objdump is None:
        pytest.skip("needs a C compiler and objdump to inspect the peak loop")
    src, exe = str(tmp_path / "peak.c"), str(tmp_path / "peak")
    (tmp_path / "peak.c").write_text(bench.PEAK_C)
    subprocess.check_call([cc, "-O2", "-mfma", "-mavx2", src, "-o", exe])
    asm = subprocess.check_output([objdump, "-d", "--no-show-raw-insn", exe]).decode()
    main = asm[asm.index("<main>:"):]
    main = main[:main.index("\n\n")] if "\n\n" in main else main
    assert main.count("vfmadd") == 12, main


def test_inspect_shows_which_calls_each_backend_took(tmp_path):
    path = str(tmp_path / "split.ember")
    ember.export(ConvCumsumConv().eval(), (torch.randn(1, 3, 12, 12),), backends=["cpu"]).save(path)
    from ember.inspect import inspect_program
    dels = inspect_program(path)["methods"][0]["delegates"]
    assert [d["backend"] for d in dels] == ["cpu", "cpu"]
    assert dels[0]["nodes"] == ["aten::convolution.default @ a", "aten::relu.default @ <root>"]
    assert dels[1]["nodes"][0] == "aten::convolution.default @ b"
    assert all(d["blob_bytes"] > 0 and d["arena_bytes"] > 0 for d in dels)
    out = subprocess.run([os.path.join(ROOT, "ember"), "inspect", path], capture_output=True, text=True,
                         timeout=120).stdout
    assert "delegate 0 -> cpu (2 calls" in out and "aten::convolution.default @ b" in out, out
    assert "1 calls on portable kernels" in out and "backend arena" in out, out
    # Both delegates' activations fit the method's scratch, sized for the larger of them.
    scratch = inspect_program(path)["methods"][0]["scratch_bytes"]
    assert scratch >= max(d["arena_bytes"] for d in dels), (scratch, dels)
    assert "0 bytes allocated at load beyond the plan" in out, out


def test_delegates_run_in_the_method_scratch(cpu_backend, tmp_path):
    """At run time every delegate's internal activations live in the method's planned scratch
    (shared: delegates run one at a time), not in memory the backend allocates at load."""
    model, x = ConvCumsumConv().eval(), torch.randn(1, 3, 12, 12)
    got, err = _run_in_fresh_process(tmp_path, model, (x,), EMBER_CPU_PROFILE="1")
    assert err.count("(method scratch)") == 2 and "own allocation" not in err, err[-3000:]
    with torch.no_grad():
        torch.testing.assert_close(got, model(x), rtol=1e-4, atol=1e-4)


_CHILD = r"""
import sys, torch, ember
torch.save(ember.load(sys.argv[1]).forward(*torch.load(sys.argv[2])), sys.argv[3])
"""


def _run_in_fresh_process(tmp_path, model, inputs, **env):
    """Exports `model` for the cpu backend and runs it on `inputs` in a new process with the
    EMBER_* switches in `env` (the backend reads them once per process). Returns the outputs
    and the child's stderr (where EMBER_CPU_PROFILE prints)."""
    path, x_path, y_path = (str(tmp_path / n) for n in ("child.ember", "x.pt", "y.pt"))
    ember.export(model, tuple(inputs), backends=["cpu"]).save(path)
    torch.save(tuple(inputs), x_path)
    (tmp_path / "child.py").write_text(_CHILD)
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"), **env)
    r = subprocess.run([sys.executable, str(tmp_path / "child.py"), path, x_path, y_path],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    return torch.load(y_path), r.stderr


def _skip_unless_cpu_has(isa, table="kernels"):
    """Forcing a kernel path the CPU lacks silently runs another: skip, saying why."""
    why = _isa_missing(isa, table)
    if why:
        pytest.skip(why)


@pytest.mark.parametrize("gemm", ["own", "xnnpack"])
@pytest.mark.parametrize("isa", ["generic", "avx2", "avx512"])
def test_dense_layer_paths_match_eager(cpu_backend, tmp_path, gemm, isa):
    """Dense convolutions / linear layers on Ember's GEMM (prepacked weights, every GEMM path)
    and on XNNPACK give eager's results; each runs in a fresh process since both choices are
    made once per process."""
    _skip_unless_cpu_has(isa, "gemm")
    class Dense(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2d(3, 20, 3, stride=2, padding=1)
            self.c2 = nn.Conv2d(20, 33, 1)
            self.c3 = nn.Conv2d(33, 17, (3, 5), padding=(2, 3), dilation=(2, 1))
            self.fc = nn.Linear(17 * 9 * 11, 37)

        def forward(self, x):
            x = F.relu(self.c1(x))
            x = torch.clamp(self.c2(x), -0.5, 0.5)
            return self.fc(torch.flatten(self.c3(x), 1))

    torch.manual_seed(0)
    model, x = Dense().eval(), torch.randn(2, 3, 17, 17)
    got, _ = _run_in_fresh_process(tmp_path, model, (x,), EMBER_CPU_GEMM=gemm, EMBER_PORTABLE_ISA=isa)
    with torch.no_grad():
        torch.testing.assert_close(got, model(x), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("threads", ["1", "2", "3"])
def test_dense_thread_splits_match_eager(cpu_backend, tmp_path, threads):
    """Layers big enough to be split over the pool, on Ember's GEMM: a late-stage convolution
    with few output pixels (columns split, weights shared), a wide one (row shares with one
    im2col slot per worker), a 1x1 convolution, and linear layers with few and many rows; 3
    threads on this machine gives uneven shares."""
    class Split(nn.Module):
        def __init__(self):
            super().__init__()
            self.wide = nn.Conv2d(16, 40, 3, padding=1)  # 30x30 pixels: row shares
            self.point = nn.Conv2d(40, 72, 1, stride=2)  # pointwise rows
            self.late = nn.Conv2d(72, 136, 3, stride=2, padding=1)  # 8x8 pixels: column split
            self.head = nn.Linear(136, 200)

        def forward(self, x, t):
            x = F.relu6(self.late(F.relu(self.point(F.relu(self.wide(x))))))
            return self.head(torch.flatten(x, 2).transpose(1, 2)), self.head(t)

    torch.manual_seed(0)
    model = Split().eval()
    x, t = torch.randn(1, 16, 30, 30), torch.randn(3, 136)
    got, _ = _run_in_fresh_process(tmp_path, model, (x, t), EMBER_CPU_GEMM="own", EMBER_NUM_THREADS=threads)
    with torch.no_grad():
        want = model(x, t)
    assert len(got) == 2
    for g, w in zip(got, want):
        torch.testing.assert_close(g, w, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("gemm", ["own", "xnnpack"])
@pytest.mark.parametrize("threads", ["1", "2"])
def test_residual_add_fuses_into_conv_and_linear(cpu_backend, tmp_path, gemm, threads):
    """A residual add (+ relu) after a convolution or linear layer is folded into that layer's
    store on both GEMM paths: no separate add runs (EMBER_CPU_PROFILE lists none), and the
    results match eager, with the operands in either order."""
    class Residual(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2d(24, 24, 3, padding=1)
            self.c2 = nn.Conv2d(24, 24, 1)
            self.fc = nn.Linear(24, 24)

        def forward(self, x):
            y = F.relu(self.c1(x) + x)  # conv + identity, then relu (resnet block tail)
            y = y + self.c2(y)  # residual first, no activation
            t = torch.flatten(y, 2).transpose(1, 2).reshape(196, 24)  # tokens
            return self.fc(t) + t  # transformer-style residual

    torch.manual_seed(0)
    model, x = Residual().eval(), torch.randn(1, 24, 14, 14)
    got, err = _run_in_fresh_process(tmp_path, model, (x,), EMBER_CPU_GEMM=gemm, EMBER_NUM_THREADS=threads,
                                     EMBER_CPU_PROFILE="1")
    assert "cpu backend profile" in err, err[-3000:]
    assert " x binary" not in err, err[-3000:]
    with torch.no_grad():
        torch.testing.assert_close(got, model(x), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("threads", ["1", "2"])
def test_linear_bias_of_a_4d_input_folds_into_the_product(cpu_backend, tmp_path, threads):
    """nn.Linear on a [1, H, W, C] input records mm + reshape + add(bias): the bias add folds into
    the product's store, and so does the GELU after it and the residual add (swin_t's MLP); no
    separate add or GELU runs. A constant that is not a vector over the output features stays a
    separate add."""
    class Mlp4d(nn.Module):
        def __init__(self):
            super().__init__()
            self.norm, self.fc1, self.fc2 = nn.LayerNorm(24), nn.Linear(24, 40), nn.Linear(40, 24)
            self.proj = nn.Linear(24, 24, bias=False)
            self.shift = nn.Parameter(torch.randn(1, 1, 1, 24))

        def forward(self, x):
            x = x + self.fc2(F.gelu(self.fc1(self.norm(x))))
            return self.proj(x) + self.shift  # a bias-free linear and a [1, 1, 1, N] constant

    class NotABias(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(24, 16, bias=False)
            # 16 values, as many as the features, but along W (16 wide): not a bias.
            self.table = nn.Parameter(torch.randn(16, 1))

        def forward(self, x):
            return self.fc(x) + self.table

    torch.manual_seed(0)
    x = torch.randn(1, 5, 7, 24)
    model = Mlp4d().eval()
    got, err = _run_in_fresh_process(tmp_path, model, (x,), EMBER_NUM_THREADS=threads, EMBER_CPU_PROFILE="1")
    assert "3 x fully_connected" in err, err[-3000:]
    assert " x binary" not in err and " x gelu" not in err, err[-3000:]
    with torch.no_grad():
        torch.testing.assert_close(got, model(x), rtol=1e-4, atol=1e-4)
    model, x = NotABias().eval(), torch.randn(1, 5, 16, 24)
    got, err = _run_in_fresh_process(tmp_path, model, (x,), EMBER_NUM_THREADS=threads, EMBER_CPU_PROFILE="1")
    assert "1 x binary" in err, err[-3000:]
    with torch.no_grad():
        torch.testing.assert_close(got, model(x), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("isa", ["scalar", "avx2", "avx512"])
def test_own_kernels_match_eager_on_each_isa(cpu_backend, tmp_path, isa):
    """The backend's own layer norm (vectorized partial sums, two passes) and GELU (erf and tanh
    forms) on each kernel table, for widths around the vector length and rows with a large
    mean (where a one-pass variance would cancel)."""
    _skip_unless_cpu_has(isa)
    class Ops(nn.Module):
        def __init__(self, d):
            super().__init__()
            self.ln = nn.LayerNorm(d)
            with torch.no_grad():
                self.ln.weight.uniform_(0.5, 1.5)
                self.ln.bias.uniform_(-0.5, 0.5)

        def forward(self, x):
            return self.ln(x), F.gelu(x), F.gelu(x, approximate="tanh")

    torch.manual_seed(0)
    for d in (1, 15, 17, 33, 768):
        model = Ops(d).eval()
        x = torch.randn(5, d) * 3
        x[1] += 1000.0  # large mean
        got, _ = _run_in_fresh_process(tmp_path, model, (x,), EMBER_CPU_ISA=isa)
        # Eager in float64: float32 eager itself drifts on the large-mean row (its mean is
        # rounded), by more than the tolerance.
        with torch.no_grad():
            want = [w.float() for w in model.double()(x.double())]
        for g, w in zip(got, want):
            torch.testing.assert_close(g, w, rtol=1e-4, atol=1e-4, msg=lambda m: f"d={d}: {m}")


def test_data_movement_ops_stay_in_one_delegate(cpu_backend, tmp_path):
    """Strided slices, constant padding (growing and cropping) and roll are claimed by the
    backend, so a swin-style block is one delegate instead of splitting at each of them."""
    class Shift(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(6, 6)

        def forward(self, x):
            y = torch.roll(self.fc(x), shifts=(-3, 2), dims=(1, 2))
            y = F.pad(y, (0, 0, 1, 2, -1, 4), value=0.5)
            z = torch.cat([y[:, 0::2, 0::2, :], y[:, 1::2, 1::2, :]], -1)
            return torch.roll(z, 5, 3) * 2.0

    torch.manual_seed(0)
    model, x = Shift().eval(), torch.randn(1, 9, 7, 6)
    prog = ember.export(model, (x,), backends=["cpu"])
    assert len(prog.delegate_blobs) == 1
    assert all(k.startswith("delegate") for k in prog.op_histogram()), prog.op_histogram()
    path = str(tmp_path / "shift.ember")
    prog.save(path)
    with torch.no_grad():
        torch.testing.assert_close(ember.load(path)(x), model(x), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("threads", ["1", "2", "3"])
def test_winograd_convolutions_match_eager(cpu_backend, tmp_path, threads):
    """3x3 stride-1 convolutions the backend runs by Winograd F(2x2, 3x3): odd and even output
    sizes (partial edge tiles), paddings 0-2, a batch of 2, channel counts off the vector width,
    fused bias, residual add and clamp; EMBER_CPU_PROFILE confirms the Winograd path ran."""
    class Convs(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Conv2d(19, 40, 3, padding=1)
            self.b = nn.Conv2d(40, 40, 3, padding=1)
            self.c = nn.Conv2d(40, 24, 3, padding=0)
            self.d = nn.Conv2d(24, 17, 3, padding=2)

        def forward(self, x):
            y = F.relu(self.a(x))
            y = F.relu6(self.b(y) + y)  # residual + clamp in the output transform
            return self.d(self.c(y))

    torch.manual_seed(0)
    model, x = Convs().eval(), torch.randn(2, 19, 23, 17)  # odd: partial tiles on both edges
    got, err = _run_in_fresh_process(tmp_path, model, (x,), EMBER_CPU_GEMM="own", EMBER_NUM_THREADS=threads,
                                     EMBER_CPU_PROFILE="2")
    assert err.count("winograd") == 4, err[-3000:]
    with torch.no_grad():
        torch.testing.assert_close(got, model(x), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("threads", ["1", "2", "3"])
def test_winograd_with_few_tiles_splits_output_channels(cpu_backend, tmp_path, threads):
    """A 7x7 output is 16 Winograd tiles, too few to share out by rows: with several workers the
    backend splits the output channels instead (72 of them: shares of 48 + 24 with 2 workers,
    32 + 32 + 8 with 3). Bias, residual add and clamp apply to each share's channels only."""
    class Few(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Conv2d(20, 72, 3, padding=1)
            self.b = nn.Conv2d(72, 72, 3, padding=1)

        def forward(self, x):
            y = F.relu(self.a(x))
            return F.relu6(self.b(y) + y)

    torch.manual_seed(0)
    model, x = Few().eval(), torch.randn(1, 20, 7, 7)
    got, err = _run_in_fresh_process(tmp_path, model, (x,), EMBER_CPU_GEMM="own", EMBER_NUM_THREADS=threads,
                                     EMBER_CPU_PROFILE="2")
    assert err.count("winograd") == 2, err[-3000:]
    with torch.no_grad():
        torch.testing.assert_close(got, model(x), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("isa", ["scalar", "avx2", "avx512"])
def test_gelu_accuracy_sweep(cpu_backend, tmp_path, isa):
    """GELU on a dense sweep of [-10, 10] against float64 eager, far tighter than the model
    tolerances: the erf form uses Ember's own rational erf (max abs error 3.8e-7), the tanh form
    Ember's exp."""
    _skip_unless_cpu_has(isa)
    class G(nn.Module):
        def forward(self, x):
            return F.gelu(x), F.gelu(x, approximate="tanh")

    x = torch.linspace(-10, 10, 40001).reshape(1, -1)
    got, _ = _run_in_fresh_process(tmp_path, G().eval(), (x,), EMBER_CPU_ISA=isa)
    xd = x.double()
    want = (F.gelu(xd), F.gelu(xd, approximate="tanh"))
    for g, w, name in zip(got, want, ("erf", "tanh")):
        err = (g.double() - w).abs().max().item()
        print(f"{isa} gelu {name}: max abs error {err:.2e}")
        assert err <= 2e-6, (name, err)


@pytest.mark.parametrize("isa,threads", [("scalar", "1"), ("avx2", "1"), ("avx2", "2"), ("avx512", "1"),
                                         ("avx512", "2")])
def test_depthwise_convolutions_match_eager(cpu_backend, tmp_path, isa, threads):
    """Depthwise convolutions on Ember's own kernel: 3x3, 5x5 and 7x7 filters, strides 1 and 2,
    paddings 0-3, dilation 2, channel counts that leave every channel-block tail (1, 7, 13, 40,
    72, 88: blocks of 4, 2 and 1 vectors (8 or 16 lanes) and a masked remainder), no bias, a
    batch of 2, fused ReLU6, and images narrower than the filter reach (only edge pixels).
    EMBER_CPU_PROFILE confirms that every one ran on the own kernel."""
    _skip_unless_cpu_has(isa)
    specs = [  # channels, kernel, stride, padding, dilation, bias
        (7, 3, 1, 1, 1, True), (40, 3, 2, 1, 1, True), (13, 5, 1, 2, 1, False),
        (72, 5, 2, 2, 1, True), (1, 3, 1, 0, 1, True), (40, 7, 1, 3, 1, True),
        (13, 3, 1, 2, 2, True), (72, 3, 1, 1, 1, True), (88, 3, 1, 1, 1, True),
    ]

    class Depthwise(nn.Module):
        def __init__(self):
            super().__init__()
            self.convs = nn.ModuleList(
                nn.Conv2d(c, c, k, stride=s, padding=p, dilation=d, groups=c, bias=b)
                for c, k, s, p, d, b in specs)

        def forward(self, *xs):
            return tuple(F.relu6(conv(x)) if i % 2 else conv(x)
                         for i, (conv, x) in enumerate(zip(self.convs, xs)))

    torch.manual_seed(0)
    sizes = [(11, 9), (12, 17), (9, 10), (14, 13), (5, 4), (6, 5), (8, 11), (3, 2), (7, 8)]
    xs = tuple(torch.randn(2, c, h, w) for (c, *_), (h, w) in zip(specs, sizes))
    model = _randomize(Depthwise().eval())
    got, err = _run_in_fresh_process(tmp_path, model, xs, EMBER_CPU_ISA=isa, EMBER_NUM_THREADS=threads,
                                     EMBER_CPU_PROFILE="2")
    assert err.count(" depthwise ") == len(specs), err[-3000:]
    with torch.no_grad():
        want = model(*xs)
    for g, w in zip(got, want):
        torch.testing.assert_close(g, w, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("fuse,threads", [("1", "1"), ("1", "2"), ("1", "3"), ("0", "2")])
def test_pointwise_depthwise_fusion_matches_eager(cpu_backend, tmp_path, fuse, threads):
    """A 1x1 convolution whose large output (>= 2 MB) only the depthwise convolution after it
    reads is computed inside that depthwise node, row by row through a ring buffer: stride 2
    with ReLU6 on both, a 5x5 filter without bias after a ReLU, a batch of 2 (the ring restarts
    per image) and 1-3 threads (bands recompute the rows they share). A 1x1 output that is read
    twice is not fused. EMBER_CPU_FUSE=0 runs the same program unfused."""
    class Blocks(nn.Module):
        def __init__(self):
            super().__init__()
            self.pa, self.da = nn.Conv2d(8, 64, 1), nn.Conv2d(64, 64, 3, 2, 1, groups=64)
            self.pb = nn.Conv2d(64, 256, 1)
            self.db = nn.Conv2d(256, 256, 5, padding=2, groups=256, bias=False)
            self.pc, self.dc = nn.Conv2d(256, 256, 1), nn.Conv2d(256, 256, 3, 1, 1, groups=256)

        def forward(self, x):
            y = F.relu6(self.da(F.relu6(self.pa(x))))
            y = self.db(F.relu(self.pb(y)))
            e = self.pc(y)
            return torch.cat([self.dc(e), e], 1)

    torch.manual_seed(0)
    model, x = Blocks().eval(), torch.randn(2, 8, 96, 94)
    got, err = _run_in_fresh_process(tmp_path, model, (x,), EMBER_CPU_FUSE=fuse,
                                     EMBER_NUM_THREADS=threads, EMBER_CPU_PROFILE="2")
    assert err.count(" depthwise") == 3, err[-3000:]
    assert err.count("(+ pointwise before)") == (2 if fuse == "1" else 0), err[-3000:]
    with torch.no_grad():
        torch.testing.assert_close(got, model(x), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("isa,gemm,depthwise", [("scalar", "own", "1"), ("avx2", "own", "1"),
                                               ("avx2", "xnnpack", "0"), ("avx512", "own", "1")])
def test_hardswish_folds_into_the_layer_before(cpu_backend, tmp_path, isa, gemm, depthwise):
    """The exporter folds a hardswish into the convolution or linear layer before it: after a
    3x3 convolution, a depthwise convolution, a linear layer, a convolution with a fused
    residual add, and a large 1x1 convolution that the backend then also fuses into the
    depthwise after it. The activation runs in the layer's epilogue (own GEMM, own depthwise) or
    as an in-place operator after XNNPACK's (EMBER_CPU_GEMM=xnnpack, EMBER_CPU_DEPTHWISE=0). A
    hardswish whose input is read twice stays a node."""
    _skip_unless_cpu_has(isa)
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(3, 16, 3, 2, 1)
            self.dw = nn.Conv2d(16, 16, 3, 1, 1, groups=16)
            self.pw = nn.Conv2d(16, 16, 1)
            self.expand = nn.Conv2d(16, 96, 1)
            self.dw2 = nn.Conv2d(96, 96, 5, 2, 2, groups=96)
            self.fc, self.fc2 = nn.Linear(96, 40), nn.Linear(96, 24)

        def forward(self, x):
            y = F.hardswish(self.stem(x))
            y = F.hardswish(self.dw(y))
            y = F.hardswish(self.pw(y) + y)
            y = F.hardswish(self.dw2(F.hardswish(self.expand(y))))
            z = y.mean((2, 3))
            e = self.fc2(z)
            return F.hardswish(self.fc(z)), F.hardswish(e) * e

    torch.manual_seed(0)
    model, x = Net().eval(), torch.randn(1, 3, 170, 166) * 3  # 85x83x96 expanded: 2.7 MB
    got, err = _run_in_fresh_process(tmp_path, model, (x,), EMBER_CPU_ISA=isa, EMBER_CPU_GEMM=gemm,
                                     EMBER_CPU_DEPTHWISE=depthwise, EMBER_CPU_PROFILE="2")
    assert err.count("ms hardswish") == 1, err[-3000:]
    fused = gemm == "own" and depthwise == "1"
    assert err.count("(+ pointwise before)") == int(fused), err[-3000:]
    with torch.no_grad():
        want = model(x)
    for g, w in zip(got, want):
        torch.testing.assert_close(g, w, rtol=1e-4, atol=1e-4)


def test_layer_compare_tool_lines_up_layers(cpu_backend, tmp_path):
    """tools/layer_compare.py (per-layer Ember vs ONNX Runtime) runs and lines up one row per
    convolution / linear layer of each runtime."""
    if not os.path.exists(os.path.join(ROOT, ".deps", "npm", "node_modules", "onnxruntime-node")):
        pytest.skip("onnxruntime-node is not installed (scripts/setup_bench.sh installs it)")
    torch.manual_seed(0)
    model, x = _randomize(SmallCNN()), torch.randn(1, 3, 32, 32)
    em, onnx = str(tmp_path / "m.ember"), str(tmp_path / "m.onnx")
    ember.export(model, (x,), backends=["cpu"]).save(em)
    torch.onnx.export(model, (x,), onnx, opset_version=14)
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "layer_compare.py"), em, onnx, "--shape", "1,3,32,32",
                        "--rounds", "1", "--iterations", "2"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    rows = [line for line in r.stdout.splitlines() if re.match(r"\s*\d+\s", line)]
    n_layers = sum(isinstance(m, (nn.Conv2d, nn.Linear)) for m in model.modules())
    assert len(rows) == n_layers, r.stdout
    assert all("conv" in row or "fully_connected" in row for row in rows), r.stdout
    assert r.stdout.splitlines()[-1].startswith("sum"), r.stdout


def _backend_ops(program) -> collections.Counter:
    """Node ops of every cpu-backend blob of a program (cpu.py's node_ops)."""
    from ember.backends.cpu import node_ops
    return collections.Counter(op for _, blob in program.delegate_blobs for op in node_ops(blob))


class SelfAttention(nn.Module):
    """Multi-head self-attention written out as vision transformers do: one qkv projection
    split into heads, the query scaled, softmax(q k^T) v, heads put back side by side.
    `reuse` also returns the attention probabilities (so they must stay a tensor)."""

    def __init__(self, dim=48, heads=4, reuse=False, divide=False):
        super().__init__()
        self.h, self.reuse, self.divide = heads, reuse, divide
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, T, C = x.shape
        d = C // self.h
        qkv = self.qkv(x).reshape(B, T, 3, self.h, d).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        q = q / math.sqrt(d) if self.divide else q * d ** -0.5
        a = torch.bmm(q.reshape(B * self.h, T, d), k.reshape(B * self.h, T, d).transpose(1, 2))
        p = a.softmax(-1)
        o = torch.bmm(p, v.reshape(B * self.h, T, d))
        y = self.proj(o.reshape(B, self.h, T, d).transpose(1, 2).reshape(B, T, C))
        return (y, p) if self.reuse else y


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("isa", ["scalar", "avx2", "avx512"])
def test_attention_fuses_and_matches_eager(cpu_backend, tmp_path, isa, threads):
    """bmm -> softmax -> bmm becomes one ATTENTION node reading the heads of the qkv projection
    in place; checked at several thread counts and on the scalar kernels (EMBER_CPU_ISA)."""
    _skip_unless_cpu_has(isa)
    torch.manual_seed(0)
    model, x = SelfAttention(divide=threads == 2).eval(), torch.randn(2, 19, 48)
    prog = ember.export(model, (x,), backends=["cpu"])
    ops = _backend_ops(prog)
    assert ops["attention"] == 1 and ops["bmm"] == 0 and ops["softmax"] == 0, ops
    assert ops["affine"] == 0, ops  # the query scale went into the attention
    path = str(tmp_path / "attn.ember")
    prog.save(path)
    env = dict(os.environ, EMBER_NUM_THREADS=str(threads), EMBER_CPU_ISA=isa,
               PYTHONPATH=os.path.join(ROOT, "python"))
    torch.save(x, str(tmp_path / "x.pt"))
    code = ("import sys, torch, ember; x = torch.load(sys.argv[2]); "
            "torch.save(ember.load(sys.argv[1])(x), sys.argv[3])")
    subprocess.check_call([sys.executable, "-c", code, path, str(tmp_path / "x.pt"), str(tmp_path / "y.pt")],
                          env=env)
    with torch.no_grad():
        torch.testing.assert_close(torch.load(str(tmp_path / "y.pt")), model(x), rtol=1e-4, atol=1e-5)


class MixedLayoutAttention(nn.Module):
    """Queries from packed heads ((batch, head) strides differ), keys and values from tensors
    whose [batch * heads] dim is one stride, and an output transposed back: every operand layout
    the ATTENTION node takes at once."""

    def __init__(self, dim=24, heads=3):
        super().__init__()
        self.h = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)

    def forward(self, x):
        B, T, C = x.shape
        d = C // self.h
        q = self.q(x).reshape(B, T, self.h, d).transpose(1, 2).reshape(B * self.h, T, d)
        k, v = self.kv(x).reshape(B * self.h, T, 2 * d).chunk(2, dim=-1)
        o = torch.bmm(q * 0.5, k.transpose(1, 2)).softmax(-1).bmm(v)
        return o.reshape(B, self.h, T, d).permute(0, 2, 1, 3).reshape(B, T, C)


def test_attention_mixed_operand_layouts(cpu_backend, tmp_path):
    torch.manual_seed(0)
    prog = _check(MixedLayoutAttention().eval(), (torch.randn(2, 7, 24),), tmp_path, "attn_mixed")
    ops = _backend_ops(prog)
    assert ops["attention"] == 1 and ops["permute"] + ops["box_copy"] == 0, ops


def test_attention_probabilities_used_elsewhere_stay_unfused(cpu_backend, tmp_path):
    """When the softmax output is also a model output, the scores must exist as a tensor: the
    pattern is left to BMM, SOFTMAX and BMM nodes, and the scale is applied on its own."""
    torch.manual_seed(0)
    prog = _check(SelfAttention(reuse=True).eval(), (torch.randn(1, 7, 48),), tmp_path, "attn_reuse")
    ops = _backend_ops(prog)
    assert ops["attention"] == 0 and ops["bmm"] == 2 and ops["softmax"] == 1, ops


def test_torch_multihead_attention_fuses(cpu_backend, tmp_path):
    """nn.MultiheadAttention (as torchvision's ViT uses it) fuses; the transpose that puts the
    heads back together is written by the attention node itself."""
    torch.manual_seed(0)
    mha = nn.MultiheadAttention(32, 4).eval()

    class SelfMha(nn.Module):
        def __init__(self):
            super().__init__()
            self.mha = mha

        def forward(self, x):
            return self.mha(x, x, x, need_weights=False)[0]

    prog = _check(SelfMha().eval(), (torch.randn(9, 2, 32),), tmp_path, "mha")
    ops = _backend_ops(prog)
    assert ops["attention"] == 1 and ops["bmm"] == 0, ops
    assert ops["permute"] + ops["box_copy"] <= 1, ops  # at most the input's batch transpose


def test_tiny_vit_attention_and_views_compile_away(cpu_backend, tmp_path):
    """Every encoder block of a ViT has one ATTENTION node and no per-head copies."""
    from torchvision.models.vision_transformer import VisionTransformer

    torch.manual_seed(0)
    m = VisionTransformer(image_size=32, patch_size=8, num_layers=3, num_heads=4, hidden_dim=64, mlp_dim=128,
                          num_classes=10).eval()
    nn.init.normal_(m.heads.head.weight, std=0.1)
    prog = _check(m, (torch.randn(1, 3, 32, 32),), tmp_path, "vit_ops")
    ops = _backend_ops(prog)
    assert ops["attention"] == 3 and ops["slice"] == 0, ops
    assert ops["permute"] + ops["box_copy"] <= 2, ops  # the patch embedding's, not per block
    # Both residual adds of every block fold into the projection before them (seen through the
    # reshape back to [1, tokens, features] and MHA's transpose of a batch of one): only the
    # position embedding's add is left. Each MLP's GELU folds into its first linear.
    assert ops["binary"] == 1 and ops["gelu"] == 0, ops


def test_gelu_folds_into_the_linear_before_it(cpu_backend, tmp_path):
    """An exact GELU that is a linear's only consumer is computed in the FC node's store; the tanh
    approximation, and a GELU of a linear output that is also used elsewhere, stay GELU nodes.
    All match eager (the fused one on large pre-activations too, where GELU is x or 0)."""

    class Mlps(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b, self.c = nn.Linear(16, 40), nn.Linear(40, 24), nn.Linear(24, 24)

        def forward(self, x):
            h = F.gelu(self.a(x))  # folds
            t = F.gelu(self.b(h), approximate="tanh")  # tanh form: stays a node
            u = self.c(t)
            return F.gelu(u) + u  # u is used twice: stays a node

    torch.manual_seed(0)
    m = Mlps().eval()
    nn.init.normal_(m.a.weight, std=2.0)  # pre-activations out to about +-20
    prog = _check(m, (torch.randn(7, 16),), tmp_path, "gelu_fold")
    ops = _backend_ops(prog)
    assert ops["fc"] == 3 and ops["gelu"] == 2, ops


def test_hostile_fc_activation_is_rejected(cpu_backend, tmp_path):
    """An FC node with an activation code the runtime does not know fails to load with it."""
    import struct
    from ember.backends.cpu import OP, node_table

    prog = ember.export(nn.Sequential(nn.Linear(8, 4), nn.GELU()).eval(), (torch.randn(5, 8),),
                        backends=["cpu"])
    name, blob = prog.delegate_blobs[0]
    (ints,) = [n.ints for n in node_table(blob) if n.op == OP["FC"]]
    assert struct.unpack_from("<q", blob, ints + 16)[0] == 2  # the GELU folded in
    bad = bytearray(blob)
    struct.pack_into("<q", bad, ints + 16, 3)
    prog.delegate_blobs[0] = (name, bytes(bad))
    path = str(tmp_path / "bad.ember")
    prog.save(path)
    with pytest.raises(RuntimeError, match="fc: unknown activation 3"):
        ember.load(path)(torch.randn(5, 8))


def test_residual_add_folds_through_order_keeping_views(cpu_backend, tmp_path):
    """A linear's residual add after views that keep the element order (a linear on 3-D input
    is reshape, addmm, reshape) folds into the FC node; after a transpose that reorders the
    elements it stays an add of its own. Both match eager."""

    class Blocks(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b, self.c = nn.Linear(6, 6), nn.Linear(6, 6), nn.Linear(6, 6)

        def forward(self, x):  # [1, 6, 6]
            y = x + self.a(x)  # folds
            z = self.b(y).transpose(1, 2) + y  # reorders: does not fold
            return z + self.c(z.reshape(6, 6)).reshape(1, 36).reshape(1, 6, 6)  # folds

    torch.manual_seed(0)
    prog = _check(Blocks().eval(), (torch.randn(1, 6, 6),), tmp_path, "residual_views")
    ops = _backend_ops(prog)
    assert ops["fc"] == 3 and ops["binary"] == 1, ops


class Views(nn.Module):
    """Reshapes, permutes, splits, selects, strided slices, narrows and squeezes chained so that
    some compose to no copy, some to one, and roll/pad read a non-contiguous input."""

    def forward(self, x):  # x [2, 6, 5, 8]
        a = x.transpose(1, 2).transpose(1, 2) + 1.0  # back to x: no copy
        b = x.permute(0, 2, 3, 1).reshape(2, 5, 48)  # needs one copy
        c0, c1 = x.chunk(2, dim=1)  # [2, 3, 5, 8] each
        d = c1[:, 1].flatten(1)  # select, then a reshape of a non-contiguous view: one copy
        e = x[:, ::2, 1:4, ::3].unsqueeze(0).squeeze(0) * 2.0  # strided slices
        f = torch.roll(x.transpose(2, 3), shifts=2, dims=1)  # roll of a permuted view
        g = F.pad(x.narrow(3, 2, 5).transpose(1, 3), (1, 2), value=-1.0)
        h = x.reshape(2, 30, 8)[:, 7:20].transpose(0, 1)  # contiguous row block, then a permute
        return a, b, c0 - 1.0, d, e, f, g, h[0] * 1.0 + h[3]


def test_views_compose_and_match_eager(cpu_backend, tmp_path):
    torch.manual_seed(0)
    prog = _check(Views().eval(), (torch.randn(2, 6, 5, 8),), tmp_path, "views")
    ops = _backend_ops(prog)
    assert ops["slice"] == 0, ops
    # One copy per value a consumer needs contiguous: b, c0, d, e, h[0], h[3], plus the roll (f)
    # and the pad (g) themselves reading their permuted inputs in place; a costs none.
    assert ops["permute"] + ops["box_copy"] == 8, ops


@pytest.mark.parametrize("seed", range(4))
def test_view_reshape_rule_matches_torch_view(seed):
    """cpu.py's reshape of a strided view addresses the same elements as torch.reshape, and has
    one stride per dim exactly when torch.Tensor.view succeeds (PyTorch's stride rules as the
    reference); where view fails it keeps the merged dims as sub-dims instead of copying."""
    from ember.backends.cpu import _View

    g = torch.Generator().manual_seed(seed)
    grouped = simple = 0
    for _ in range(300):
        nd = int(torch.randint(1, 5, (1,), generator=g))
        shape = [int(s) for s in torch.randint(1, 4, (nd,), generator=g)]
        base = torch.arange(math.prod(shape)).reshape(shape)
        t = base.permute(torch.randperm(nd, generator=g).tolist())
        if torch.rand(1, generator=g) < 0.3 and t.shape[-1] > 1:
            t = t[..., 1:]
        # A random factorization of numel into up to 4 dims.
        dims, rest = [], t.numel()
        for _ in range(int(torch.randint(1, 4, (1,), generator=g))):
            divs = [k for k in range(1, rest + 1) if rest % k == 0]
            k = divs[int(torch.randint(len(divs), (1,), generator=g))]
            dims.append(k)
            rest //= k
        new = dims + [rest]
        v = _View.of(0, t.storage_offset(), t.shape, t.stride()).reshaped(new)
        try:
            t.view(new)
            viewable = True
        except RuntimeError:
            viewable = False
        if v is None:  # sizes that do not factor through the sub-dims: torch.view fails too
            assert not viewable
            continue
        assert torch.equal(v.gather(base.reshape(-1)), t.reshape(new)), (list(t.shape), t.stride(), new)
        assert (v.strides() is not None) == viewable, (list(t.shape), t.stride(), new)
        simple += viewable
        grouped += not viewable
    assert simple > 50 and grouped > 20, (simple, grouped)


def test_hostile_fc_output_size_is_rejected(cpu_backend, tmp_path):
    """An FC node whose output tensor holds fewer rows than the product writes fails to load
    with the reason, instead of writing past the tensor."""
    import struct
    from ember.backends.cpu import OP, node_table, tensor_table

    torch.manual_seed(0)
    prog = ember.export(nn.Linear(8, 4).eval(), (torch.randn(5, 8),), backends=["cpu"])
    name, blob = prog.delegate_blobs[0]
    (fc,) = [n for n in node_table(blob) if n.op == OP["FC"]]
    y = tensor_table(blob)[fc.outputs[0]]
    assert y.rank == 2 and struct.unpack_from("<q", blob, y.dims)[0] == 5  # [5, 4]
    bad = bytearray(blob)
    struct.pack_into("<q", bad, y.dims, 2)  # room for 2 of the 5 rows
    prog.delegate_blobs[0] = (name, bytes(bad))
    path = str(tmp_path / "bad.ember")
    prog.save(path)
    with pytest.raises(RuntimeError, match="fc: output of 8 elements for 5 rows of 4"):
        ember.load(path)(torch.randn(5, 8))


@pytest.mark.parametrize("field,value,message", [
    (6, 1 << 40, "attention: operand out of range"),  # q offset
    (8, -1, "attention: operand out of range"),  # a negative head stride
    (1, 5, "attention: bad head count"),  # heads not dividing the batch
    (25, 0, "attention: output rows must be contiguous"),  # o.s element stride
])
def test_hostile_attention_node_is_rejected(cpu_backend, tmp_path, field, value, message):
    """An ATTENTION node whose strides reach outside its tensors fails to load with the reason."""
    import struct
    from ember.backends.cpu import OP, node_table

    torch.manual_seed(0)
    prog = ember.export(SelfAttention().eval(), (torch.randn(1, 5, 48),), backends=["cpu"])
    name, blob = prog.delegate_blobs[0]
    (at,) = [n.ints for n in node_table(blob) if n.op == OP["ATTENTION"]]
    bad = bytearray(blob)
    struct.pack_into("<q", bad, at + 8 * field, value)
    prog.delegate_blobs[0] = (name, bytes(bad))
    path = str(tmp_path / "bad.ember")
    prog.save(path)
    with pytest.raises(RuntimeError, match=message):
        ember.load(path)(torch.randn(1, 5, 48))


def test_shifted_window_transformer_is_one_delegate(cpu_backend, tmp_path):
    """A Swin block's shifted-window mask is built from shapes (new_zeros, slice assignments,
    masked_fill): it folds to a constant at export, so the whole model is one cpu delegate
    instead of three around portable mask ops."""
    from torchvision.models.swin_transformer import SwinTransformer

    torch.manual_seed(0)
    m = SwinTransformer(patch_size=[4, 4], embed_dim=32, depths=[2], num_heads=[2], window_size=[4, 4],
                        num_classes=10).eval()
    nn.init.normal_(m.head.weight, std=0.1)
    prog = _check(m, (torch.randn(1, 3, 32, 32),), tmp_path, "swin_block")
    assert len(prog.delegate_blobs) == 1
