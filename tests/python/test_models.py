"""Model conformance: exported programs run by the C++ runtime match eager PyTorch.

Outputs must match within rtol 1e-4 and atol 1e-4 relative to the output's scale. The
default run covers small inputs; full-size zoo models are marked slow (--runslow)."""
import pytest
import torch
import torchvision

import ember

from helpers import assert_close_scaled, export_and_run, randomize_norm_statistics

tv = torchvision.models
seg = torchvision.models.segmentation


class MHA(torch.nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.attn = torch.nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, q, kv):
        out, weights = self.attn(q, kv, kv)
        return out, weights


def _seg(fn):
    return lambda: fn(weights=None, weights_backbone=None, aux_loss=False)


# (name, factory, input shapes)
FAST = [
    ("mobilenet_v2_96", lambda: tv.mobilenet_v2(), [(1, 3, 96, 96)]),
    ("mobilenet_v3_small_96", lambda: tv.mobilenet_v3_small(), [(1, 3, 96, 96)]),
    ("resnet18_64", lambda: tv.resnet18(), [(1, 3, 64, 64)]),
    ("transformer_encoder_layer", lambda: torch.nn.TransformerEncoderLayer(64, 4, 128, batch_first=True), [(2, 12, 64)]),
    ("transformer_encoder_layer_norm_first_gelu",
     lambda: torch.nn.TransformerEncoderLayer(64, 4, 128, activation="gelu", norm_first=True), [(12, 2, 64)]),
    ("multihead_attention", lambda: MHA(), [(2, 7, 64), (2, 11, 64)]),
    ("conv1d_audio", lambda: torch.nn.Sequential(torch.nn.Conv1d(1, 8, 9, stride=4, padding=4), torch.nn.GELU(),
                                                 torch.nn.Conv1d(8, 16, 5, dilation=2), torch.nn.GroupNorm(4, 16),
                                                 torch.nn.SiLU(), torch.nn.AdaptiveAvgPool1d(1)), [(1, 1, 1600)]),
    ("lstm_free_mlp", lambda: torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.LayerNorm(32), torch.nn.Tanh(),
                                                  torch.nn.Linear(32, 4), torch.nn.LogSoftmax(-1)), [(5, 16)]),
]

FULL = [
    ("mobilenet_v2", lambda: tv.mobilenet_v2(), [(1, 3, 224, 224)]),
    ("mobilenet_v3_small", lambda: tv.mobilenet_v3_small(), [(1, 3, 224, 224)]),
    ("mobilenet_v3_large", lambda: tv.mobilenet_v3_large(), [(1, 3, 224, 224)]),
    ("resnet18", lambda: tv.resnet18(), [(1, 3, 224, 224)]),
    ("resnet50", lambda: tv.resnet50(), [(1, 3, 224, 224)]),
    ("efficientnet_b0", lambda: tv.efficientnet_b0(), [(1, 3, 224, 224)]),
    ("vit_b_16", lambda: tv.vit_b_16(), [(1, 3, 224, 224)]),
    ("swin_t", lambda: tv.swin_t(), [(1, 3, 224, 224)]),
    ("deeplabv3_mobilenet_v3_large", _seg(seg.deeplabv3_mobilenet_v3_large), [(1, 3, 224, 224)]),
]


def _check(name, factory, shapes, tmp_path, backends=None):
    torch.manual_seed(0)
    model = randomize_norm_statistics(factory()).eval()
    inputs = tuple(torch.randn(*s) for s in shapes)
    outs, refs, program = export_and_run(model, inputs, tmp_path, name, backends)
    assert len(outs) == len(refs)
    for o, r in zip(outs, refs):
        assert_close_scaled(o, r)
    err = max(((o - r).abs().max() / r.abs().max().clamp_min(1e-30)).item() for o, r in zip(outs, refs))
    delegated = sum(len(calls) for _, calls in program.delegated)
    where = f", {delegated} calls delegated to {backends}" if backends else ""
    print(f"{name}: {len(program.method.calls)} kernel calls{where}, arena {program.planned_arena_bytes} B, "
          f"max error relative to output scale {err:.2e}")


@pytest.mark.parametrize("name,factory,shapes", FAST, ids=[m[0] for m in FAST])
def test_model_matches_eager(name, factory, shapes, tmp_path):
    _check(name, factory, shapes, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("name,factory,shapes", FULL, ids=[m[0] for m in FULL])
def test_zoo_model_matches_eager(name, factory, shapes, tmp_path):
    _check(name, factory, shapes, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("name,factory,shapes", FULL + FAST[3:], ids=[m[0] for m in FULL + FAST[3:]])
def test_zoo_model_matches_eager_on_cpu_backend(name, factory, shapes, tmp_path):
    if "cpu" not in ember.available_backends():
        pytest.skip("runtime built without the cpu backend (libxnnpack-dev missing)")
    _check(name, factory, shapes, tmp_path, backends=["cpu"])
