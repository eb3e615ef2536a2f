"""Each lowering pass on its own, checked against eager results of the unmodified graph."""
import operator

import torch

from ember import passes
from ember.capture import capture

aten = torch.ops.aten


def _targets(gm):
    return [n.target for n in gm.graph.nodes if n.op == "call_function"]


def _captured(model, *inputs):
    gm, _ = capture(model.eval(), inputs)
    return passes.propagate_shapes(gm, inputs)


def test_canonicalize_rewrites_reshapes_and_drops_identities():
    class M(torch.nn.Module):
        def forward(self, x):
            return x.detach().clone().reshape(2, -1).transpose(0, 1).reshape(-1)

    x = torch.randn(2, 3, 4)
    gm = _captured(M(), x)
    before = gm(x)[0]
    gm = passes.canonicalize_aliases(gm)
    t = _targets(gm)
    assert aten.detach.default not in t and aten.clone.default not in t
    assert aten._reshape_alias.default not in t and aten._unsafe_view.default not in t
    assert aten.reshape.default in t and aten.view.default not in t
    torch.testing.assert_close(gm(x)[0], before)


def test_dead_code_elimination_removes_unused_ops_and_constants():
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.unused = torch.nn.Parameter(torch.randn(5))

        def forward(self, x):
            _ = torch.sin(x) * self.unused.sum()
            return x + 1

    x = torch.randn(5)
    gm = passes.eliminate_dead_code(_captured(M(), x))
    assert aten.sin.default not in _targets(gm)
    assert not any(n.op == "get_attr" for n in gm.graph.nodes)
    torch.testing.assert_close(gm(x)[0], x + 1)


def test_constant_folding_precomputes_weight_only_math():
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.randn(4, 4))

        def forward(self, x):
            return x @ (self.w.t() * 2 + torch.arange(4.0))

    x = torch.randn(3, 4)
    gm = _captured(M(), x)
    ref = gm(x)[0]
    gm = passes.eliminate_dead_code(passes.fold_constants(gm))
    t = _targets(gm)
    assert aten.arange.start_step not in t and aten.t.default not in t and aten.mul.Tensor not in t
    torch.testing.assert_close(gm(x)[0], ref)


def test_batch_norm_folds_into_convolution():
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, bias=False), torch.nn.BatchNorm2d(8), torch.nn.ReLU())
    with torch.no_grad():
        model[1].running_mean.uniform_(-1, 1)
        model[1].running_var.uniform_(0.5, 2)
        model[1].weight.uniform_(0.5, 2)
        model[1].bias.uniform_(-1, 1)
    x = torch.randn(2, 3, 10, 10)
    gm = passes.eliminate_dead_code(passes.canonicalize_aliases(_captured(model, x)))
    assert aten.native_batch_norm.default in _targets(gm)
    gm = passes.eliminate_dead_code(passes.fold_batch_norm(gm))
    t = _targets(gm)
    assert aten.native_batch_norm.default not in t and t.count(aten.convolution.default) == 1
    with torch.no_grad():
        torch.testing.assert_close(gm(x)[0], model.eval()(x), rtol=1e-5, atol=1e-5)


def test_batch_norm_not_folded_when_conv_output_is_reused():
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv, self.bn = torch.nn.Conv2d(2, 2, 1), torch.nn.BatchNorm2d(2)

        def forward(self, x):
            y = self.conv(x)
            return self.bn(y) + y

    x = torch.randn(1, 2, 4, 4)
    model = M().eval()
    gm = passes.fold_batch_norm(passes.eliminate_dead_code(_captured(model, x)))
    assert aten.native_batch_norm.default in _targets(gm)
    with torch.no_grad():
        torch.testing.assert_close(gm(x)[0], model(x))


