"""Op conformance against PyTorch's own OpInfo database.

For every OpInfo, its float32 sample inputs are wrapped in a module, exported, run by the C++
runtime and compared with eager PyTorch. Samples that cannot apply (the op lowers to an
operator with no Ember kernel, returns non-tensors, needs Python control flow, ...) are
skipped with the reason; the number of compared samples is printed at the end of the run."""
import os
from collections import Counter

import pytest
import torch

import ember
from ember_summary import record_summary

from torch.testing._internal.common_methods_invocations import op_db  # needs tests/python/_stubs

MAX_SAMPLES = None if os.environ.get("EMBER_SLOW") == "1" else 6
# Ops that are random or allocate uninitialized memory: no reference to compare with.
NONDETERMINISTIC = {"uniform", "bernoulli", "normal", "randn", "randn_like", "rand_like", "randint_like", "empty",
                    "empty_like", "new_empty", "new_empty_strided", "multinomial", "nn.functional.dropout",
                    "nn.functional.dropout2d", "nn.functional.dropout3d", "nn.functional.rrelu",
                    "nn.functional.feature_alpha_dropout", "nn.functional.fractional_max_pool2d",
                    "nn.functional.fractional_max_pool3d", "resize_", "resize_as_", "zero_", "normal.number_mean"}

_totals = Counter()


def _op_id(op):
    return op.name + ("." + op.variant_test_name if op.variant_test_name else "")


OPS = [op for op in op_db if torch.float32 in op.supported_dtypes("cpu")]


class SampleModule(torch.nn.Module):
    """Calls the op on tensor inputs passed to forward; other arguments are fixed."""

    def __init__(self, op, template, n_tensors):
        super().__init__()
        self.op, self.template, self.n = op, template, n_tensors

    def forward(self, *tensors):
        it = iter(tensors)
        args = torch.utils._pytree.tree_map(lambda a: next(it) if isinstance(a, torch.Tensor) else a, self.template)
        inp, a, kw = args
        return self.op(inp, *a, **kw)


def _run_sample(op, sample, tmp_path, i):
    template = (sample.input, tuple(sample.args), dict(sample.kwargs))
    leaves = [t for t in torch.utils._pytree.tree_flatten(template)[0] if isinstance(t, torch.Tensor)]
    if any(t.is_complex() or t.layout != torch.strided for t in leaves):
        return "skip", "complex or sparse sample"
    inputs = tuple(t.detach().contiguous().clone() for t in leaves)
    module = SampleModule(op.op, template, len(inputs)).eval()
    try:
        with torch.no_grad():
            expected = module(*[t.clone() for t in inputs])
    except Exception as e:  # noqa: BLE001 - sample invalid for eager itself
        return "skip", f"eager raised {type(e).__name__}"
    exp_flat = torch.utils._pytree.tree_flatten(expected)[0]
    if not exp_flat or not all(isinstance(t, torch.Tensor) for t in exp_flat):
        return "skip", "op returns non-tensor values"
    try:
        program = ember.export(module, inputs)
    except ember.MissingKernelsError as e:
        return "skip", "no kernel: " + ", ".join(sorted(e.missing))
    except ember.ExportError as e:
        return "skip", f"not exportable: {str(e).splitlines()[0][:120]}"
    path = os.path.join(str(tmp_path), f"s{i}.ember")
    program.save(path)
    outs = ember.load(path).run("forward", *inputs)
    assert len(outs) == len(exp_flat), f"{len(outs)} outputs vs {len(exp_flat)}"
    for o, e in zip(outs, exp_flat):
        e = e.contiguous()
        assert o.shape == e.shape, f"shape {tuple(o.shape)} vs {tuple(e.shape)}"
        assert o.dtype == e.dtype, f"dtype {o.dtype} vs {e.dtype}"
        if e.dtype.is_floating_point:
            finite = e[torch.isfinite(e)]
            scale = max(1.0, finite.abs().max().item()) if finite.numel() else 1.0
            torch.testing.assert_close(o, e, rtol=1e-4, atol=1e-5 * scale, equal_nan=True)
        else:
            assert torch.equal(o, e), f"integer/bool outputs differ:\n{o}\nvs\n{e}"
    return "compared", None


@pytest.mark.parametrize("op", OPS, ids=[_op_id(o) for o in OPS])
def test_opinfo_samples(op, tmp_path):
    if op.name in NONDETERMINISTIC or _op_id(op) in NONDETERMINISTIC:
        pytest.skip("random or uninitialized output: nothing to compare")
    compared, reasons = 0, Counter()
    samples = op.sample_inputs("cpu", torch.float32, requires_grad=False)
    for i, sample in enumerate(samples):
        if MAX_SAMPLES is not None and i >= MAX_SAMPLES:
            break
        try:
            status, reason = _run_sample(op, sample, tmp_path, i)
        except AssertionError as e:
            raise AssertionError(f"{_op_id(op)} sample {i} ({sample}): {e}") from e
        if status == "compared":
            compared += 1
        else:
            reasons[reason] += 1
    _totals["samples"] += compared
    _totals["ops"] += compared > 0
    _totals["skipped"] += sum(reasons.values())
    if compared == 0:
        pytest.skip("; ".join(f"{r} (x{n})" for r, n in reasons.most_common(3)) or "no float32 samples")
    print(f"{_op_id(op)}: {compared} samples compared, {sum(reasons.values())} skipped {dict(reasons)}")


def teardown_module(module):
    record_summary(f"OpInfo conformance: {_totals['samples']} samples compared with eager PyTorch across "
                   f"{_totals['ops']} ops ({_totals['skipped']} samples skipped with reasons)")
