"""Shared helpers for the Python tests."""
import os

import torch

import ember


def export_and_run(model, inputs, tmp_path, name="m", backends=None):
    """Exports (delegating to `backends` if given), saves, loads with the C++ runtime and runs;
    returns (ember outputs list, eager list, exported program)."""
    program = ember.export(model, inputs, backends=backends)
    path = os.path.join(str(tmp_path), f"{name}.ember")
    program.save(path)
    loaded = ember.load(path)
    outs = loaded.run("forward", *inputs)
    with torch.no_grad():
        ref = model(*inputs)
    ref_flat = torch.utils._pytree.tree_flatten(ref)[0]
    return outs, ref_flat, program


def randomize_norm_statistics(model, seed=0):
    """Gives every batch/group/layer norm non-trivial affine parameters and running stats, so
    that batch-norm folding and normalization kernels are exercised by random-weight models."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (torch.nn.modules.batchnorm._BatchNorm, torch.nn.GroupNorm, torch.nn.LayerNorm)):
                if getattr(m, "weight", None) is not None:
                    m.weight.copy_(torch.rand(m.weight.shape, generator=g) + 0.5)
                    m.bias.copy_(torch.rand(m.bias.shape, generator=g) - 0.5)
                if getattr(m, "running_mean", None) is not None:
                    m.running_mean.copy_(torch.rand(m.running_mean.shape, generator=g) - 0.5)
                    m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) + 0.5)
        # Zero-initialized weights (e.g. torchvision ViT's head) would make outputs all zero
        # and the comparison vacuous.
        for p in model.parameters():
            if p.dim() >= 2 and not p.any():
                p.copy_(torch.randn(p.shape, generator=g) * 0.02)
    return model


def assert_close_scaled(actual, expected, rtol=1e-4, atol=1e-4):
    """rtol, and atol relative to the output's scale (max |expected|; 1 for an all-zero output)."""
    assert actual.shape == expected.shape, f"shape {tuple(actual.shape)} != {tuple(expected.shape)}"
    assert actual.dtype == expected.dtype, f"dtype {actual.dtype} != {expected.dtype}"
    if expected.dtype.is_floating_point:
        scale = expected.abs().max().item() if expected.numel() else 1.0
        scale = scale if scale > 0 else 1.0
        torch.testing.assert_close(actual, expected, rtol=rtol, atol=atol * scale, equal_nan=True)
    else:
        assert torch.equal(actual, expected)
