"""Kernel edge cases run by the ASan/UBSan build of ember-run (build-san/, made by
scripts/test.sh): out-of-bounds reads or writes that happen to give right answers in the
normal build (e.g. into a GEMM's stack panel) show up here as sanitizer reports."""
import os
import struct
import subprocess

import numpy as np
import pytest
import torch
import torch.nn as nn

import ember
from helpers import assert_close_scaled

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAN_RUN = os.path.join(os.environ.get("EMBER_SAN_BUILD_DIR", os.path.join(ROOT, "build-san")), "bin", "ember-run")
SAN_ENV = {"ASAN_OPTIONS": "detect_leaks=1:exitcode=86", "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:exitcode=86"}


class Aspp(nn.Module):
    """deeplabv3's atrous pyramid: dilations whose padding exceeds the feature map."""

    def __init__(self, c=40):  # c * 9 taps > the GEMM's K block: panels fill the whole buffer
        super().__init__()
        self.branches = nn.ModuleList([nn.Conv2d(c, 8, 1)] + [nn.Conv2d(c, 8, 3, padding=d, dilation=d)
                                                              for d in (12, 24, 36)])

    def forward(self, x):
        return torch.cat([b(x) for b in self.branches], 1)


class Shuffle(nn.Module):
    """Swin-style data movement: strided slices, padding (growing and cropping), roll."""

    def forward(self, x):
        y = torch.roll(x, shifts=(-3, 2), dims=(1, 2))
        y = torch.nn.functional.pad(y, (0, 0, 1, 2, -1, 4), value=0.5)
        z = torch.cat([y[:, 0::2, 0::2, :], y[:, 1::2, 1::2, :]], -1)
        return torch.roll(z, 5, 3) + 1.0


CASES = [
    ("shuffle", lambda: Shuffle(), (1, 9, 7, 6)),
    ("winograd_odd", lambda: nn.Conv2d(19, 24, 3, padding=2), (2, 19, 13, 11)),  # cpu backend: Winograd
    # 16 Winograd tiles: with several workers (the machine's cores) split by output channels.
    ("winograd_few_tiles", lambda: nn.Conv2d(20, 72, 3, padding=1), (1, 20, 7, 7)),
    ("aspp_28", lambda: Aspp(), (1, 40, 28, 28)),
    ("aspp_5", lambda: Aspp(), (1, 40, 5, 7)),
    ("strided_dilated", lambda: nn.Conv2d(5, 7, 3, stride=3, padding=7, dilation=5), (1, 5, 19, 23)),
    ("grouped_padded", lambda: nn.Conv2d(6, 9, (2, 5), stride=(2, 1), padding=(3, 9), groups=3), (2, 6, 9, 4)),
    ("conv1d_wide_pad", lambda: nn.Conv1d(3, 4, 7, padding=20, dilation=3), (1, 3, 11)),
    ("conv_transpose", lambda: nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1), (1, 4, 7, 5)),
    ("conv3d_padded", lambda: nn.Conv3d(2, 3, 3, padding=4, dilation=2), (1, 2, 3, 4, 5)),
    ("linear_odd", lambda: nn.Linear(37, 65), (3, 5, 37)),
    # cpu backend's own depthwise kernel: padding past the dilated filter, images narrower than
    # the filter, a masked channel tail, hardswish folded in.
    ("depthwise_edges", lambda: nn.Conv2d(13, 13, 5, stride=2, padding=4, dilation=2, groups=13), (2, 13, 9, 7)),
    ("depthwise_narrow", lambda: nn.Sequential(nn.Conv2d(72, 72, 7, padding=3, groups=72), nn.Hardswish()),
     (1, 72, 3, 2)),
    # 1x1 -> depthwise fused through a ring of rows (the expanded activation is 2.5 MB).
    ("pointwise_depthwise", lambda: nn.Sequential(nn.Conv2d(8, 64, 1), nn.ReLU6(),
                                                  nn.Conv2d(64, 64, 3, stride=2, padding=1, groups=64)),
     (2, 8, 96, 50)),
]


