"""Kernel edge cases run by the ASan/UBSan build of ember-run (build-san/, made by
scripts/test.sh): out-of-bounds reads or writes that happen to give right answers in the
normal build (e.g. into a GEMM's stack panel) show up here as sanitizer reports."""
import os
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


CASES = [
    ("aspp_28", lambda: Aspp(), (1, 40, 28, 28)),
    ("aspp_5", lambda: Aspp(), (1, 40, 5, 7)),
    ("strided_dilated", lambda: nn.Conv2d(5, 7, 3, stride=3, padding=7, dilation=5), (1, 5, 19, 23)),
    ("grouped_padded", lambda: nn.Conv2d(6, 9, (2, 5), stride=(2, 1), padding=(3, 9), groups=3), (2, 6, 9, 4)),
    ("conv1d_wide_pad", lambda: nn.Conv1d(3, 4, 7, padding=20, dilation=3), (1, 3, 11)),
    ("conv_transpose", lambda: nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1), (1, 4, 7, 5)),
    ("conv3d_padded", lambda: nn.Conv3d(2, 3, 3, padding=4, dilation=2), (1, 2, 3, 4, 5)),
    ("linear_odd", lambda: nn.Linear(37, 65), (3, 5, 37)),
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