def test_noop_views_are_removed():
    class M(torch.nn.Module):
        def forward(self, x):
            return x.view(2, 3)[:, 0:3].expand(2, 3).permute(0, 1) * 2

    x = torch.randn(2, 3)
    gm = passes.canonicalize_aliases(_captured(M(), x))
    gm = passes.eliminate_dead_code(passes.remove_noop_views(gm))
    assert [t for t in _targets(gm) if t is not operator.getitem] == [aten.mul.Tensor]
    torch.testing.assert_close(gm(x)[0], x * 2)


def test_shape_only_ops_fold_to_constants():
    class M(torch.nn.Module):
        def forward(self, x):
            mask = x.new_zeros((3, 4))
            mask[1:, :] = 1.0
            return x + mask + torch.ones_like(x)

    x = torch.randn(3, 4)
    gm = _captured(M(), x)
    ref = gm(x)[0]
    gm = passes.eliminate_dead_code(passes.fold_constants(gm))
    t = _targets(gm)
    assert aten.new_zeros.default not in t and aten.ones_like.default not in t and aten.slice_scatter.default not in t
    torch.testing.assert_close(gm(x)[0], ref)


def test_inplace_ops_on_parameter_only_math_become_functional():
    # Like swin_v2's position-bias MLP: a Linear with ReLU(inplace) applied to a buffer, so
    # functionalize never sees it; linear on a 3-d input decomposes to matmul + add_.
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("table", torch.randn(1, 5, 2))
            self.mlp = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(inplace=True), torch.nn.Linear(8, 3))

        def forward(self, x):
            return x + self.mlp(self.table).sum()

    x = torch.randn(4)
    gm = _captured(M(), x)
    before = gm(x)[0]
    assert any(str(t).endswith("_.Tensor") or str(t).endswith("_.default") for t in _targets(gm))
    gm = passes.functionalize_inplace(passes.canonicalize_aliases(gm))
    t = _targets(gm)
    assert aten.add_.Tensor not in t and aten.relu_.default not in t
    torch.testing.assert_close(gm(x)[0], before)


def test_inplace_op_on_an_aliased_tensor_is_left_alone():
    # v = base.reshape(-1); base.add_(1); return v * y: v must see the addition, so the
    # in-place op stays (and export reports it as a missing kernel rather than miscompute).
    import torch.fx
    g = torch.fx.Graph()
    p_in, y = g.placeholder("p"), g.placeholder("y")
    base = g.call_function(aten.mul.Tensor, (p_in, p_in))
    v = g.call_function(aten.reshape.default, (base, [-1]))
    g.call_function(aten.add_.Scalar, (base, 1))
    g.output(g.call_function(aten.mul.Tensor, (v, y)))
    gm = torch.fx.GraphModule(torch.nn.Module(), g)
    p0, y0 = torch.randn(2, 2), torch.randn(4)
    before = gm(p0.clone(), y0)
    gm = passes.functionalize_inplace(gm)
    assert aten.add_.Scalar in _targets(gm)
    torch.testing.assert_close(gm(p0.clone(), y0), before)


def test_shifted_window_mask_of_a_swin_t_stage_folds():
    """swin_t's first stage builds a [64, 49, 49] attention mask (153,664 elements) from a
    [64, 49] map of window regions: more than 4x its inputs, but under 1 MB, so it folds (and the
    comparisons and masked_fill after it leave the program)."""
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("regions", torch.arange(64 * 49, dtype=torch.float32).reshape(64, 49) % 9)

        def forward(self, x):
            m = self.regions.unsqueeze(1) - self.regions.unsqueeze(2)
            m = m.masked_fill(m != 0, -100.0).masked_fill(m == 0, 0.0)
            return x + m

    x = torch.randn(64, 49, 49)
    gm = _captured(M(), x)
    ref = gm(x)[0]
    gm = passes.eliminate_dead_code(passes.fold_constants(gm))
    t = _targets(gm)
    assert aten.masked_fill.Scalar not in t and aten.sub.Tensor not in t, t
    torch.testing.assert_close(gm(x)[0], ref)
