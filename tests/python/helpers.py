"""Shared helpers for the Python tests."""
import os

import torch

import ember


def export_and_run(model, inputs, tmp_path, name="m"):
    """Exports, saves, loads with the C++ runtime and runs; returns (ember outputs list, eager list)."""
    program = ember.export(model, inputs)
    path = os.path.join(str(tmp_path), f"{name}.ember")
    program.save(path)
    loaded = ember.load(path)
    outs = loaded.run("forward", *inputs)
    with torch.no_grad():
        ref = model(*inputs)
    ref_flat = torch.utils._pytree.tree_flatten(ref)[0]
    return outs, ref_flat, program


def assert_close_scaled(actual, expected, rtol=1e-4, atol=1e-4):
    """rtol, and atol relative to the output's scale (max |expected|, at least 1)."""
    assert actual.shape == expected.shape, f"shape {tuple(actual.shape)} != {tuple(expected.shape)}"
    assert actual.dtype == expected.dtype, f"dtype {actual.dtype} != {expected.dtype}"
    if expected.dtype.is_floating_point:
        scale = max(1.0, expected.abs().max().item()) if expected.numel() else 1.0
        torch.testing.assert_close(actual, expected, rtol=rtol, atol=atol * scale, equal_nan=True)
    else:
        assert torch.equal(actual, expected)