@pytest.mark.parametrize("backend", ["portable", "cpu-own-gemm", "cpu-xnnpack"])
@pytest.mark.parametrize("name,factory,shape", CASES, ids=[c[0] for c in CASES])
def test_kernel_edge_cases_under_sanitizers(name, factory, shape, backend, tmp_path):
    if not os.path.exists(SAN_RUN):
        pytest.skip(f"no sanitizer build of ember-run at {SAN_RUN}: scripts/test.sh builds it (clang, -DEMBER_SANITIZE=ON)")
    torch.manual_seed(0)
    model = factory().eval()
    x = torch.randn(*shape)
    path, x_path, out_dir = str(tmp_path / "m.ember"), str(tmp_path / "x.npy"), str(tmp_path / "out")
    ember.export(model, (x,), backends=None if backend == "portable" else ["cpu"]).save(path)
    np.save(x_path, x.numpy())
    env = dict(os.environ, **SAN_ENV)
    if backend != "portable":
        # Both ways the cpu backend runs dense layers (dense.h): Ember's GEMM or XNNPACK's.
        env["EMBER_CPU_GEMM"] = "own" if backend == "cpu-own-gemm" else "xnnpack"
    r = subprocess.run([SAN_RUN, "--model", path, "--input", x_path, "--output-dir", out_dir, "--iterations", "1",
                        "--warmup", "0"], capture_output=True, text=True, timeout=120, env=env)
    if r.returncode != 0 and "backend 'cpu'" in r.stderr:
        pytest.skip("the sanitizer build has no cpu backend (libxnnpack-dev missing)")
    assert r.returncode == 0, f"{name}: exit {r.returncode}\n{r.stderr[-4000:]}"
    with torch.no_grad():
        ref = model(x)
    assert_close_scaled(torch.from_numpy(np.load(os.path.join(out_dir, "output_0.npy"))), ref)


# The blob's node table (python/ember/backends/cpu.py): header, tensors, then nodes.
def _node_int_offsets(blob: bytes, ops):
    """(op, byte offset of each int64 field) of every node whose op is in `ops`."""
    from ember.backends.cpu import node_table
    return [(n.op, [n.ints + 8 * k for k in range(n.nint)]) for n in node_table(blob) if n.op in ops]


def test_hostile_copy_node_fields_are_rejected_cleanly(tmp_path):
    """Every int of the cpu backend's copy nodes (BOX_COPY 29, SLICE 26, CAT 25) set to hostile
    values: the sanitized runtime rejects the blob or runs in bounds, never crashes."""
    if not os.path.exists(SAN_RUN):
        pytest.skip(f"no sanitizer build of ember-run at {SAN_RUN}: scripts/test.sh builds it (clang, -DEMBER_SANITIZE=ON)")
    torch.manual_seed(0)
    x = torch.randn(1, 9, 7, 6)
    prog = ember.export(Shuffle().eval(), (x,), backends=["cpu"])
    assert len(prog.delegate_blobs) == 1, "the data-movement model should be one cpu delegate"
    name, blob = prog.delegate_blobs[0]
    fields = _node_int_offsets(blob, {25, 26, 29})
    assert {op for op, _ in fields} >= {25, 29}, fields
    x_path = str(tmp_path / "x.npy")
    np.save(x_path, x.numpy())
    env = dict(os.environ, **SAN_ENV)
    rejected = ran = 0
    for op, offsets in fields:
        for off in offsets[:40]:  # headers and the first boxes cover every kind of field
            for value in (-1, 1 << 40):
                bad = bytearray(blob)
                struct.pack_into("<q", bad, off, value)
                prog.delegate_blobs[0] = (name, bytes(bad))
                path = str(tmp_path / "bad.ember")
                prog.save(path)
                r = subprocess.run([SAN_RUN, "--model", path, "--input", x_path, "--iterations", "1", "--warmup",
                                    "0"], capture_output=True, text=True, timeout=60, env=env)
                if r.returncode == 0:
                    ran += 1
                    continue
                if "backend 'cpu'" in r.stderr and "without" in r.stderr:
                    pytest.skip("the sanitizer build has no cpu backend (libxnnpack-dev missing)")
                assert r.returncode == 1 and "backend 'cpu' rejected its blob" in r.stderr, \
                    f"op {op} field @{off} = {value}: exit {r.returncode}\n{r.stderr[-3000:]}"
                rejected += 1
    prog.delegate_blobs[0] = (name, blob)
    print(f"hostile copy-node fields: {rejected} rejected, {ran} ran in bounds")
    assert rejected > 0
