"""Portable compute-heavy NN kernels (family A) vs eager PyTorch, through ember._C.call_kernel.

Covers convolution, the matmul family (mm/addmm/bmm/baddbmm/linear/matmul), pooling,
normalization, softmax, embedding, upsampling and pixel (un)shuffle. Every kernel is called
without scratch memory (scratch_bytes=0): none of them may need any. Bad arguments must raise
RuntimeError, never crash.
"""
import math
import time

import pytest
import torch

C = pytest.importorskip("ember._C")
aten = torch.ops.aten

TOL = dict(rtol=1e-4, atol=1e-5)


@pytest.fixture(autouse=True, scope="module")
def _seed_and_threads():
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    yield
    torch.set_num_threads(n)


def _op(name):
    op, overload = name.split(".")
    return getattr(getattr(aten, op), overload)


def ref_call(name, args):
    """Calls the functional ATen op with positional args in schema order."""
    fn = _op(name)
    pos, kw = [], {}
    for a, v in zip(fn._schema.arguments, args):
        if a.kwarg_only:
            kw[a.name] = v
        else:
            pos.append(v)
    return fn(*pos, **kw)


def kcall(name, args, outs):
    C.call_kernel("aten::" + name, args, outs, 0)


def run(name, args, like=None):
    """Runs the kernel with outputs preallocated like the reference (or `like`)."""
    ref = ref_call(name, args) if like is None else like
    refs = list(ref) if isinstance(ref, (tuple, list)) else [ref]
    outs = [torch.full_like(r, 12345.0) if r.is_floating_point() else torch.empty_like(r)
            for r in refs]
    kcall(name, args, outs)
    return refs, outs


def check(name, args, tol=None, skip=()):
    refs, outs = run(name, args)
    for i, (r, o) in enumerate(zip(refs, outs)):
        if i in skip:
            continue
        assert o.dtype == r.dtype and o.shape == r.shape
        torch.testing.assert_close(o, r, equal_nan=True, **(tol or TOL))
    return refs, outs


def expect_fail(name, args, outs, match=None):
    with pytest.raises(RuntimeError, match=match):
        kcall(name, args, outs)


EXPECTED = [
    "convolution.default", "addmm.default", "mm.default", "bmm.default", "baddbmm.default",
    "linear.default", "matmul.default", "max_pool2d_with_indices.default", "max_pool2d.default",
    "avg_pool2d.default", "_adaptive_avg_pool2d.default", "adaptive_max_pool2d.default",
    "native_layer_norm.default", "native_group_norm.default", "native_batch_norm.default",
    "_softmax.default", "_log_softmax.default", "embedding.default", "upsample_nearest2d.vec",
    "upsample_nearest2d.default", "upsample_bilinear2d.vec", "upsample_bilinear2d.default",
    "_upsample_nearest_exact2d.vec", "_upsample_nearest_exact2d.default",
    "pixel_shuffle.default", "pixel_unshuffle.default",
]


def test_registered():
    names = set(C.registered_kernels())
    missing = [n for n in EXPECTED if "aten::" + n not in names]
    assert not missing, missing


# ------------------------------------------------------------------------------------------
# Matmul family


@pytest.mark.parametrize("m,k,n", [(3, 4, 5), (1, 7, 9), (2, 33, 3), (64, 130, 70), (13, 1, 17),
                                   (0, 3, 4), (3, 0, 4), (5, 300, 1)])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_mm(m, k, n, dtype):
    a, b = torch.randn(m, k, dtype=dtype), torch.randn(k, n, dtype=dtype)
    check("mm.default", [a, b])


def test_mm_int():
    a, b = torch.randint(-5, 5, (7, 9)), torch.randint(-5, 5, (9, 11))
    check("mm.default", [a, b])
    check("mm.default", [a.int(), b.int()])


def test_mm_bad():
    a, b = torch.randn(3, 4), torch.randn(5, 6)
    expect_fail("mm.default", [a, b], [torch.empty(3, 6)], "mismatch")
    b = torch.randn(4, 6)
    expect_fail("mm.default", [a, b], [torch.empty(3, 5)], "shape")
    expect_fail("mm.default", [a, b], [torch.empty(3, 6, dtype=torch.float64)], "dtype")
    expect_fail("mm.default", [a[0], b], [torch.empty(6)])
    expect_fail("mm.default", [a, b.double()], [torch.empty(3, 6)])
    expect_fail("mm.default", [a], [torch.empty(3, 6)], "arguments")
    expect_fail("mm.default", [a, 3], [torch.empty(3, 6)], "tensor")


@pytest.mark.parametrize("self_shape", [(6,), (4, 6), (1, 6), (4, 1), ()])
def test_addmm(self_shape):
    a, b = torch.randn(4, 5), torch.randn(5, 6)
    s = torch.randn(self_shape)
    check("addmm.default", [s, a, b, 1, 1])
    check("addmm.default", [s, a, b, 0.5, 2.5])
    check("addmm.default", [s, a, b, 2, -1])


def test_addmm_beta_zero_ignores_nan():
    a, b = torch.randn(4, 5), torch.randn(5, 6)
    s = torch.full((4, 6), float("nan"))
    refs, outs = check("addmm.default", [s, a, b, 0, 1.5])
    assert not torch.isnan(outs[0]).any()


def test_addmm_int_and_bad():
    a, b = torch.randint(-3, 3, (4, 5)), torch.randint(-3, 3, (5, 6))
    check("addmm.default", [torch.randint(-3, 3, (6,)), a, b, 2, 3])
    expect_fail("addmm.default", [torch.randint(-3, 3, (6,)), a, b, 1, 2.5],
                [torch.empty(4, 6, dtype=torch.int64)], "integral")
    a, b = torch.randn(4, 5), torch.randn(5, 6)
    expect_fail("addmm.default", [torch.randn(5), a, b, 1, 1], [torch.empty(4, 6)], "broadcast")
    expect_fail("addmm.default", [torch.randn(6), a, b, 1, 1], [torch.empty(4, 7)])


@pytest.mark.parametrize("bsz,m,k,n", [(3, 4, 5, 6), (1, 1, 64, 100), (2, 17, 9, 1), (0, 2, 3, 4)])
def test_bmm_baddbmm(bsz, m, k, n):
    a, b = torch.randn(bsz, m, k), torch.randn(bsz, k, n)
    check("bmm.default", [a, b])
    check("baddbmm.default", [torch.randn(bsz, m, n), a, b, 1, 1])
    check("baddbmm.default", [torch.randn(n), a, b, 0.25, 3])
    check("baddbmm.default", [torch.randn(1, m, 1), a, b, -1, 0.5])


def test_bmm_bad():
    a, b = torch.randn(2, 3, 4), torch.randn(3, 4, 5)
    expect_fail("bmm.default", [a, b], [torch.empty(2, 3, 5)])
    expect_fail("bmm.default", [a, torch.randn(2, 4, 5)], [torch.empty(2, 3, 4)], "shape")
    expect_fail("baddbmm.default", [torch.randn(4, 5), a, torch.randn(2, 4, 5), 1, 1],
                [torch.empty(2, 3, 5)])


@pytest.mark.parametrize("in_shape", [(5,), (3, 5), (2, 3, 5), (1, 1, 2, 5), (0, 5)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(in_shape, bias):
    x = torch.randn(in_shape)
    w = torch.randn(7, 5)
    b = torch.randn(7) if bias else None
    check("linear.default", [x, w, b])


@pytest.mark.parametrize("m", [1, 2, 3, 9])
def test_linear_large(m):
    x, w, b = torch.randn(m, 515), torch.randn(261, 515), torch.randn(261)
    check("linear.default", [x, w, b], tol=dict(rtol=1e-4, atol=1e-4))


def test_linear_bad():
    x, w = torch.randn(3, 5), torch.randn(7, 5)
    expect_fail("linear.default", [x, torch.randn(7, 4), None], [torch.empty(3, 7)], "features")
    expect_fail("linear.default", [x, w, torch.randn(6)], [torch.empty(3, 7)], "broadcast")
    expect_fail("linear.default", [x, w, None], [torch.empty(3, 6)], "shape")
    expect_fail("linear.default", [x, torch.randn(5), None], [torch.empty(3)], "2-D")


@pytest.mark.parametrize("sa,sb", [
    ((5,), (5,)), ((3, 5), (5,)), ((5,), (5, 4)), ((3, 5), (5, 4)), ((2, 3, 5), (5, 4)),
    ((2, 3, 5), (5,)), ((5,), (2, 5, 4)), ((3, 5), (2, 5, 4)), ((2, 1, 3, 5), (4, 5, 6)),
    ((1, 3, 5), (2, 5, 4)), ((2, 3, 5), (2, 5, 4)), ((4, 1, 3, 5), (1, 2, 5, 2)),
    ((0, 3, 5), (5, 2)), ((2, 3, 0), (0, 4)),
])
def test_matmul(sa, sb):
    check("matmul.default", [torch.randn(sa), torch.randn(sb)])


def test_matmul_int_and_bad():
    check("matmul.default", [torch.randint(-4, 4, (2, 3, 4)), torch.randint(-4, 4, (4, 5))])
    expect_fail("matmul.default", [torch.randn(3, 5), torch.randn(4, 2)], [torch.empty(3, 2)],
                "mismatch")
    expect_fail("matmul.default", [torch.randn(2, 3, 5), torch.randn(3, 5, 2)],
                [torch.empty(2, 3, 2)], "broadcast")
    expect_fail("matmul.default", [torch.randn(3, 5), torch.randn(5, 2)], [torch.empty(3, 2, 1)])


# ------------------------------------------------------------------------------------------
# Convolution

CONV_CASES = [
    # input, weight, stride, padding, dilation, transposed, output_padding, groups, bias
    ((2, 3, 9, 10), (8, 3, 3, 3), [1, 1], [1, 1], [1, 1], False, [0, 0], 1, True),
    ((2, 3, 9, 10), (8, 3, 3, 3), [2, 2], [1, 0], [1, 1], False, [0, 0], 1, True),
    ((1, 3, 16, 16), (8, 3, 7, 7), [2, 2], [3, 3], [1, 1], False, [0, 0], 1, False),
    ((1, 8, 9, 10), (8, 1, 3, 3), [1, 1], [1, 1], [1, 1], False, [0, 0], 8, True),
    ((1, 8, 9, 10), (8, 1, 3, 3), [2, 2], [1, 1], [1, 1], False, [0, 0], 8, False),
    ((2, 8, 2, 2), (8, 1, 3, 3), [1, 1], [1, 1], [1, 1], False, [0, 0], 8, True),
    ((1, 8, 9, 10), (8, 1, 3, 3), [1, 2], [0, 1], [1, 1], False, [0, 0], 8, True),
    ((1, 8, 9, 10), (16, 1, 3, 3), [2, 2], [1, 1], [1, 1], False, [0, 0], 8, False),
    ((1, 8, 9, 10), (8, 1, 5, 5), [1, 1], [2, 2], [1, 1], False, [0, 0], 8, True),
    ((1, 8, 9, 10), (8, 1, 3, 3), [1, 1], [2, 2], [2, 2], False, [0, 0], 8, True),
    ((1, 8, 9, 10), (16, 4, 1, 1), [1, 1], [0, 0], [1, 1], False, [0, 0], 2, True),
    ((1, 8, 9, 10), (16, 8, 1, 1), [2, 2], [0, 0], [1, 1], False, [0, 0], 1, True),
    ((1, 8, 9, 10), (16, 8, 3, 2), [1, 2], [2, 1], [2, 3], False, [0, 0], 1, True),
    ((1, 8, 9, 10), (6, 4, 3, 3), [1, 1], [1, 1], [1, 1], False, [0, 0], 2, True),
    ((1, 6, 5, 40), (12, 2, 3, 3), [1, 1], [1, 1], [1, 1], False, [0, 0], 3, True),
    ((0, 3, 9, 10), (8, 3, 3, 3), [1, 1], [1, 1], [1, 1], False, [0, 0], 1, True),
    ((2, 4, 17), (6, 2, 5), [2], [2], [1], False, [0], 2, True),
    ((2, 4, 17), (6, 4, 3), [1], [0], [3], False, [0], 1, False),
    ((2, 4, 5, 6, 7), (6, 4, 3, 3, 3), [1, 2, 1], [1, 1, 0], [1, 1, 2], False, [0, 0, 0], 1,
     True),
    ((1, 4, 5, 6, 7), (4, 1, 3, 3, 3), [1, 1, 1], [1, 1, 1], [1, 1, 1], False, [0, 0, 0], 4,
     True),
    # transposed
    ((2, 4, 9, 10), (4, 3, 3, 3), [2, 2], [1, 1], [1, 1], True, [1, 1], 1, True),
    ((2, 4, 9, 10), (4, 8, 3, 3), [2, 2], [1, 1], [1, 1], True, [1, 0], 1, True),
    ((2, 4, 9, 10), (4, 8, 3, 3), [1, 1], [1, 1], [1, 1], True, [0, 0], 2, True),
    ((2, 4, 9, 10), (4, 8, 1, 1), [1, 1], [0, 0], [1, 1], True, [0, 0], 2, True),
    ((2, 4, 9, 10), (4, 2, 4, 3), [3, 2], [1, 2], [2, 1], True, [2, 1], 2, False),
    ((1, 16, 4, 4), (16, 8, 4, 4), [2, 2], [1, 1], [1, 1], True, [0, 0], 1, True),
    ((2, 4, 17), (4, 6, 5), [3], [2], [2], True, [1], 1, True),
    ((2, 4, 17), (4, 1, 5), [3], [2], [2], True, [1], 4, True),
    ((1, 4, 3, 4, 5), (4, 5, 3, 3, 3), [2, 1, 2], [1, 0, 1], [1, 1, 1], True, [1, 0, 0], 1,
     True),
]


@pytest.mark.parametrize("case", CONV_CASES, ids=[str(i) for i in range(len(CONV_CASES))])
def test_convolution(case):
    xs, ws, st, pd, dl, tr, op, g, hb = case
    x, w = torch.randn(xs), torch.randn(ws)
    cout = ws[1] * g if tr else ws[0]
    b = torch.randn(cout) if hb else None
    check("convolution.default", [x, w, b, st, pd, dl, tr, op, g])


def test_convolution_float64_and_scalar_lists():
    x, w, b = torch.randn(1, 4, 8, 8).double(), torch.randn(8, 4, 3, 3).double(), None
    check("convolution.default", [x, w, b, [1, 1], [1, 1], [1, 1], False, [0, 0], 1])
    # Single-element lists apply to every spatial dim.
    x, w = torch.randn(1, 4, 8, 8), torch.randn(8, 4, 3, 3)
    ref = aten.convolution.default(x, w, None, [2, 2], [1, 1], [1, 1], False, [0, 0], 1)
    refs, outs = run("convolution.default", [x, w, None, [2], [1], [1], False, [0], 1], like=ref)
    torch.testing.assert_close(outs[0], refs[0], **TOL)


def test_convolution_large_channels():
    # Several K blocks and M blocks in the GEMM paths.
    x, w, b = torch.randn(1, 300, 6, 7), torch.randn(200, 300, 3, 3), torch.randn(200)
    tol = dict(rtol=1e-4, atol=1e-3)
    check("convolution.default", [x, w, b, [1, 1], [1, 1], [1, 1], False, [0, 0], 1], tol=tol)
    w1 = torch.randn(200, 300, 1, 1)
    check("convolution.default", [x, w1, b, [1, 1], [0, 0], [1, 1], False, [0, 0], 1], tol=tol)
    wt = torch.randn(300, 40, 3, 3)
    check("convolution.default", [x, wt, None, [2, 2], [1, 1], [1, 1], True, [1, 1], 1],
          tol=tol)


def test_convolution_bad():
    x, w = torch.randn(1, 4, 8, 8), torch.randn(8, 4, 3, 3)
    good = [x, w, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1]
    out = torch.empty(1, 8, 8, 8)
    kcall("convolution.default", good, [out])
    bad_out = torch.empty(1, 8, 7, 8)
    expect_fail("convolution.default", good, [bad_out], "shape")
    args = list(good)
    args[8] = 3
    expect_fail("convolution.default", args, [out], "divisible|channels")
    args = list(good)
    args[3] = [0, 1]
    expect_fail("convolution.default", args, [out], "stride")
    args = list(good)
    args[4] = [-1, 1]
    expect_fail("convolution.default", args, [out], "padding")
    args = list(good)
    args[3] = [1, 1, 1]
    expect_fail("convolution.default", args, [out], "stride")
    args = list(good)
    args[0] = torch.randn(4, 8, 8)
    expect_fail("convolution.default", args, [torch.empty(8, 8, 8)], "input")
    args = list(good)
    args[2] = torch.randn(7)
    expect_fail("convolution.default", args, [out], "bias")
    args = list(good)
    args[0] = torch.randn(1, 4, 2, 2)
    args[4] = [0, 0]
    expect_fail("convolution.default", args, [torch.empty(1, 8, 1, 1)], "small")
    # transposed: output_padding must be smaller than stride or dilation
    wt = torch.randn(4, 2, 3, 3)
    expect_fail("convolution.default",
                [x, wt, None, [2, 2], [1, 1], [1, 1], True, [2, 2], 1], [torch.empty(1, 2, 17, 17)],
                "output_padding")
    expect_fail("convolution.default", good[:-1], [out], "arguments")
    expect_fail("convolution.default", [x.int(), w.int()] + good[2:], [out.int()], "dtype")


def test_convolution_speed_mobilenet_like():
    # The convolutions of one mobilenet_v2-style block at 112x112 must be fast (well under a
    # second for the whole network); generous bound for loaded machines.
    x = torch.randn(1, 32, 112, 112)
    w_pw, w_dw, w_pj = torch.randn(96, 32, 1, 1), torch.randn(96, 1, 3, 3), torch.randn(24, 96, 1, 1)
    out1 = torch.empty(1, 96, 112, 112)
    out2 = torch.empty(1, 96, 56, 56)
    out3 = torch.empty(1, 24, 56, 56)
    t = time.perf_counter()
    kcall("convolution.default", [x, w_pw, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1], [out1])
    kcall("convolution.default", [out1, w_dw, None, [2, 2], [1, 1], [1, 1], False, [0, 0], 96],
          [out2])
    kcall("convolution.default", [out2, w_pj, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1],
          [out3])
    dt = time.perf_counter() - t
    ref = aten.convolution.default(
        aten.convolution.default(
            aten.convolution.default(x, w_pw, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1),
            w_dw, None, [2, 2], [1, 1], [1, 1], False, [0, 0], 96),
        w_pj, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1)
    torch.testing.assert_close(out3, ref, rtol=1e-4, atol=1e-3)
    assert dt < 1.0, f"mobilenet-like block took {dt:.3f}s"


# ------------------------------------------------------------------------------------------
# Pooling


POOL_CASES = [
    # input, kernel, stride, padding, dilation, ceil
    ((2, 3, 8, 9), [2, 2], [], [0, 0], [1, 1], False),
    ((2, 3, 8, 9), [3, 3], [2, 2], [1, 1], [1, 1], False),
    ((2, 3, 8, 9), [3, 3], [2, 2], [1, 1], [1, 1], True),
    ((1, 2, 7, 7), [3, 2], [2, 1], [1, 0], [2, 1], True),
    ((3, 11, 10), [2, 3], [3, 2], [1, 1], [1, 2], False),
    ((1, 1, 5, 5), [5, 5], [1, 1], [2, 2], [1, 1], True),
    ((0, 2, 5, 5), [2, 2], [2, 2], [0, 0], [1, 1], False),
    ((1, 2, 6, 6), [3], [2], [1], [1], True),
]


@pytest.mark.parametrize("case", POOL_CASES, ids=[str(i) for i in range(len(POOL_CASES))])
def test_max_pool2d(case):
    xs, k, s, p, d, ceil = case
    x = torch.randn(xs)
    check("max_pool2d_with_indices.default", [x, k, s, p, d, ceil])
    check("max_pool2d.default", [x, k, s, p, d, ceil])
    check("max_pool2d_with_indices.default", [x.double(), k, s, p, d, ceil])


def test_max_pool2d_nan_and_ties():
    x = torch.randn(1, 2, 6, 6)
    x[0, 0, 1, 1] = float("nan")
    x[0, 1] = 1.0  # ties: the first maximum wins
    refs, outs = check("max_pool2d_with_indices.default", [x, [3, 3], [2, 2], [1, 1], [1, 1], False])
    assert torch.isnan(outs[0][0, 0, 0, 0]) and outs[1][0, 0, 0, 0] == 7


def test_max_pool2d_bad():
    x = torch.randn(1, 2, 6, 6)
    o, i = torch.empty(1, 2, 3, 3), torch.empty(1, 2, 3, 3, dtype=torch.int64)
    kcall("max_pool2d_with_indices.default", [x, [2, 2], [], [0, 0], [1, 1], False], [o, i])
    expect_fail("max_pool2d_with_indices.default", [x, [2, 2], [], [2, 2], [1, 1], False], [o, i],
                "pad")
    expect_fail("max_pool2d_with_indices.default", [x, [2, 2], [], [0, 0], [1, 1], False],
                [o, i.int()], "dtype")
    expect_fail("max_pool2d_with_indices.default", [x, [0, 2], [], [0, 0], [1, 1], False], [o, i],
                "kernel")
    expect_fail("max_pool2d_with_indices.default", [x, [2, 2], [0, 1], [0, 0], [1, 1], False],
                [o, i], "stride")
    expect_fail("max_pool2d.default", [x, [2, 2], [], [0, 0], [1, 1], False],
                [torch.empty(1, 2, 3, 4)], "shape")
    expect_fail("max_pool2d.default", [torch.randn(6, 6), [2, 2], [], [0, 0], [1, 1], False],
                [torch.empty(3, 3)], "3-D or 4-D")
    expect_fail("max_pool2d.default", [x, [7, 7], [], [0, 0], [1, 1], False],
                [torch.empty(1, 2, 0, 0)], "too small")


@pytest.mark.parametrize("case", POOL_CASES, ids=[str(i) for i in range(len(POOL_CASES))])
@pytest.mark.parametrize("cip", [True, False])
def test_avg_pool2d(case, cip):
    xs, k, s, p, _, ceil = case
    x = torch.randn(xs)
    check("avg_pool2d.default", [x, k, s, p, ceil, cip, None])
    check("avg_pool2d.default", [x, k, s, p, ceil, cip, 3])


def test_avg_pool2d_bad():
    x = torch.randn(1, 2, 6, 6)
    out = torch.empty(1, 2, 3, 3)
    expect_fail("avg_pool2d.default", [x, [2, 2], [], [0, 0], False, True, 0], [out], "divisor")
    expect_fail("avg_pool2d.default", [x, [2, 2], [], [0, 0], False, True, None],
                [torch.empty(1, 2, 3, 2)], "shape")
    expect_fail("avg_pool2d.default", [x, [2, 2], [], [0, 0], False, True, 1.5], [out])


@pytest.mark.parametrize("xs,os", [((2, 3, 7, 7), [3, 3]), ((1, 2, 5, 8), [2, 3]),
                                   ((1, 4, 4, 4), [1, 1]), ((3, 3, 5), [5, 7]),
                                   ((1, 2, 10, 9), [4, 4]), ((1, 2, 6, 6), [6, 6])])
def test_adaptive_pools(xs, os):
    x = torch.randn(xs)
    check("_adaptive_avg_pool2d.default", [x, os])
    check("adaptive_max_pool2d.default", [x, os])
    check("adaptive_max_pool2d.default", [x.double(), os])


def test_adaptive_pools_bad():
    x = torch.randn(1, 2, 6, 6)
    expect_fail("_adaptive_avg_pool2d.default", [x, [2, 2]], [torch.empty(1, 2, 3, 3)], "shape")
    expect_fail("_adaptive_avg_pool2d.default", [x, [-1, 2]], [torch.empty(1, 2, 3, 3)],
                "output_size")
    expect_fail("adaptive_max_pool2d.default", [x, [2, 2]],
                [torch.empty(1, 2, 2, 2), torch.empty(1, 2, 2, 2)], "dtype")
    expect_fail("adaptive_max_pool2d.default", [torch.randn(1, 2, 0, 6), [2, 2]],
                [torch.empty(1, 2, 2, 2), torch.empty(1, 2, 2, 2, dtype=torch.int64)])


# ------------------------------------------------------------------------------------------
# Normalization


@pytest.mark.parametrize("xs,ns", [((4, 10), [10]), ((2, 3, 8), [8]), ((2, 3, 4, 5), [4, 5]),
                                   ((7,), [7]), ((3, 1000), [1000]), ((0, 4), [4])])
@pytest.mark.parametrize("affine", ["both", "weight", "bias", "none"])
def test_layer_norm(xs, ns, affine):
    x = torch.randn(xs) * 3 + 1
    w = torch.randn(ns) if affine in ("both", "weight") else None
    b = torch.randn(ns) if affine in ("both", "bias") else None
    check("native_layer_norm.default", [x, ns, w, b, 1e-5])


def test_layer_norm_empty_rows_and_bad():
    check("native_layer_norm.default", [torch.randn(3, 0), [0], None, None, 1e-5])
    x = torch.randn(2, 3, 4)
    outs = [torch.empty(2, 3, 4), torch.empty(2, 3, 1), torch.empty(2, 3, 1)]
    expect_fail("native_layer_norm.default", [x, [3], None, None, 1e-5], outs, "normalized_shape")
    expect_fail("native_layer_norm.default", [x, [4], torch.randn(5), None, 1e-5], outs, "weight")
    expect_fail("native_layer_norm.default", [x, [4], None, None, 1e-5],
                [torch.empty(2, 3, 4), torch.empty(2, 3), torch.empty(2, 3, 1)], "mean")


@pytest.mark.parametrize("xs,g", [((2, 6, 5, 5), 3), ((1, 4, 7), 2), ((3, 8), 4), ((2, 6, 2, 3, 2), 1),
                                  ((2, 4, 0), 2)])
@pytest.mark.parametrize("affine", [True, False])
def test_group_norm(xs, g, affine):
    x = torch.randn(xs) * 2 - 1
    n, c = xs[0], xs[1]
    hxw = int(math.prod(xs[2:]))
    w = torch.randn(c) if affine else None
    b = torch.randn(c) if affine else None
    check("native_group_norm.default", [x, w, b, n, c, hxw, g, 1e-5])


def test_group_norm_bad():
    x = torch.randn(2, 6, 5)
    outs = [torch.empty(2, 6, 5), torch.empty(2, 3), torch.empty(2, 3)]
    expect_fail("native_group_norm.default", [x, None, None, 2, 6, 5, 4, 1e-5], outs, "divisible")
    expect_fail("native_group_norm.default", [x, None, None, 2, 6, 4, 3, 1e-5], outs, "HxW")
    expect_fail("native_group_norm.default", [x, None, None, 2, 6, 2**62, 3, 1e-5], outs, "HxW")
    expect_fail("native_group_norm.default", [x, None, None, 3, 6, 5, 3, 1e-5], outs)
    expect_fail("native_group_norm.default", [x, torch.randn(5), None, 2, 6, 5, 3, 1e-5], outs)


@pytest.mark.parametrize("xs", [(4, 3), (2, 3, 5), (2, 3, 4, 5), (1, 3, 2, 2, 2)])
@pytest.mark.parametrize("affine", [True, False])
def test_batch_norm_eval(xs, affine):
    c = xs[1]
    x = torch.randn(xs)
    w = torch.randn(c) if affine else None
    b = torch.randn(c) if affine else None
    rm, rv = torch.randn(c), torch.rand(c) + 0.5
    refs, outs = check("native_batch_norm.default", [x, w, b, rm, rv, False, 0.1, 1e-5])
    assert outs[1].numel() == 0 and outs[2].numel() == 0  # PyTorch 1.13 CPU eval mode
    # Outputs 2/3 with C elements receive the statistics that were used.
    outs = [torch.empty_like(x), torch.empty(c), torch.empty(c)]
    kcall("native_batch_norm.default", [x, w, b, rm, rv, False, 0.1, 1e-5], outs)
    torch.testing.assert_close(outs[0], refs[0], **TOL)
    torch.testing.assert_close(outs[1], rm)
    torch.testing.assert_close(outs[2], 1 / torch.sqrt(rv + 1e-5))


@pytest.mark.parametrize("xs", [(8, 3), (2, 3, 5), (2, 3, 4, 5)])
def test_batch_norm_training(xs):
    c = xs[1]
    x = torch.randn(xs) * 2 + 0.5
    rm, rv = torch.zeros(c), torch.ones(c)
    rm0, rv0 = rm.clone(), rv.clone()
    check("native_batch_norm.default", [x, torch.randn(c), torch.randn(c), rm.clone(), rv.clone(),
                                        True, 0.1, 1e-5])
    refs, outs = run("native_batch_norm.default", [x, None, None, rm, rv, True, 0.1, 1e-5],
                     like=aten.native_batch_norm.default(x, None, None, None, None, True, 0.1,
                                                         1e-5))
    for r, o in zip(refs, outs):
        torch.testing.assert_close(o, r, **TOL)
    # Running statistics are not updated by the kernel (documented difference).
    assert torch.equal(rm, rm0) and torch.equal(rv, rv0)


def test_batch_norm_bad():
    x = torch.randn(2, 3, 4)
    outs = [torch.empty(2, 3, 4), torch.empty(0), torch.empty(0)]
    expect_fail("native_batch_norm.default", [x, None, None, None, None, False, 0.1, 1e-5], outs,
                "running")
    expect_fail("native_batch_norm.default",
                [x, torch.randn(4), None, torch.randn(3), torch.rand(3), False, 0.1, 1e-5], outs)
    expect_fail("native_batch_norm.default",
                [x, None, None, torch.randn(3), torch.rand(3), False, 0.1, 1e-5],
                [torch.empty(2, 3, 4), torch.empty(2), torch.empty(2)], "save_mean")
    expect_fail("native_batch_norm.default",
                [torch.randn(3), None, None, torch.randn(3), torch.rand(3), False, 0.1, 1e-5],
                [torch.empty(3), torch.empty(0), torch.empty(0)], "2 dimensions")


# ------------------------------------------------------------------------------------------
# Softmax


@pytest.mark.parametrize("xs,dim", [((4, 10), -1), ((4, 10), 0), ((2, 3, 5), 1), ((2, 3, 5), 0),
                                    ((3, 300, 2), 2), ((2, 5, 300), 1), ((2, 4, 600), 1), ((), 0),
                                    ((), -1), ((7,), 0), ((0, 4), 1), ((3, 0), 0)])
@pytest.mark.parametrize("name", ["_softmax.default", "_log_softmax.default"])
def test_softmax(xs, dim, name):
    x = torch.randn(xs) * 5
    check(name, [x, dim, False])
    check(name, [x.double(), dim, False])


@pytest.mark.parametrize("name", ["_softmax.default", "_log_softmax.default"])
def test_softmax_extremes(name):
    x = torch.tensor([[1000.0, 1000.5, -1000.0, 999.0], [-float("inf"), 0.0, 1.0, -float("inf")],
                      [float("nan"), 0.0, 1.0, 2.0], [-1e30, -1e30, -1e30, -1e30]])
    check(name, [x, 1, False])
    check(name, [x.t().contiguous(), 0, False])


def test_softmax_bad():
    x = torch.randn(3, 4)
    expect_fail("_softmax.default", [x, 2, False], [torch.empty(3, 4)], "dim")
    expect_fail("_softmax.default", [x, -3, False], [torch.empty(3, 4)], "dim")
    expect_fail("_log_softmax.default", [x, 1, True], [torch.empty(3, 4)], "half")
    expect_fail("_softmax.default", [x, 1, False], [torch.empty(4, 3)], "shape")
    expect_fail("_softmax.default", [x.long(), 1, False], [torch.empty(3, 4).long()], "dtype")


# ------------------------------------------------------------------------------------------
# Embedding


@pytest.mark.parametrize("ishape", [(5,), (2, 3), (), (0,), (2, 0, 3)])
@pytest.mark.parametrize("idtype", [torch.int64, torch.int32])
def test_embedding(ishape, idtype):
    w = torch.randn(10, 4)
    idx = torch.randint(0, 10, ishape, dtype=idtype)
    check("embedding.default", [w, idx, -1, False, False])
    check("embedding.default", [w.double(), idx, 2, False, False])
    check("embedding.default", [torch.randint(0, 100, (10, 3)), idx, -1, False, False])


def test_embedding_bad():
    w = torch.randn(10, 4)
    out = torch.empty(3, 4)
    expect_fail("embedding.default", [w, torch.tensor([1, 10, 2]), -1, False, False], [out],
                "out of range")
    expect_fail("embedding.default", [w, torch.tensor([-1, 0, 2]), -1, False, False], [out],
                "out of range")
    expect_fail("embedding.default", [w, torch.tensor([1.0, 0.0, 2.0]), -1, False, False], [out],
                "int64")
    expect_fail("embedding.default", [w, torch.tensor([1, 0, 2]), -1, False, False],
                [torch.empty(3, 5)], "shape")
    expect_fail("embedding.default", [w[0], torch.tensor([1, 0, 2]), -1, False, False], [out],
                "2-D")


# ------------------------------------------------------------------------------------------
# Upsampling


UPSAMPLE_VEC = [
    ((1, 2, 4, 5), None, [2.0, 2.0]),
    ((2, 3, 5, 7), None, [1.5, 0.7]),
    ((1, 1, 10, 10), None, [1.09, 1.05]),
    ((1, 2, 7, 3), None, [3.3, 2.01]),
    ((1, 2, 9, 8), None, [0.5, 0.34]),
    ((1, 2, 4, 5), [9, 11], None),
    ((1, 2, 9, 13), [4, 5], None),
    ((1, 3, 6, 6), [6, 6], None),
    ((1, 2, 1, 1), [3, 4], None),
    ((1, 2, 5, 300), None, [1.0, 1.9]),
]


@pytest.mark.parametrize("case", UPSAMPLE_VEC, ids=[str(i) for i in range(len(UPSAMPLE_VEC))])
def test_upsample_nearest(case):
    xs, osz, sf = case
    x = torch.randn(xs)
    check("upsample_nearest2d.vec", [x, osz, sf])
    check("_upsample_nearest_exact2d.vec", [x, osz, sf])
    check("upsample_nearest2d.vec", [torch.randint(0, 255, xs, dtype=torch.uint8), osz, sf])
    out_hw = list(aten.upsample_nearest2d.vec(x, osz, sf).shape[2:])
    sh, sw = (sf if sf is not None else (None, None))
    check("upsample_nearest2d.default", [x, out_hw, sh, sw])
    check("_upsample_nearest_exact2d.default", [x, out_hw, sh, sw])


@pytest.mark.parametrize("case", UPSAMPLE_VEC, ids=[str(i) for i in range(len(UPSAMPLE_VEC))])
@pytest.mark.parametrize("align", [False, True])
def test_upsample_bilinear(case, align):
    xs, osz, sf = case
    x = torch.randn(xs)
    check("upsample_bilinear2d.vec", [x, osz, align, sf])
    check("upsample_bilinear2d.vec", [x.double(), osz, align, sf])
    out_hw = list(aten.upsample_bilinear2d.vec(x, osz, align, sf).shape[2:])
    sh, sw = (sf if sf is not None else (None, None))
    check("upsample_bilinear2d.default", [x, out_hw, align, sh, sw])


def test_upsample_random_sizes():
    # Index formulas at many size / scale combinations (float rounding at window edges).
    g = torch.Generator().manual_seed(1)
    for _ in range(40):
        h, w = torch.randint(1, 20, (2,), generator=g).tolist()
        sh, sw = (torch.rand(2, generator=g) * 3 + 0.3).tolist()
        x = torch.randn(1, 1, h, w)
        if int(h * sh) < 1 or int(w * sw) < 1:
            continue
        check("upsample_nearest2d.vec", [x, None, [sh, sw]])
        check("_upsample_nearest_exact2d.vec", [x, None, [sh, sw]])
        check("upsample_bilinear2d.vec", [x, None, False, [sh, sw]])
        check("upsample_bilinear2d.vec", [x, None, True, [sh, sw]])


def test_upsample_bad():
    x = torch.randn(1, 2, 4, 4)
    out = torch.empty(1, 2, 8, 8)
    expect_fail("upsample_nearest2d.vec", [x, [8, 8], [2.0, 2.0]], [out], "exactly one")
    expect_fail("upsample_nearest2d.vec", [x, None, None], [out], "exactly one")
    expect_fail("upsample_nearest2d.vec", [x, None, [2.0, 2.0]], [torch.empty(1, 2, 8, 9)],
                "shape")
    expect_fail("upsample_nearest2d.vec", [x, None, [float("inf"), 2.0]], [out], "scale")
    expect_fail("upsample_nearest2d.vec", [x, None, [2.0]], [out], "scale_factors")
    expect_fail("upsample_bilinear2d.vec", [x[0], None, False, [2.0, 2.0]], [out[0]], "4-D")
    expect_fail("upsample_bilinear2d.vec", [x.long(), None, False, [2.0, 2.0]], [out.long()],
                "dtype")
    expect_fail("upsample_bilinear2d.default", [x, [0, 8], False, None, None],
                [torch.empty(1, 2, 0, 8)], "greater than 0")
    expect_fail("_upsample_nearest_exact2d.default", [x, [8], None, None], [out])


# ------------------------------------------------------------------------------------------
# Pixel shuffle


@pytest.mark.parametrize("xs,r", [((1, 8, 3, 4), 2), ((2, 9, 2, 2), 3), ((18, 2, 3), 3),
                                  ((2, 1, 4, 3, 5), 1), ((2, 3, 4, 2, 2), 2), ((0, 4, 2, 2), 2)])
def test_pixel_shuffle(xs, r):
    x = torch.randn(xs)
    check("pixel_shuffle.default", [x, r])
    check("pixel_shuffle.default", [x.long(), r])
    y = aten.pixel_shuffle.default(x, r)
    check("pixel_unshuffle.default", [y, r])
    check("pixel_unshuffle.default", [(y > 0), r])


def test_pixel_shuffle_bad():
    x = torch.randn(1, 6, 2, 2)
    expect_fail("pixel_shuffle.default", [x, 2], [torch.empty(1, 1, 4, 4)], "divisible")
    expect_fail("pixel_shuffle.default", [x, 0], [torch.empty(1, 6, 2, 2)], "positive")
    expect_fail("pixel_shuffle.default", [x[0, 0], 1], [torch.empty(2, 2)], "3 dimensions")
    expect_fail("pixel_unshuffle.default", [torch.randn(1, 1, 3, 4), 2], [torch.empty(1, 4, 1, 2)],
                "divisible")


# ------------------------------------------------------------------------------------------
# Hostile parameters: rejected cleanly (no overflow, no out-of-bounds access)


def test_hostile_parameters():
    x, w = torch.randn(1, 4, 8, 8), torch.randn(8, 4, 3, 3)
    out = torch.empty(1, 8, 8, 8)
    for stride, pad, dil in [([2**40, 1], [1, 1], [1, 1]), ([1, 1], [2**62, 1], [1, 1]),
                             ([1, 1], [1, 1], [2**61, 1]), ([-1, 1], [1, 1], [1, 1])]:
        expect_fail("convolution.default", [x, w, None, stride, pad, dil, False, [0, 0], 1], [out])
        expect_fail("convolution.default",
                    [x, torch.randn(4, 2, 3, 3), None, stride, pad, dil, True, [0, 0], 1], [out])
    expect_fail("convolution.default", [x, w, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 2**62],
                [out])
    expect_fail("convolution.default", [x, w, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 0],
                [out])
    o, i = torch.empty(1, 4, 4, 4), torch.empty(1, 4, 4, 4, dtype=torch.int64)
    expect_fail("max_pool2d_with_indices.default", [x, [2**62, 2], [], [0, 0], [1, 1], False],
                [o, i])
    expect_fail("max_pool2d_with_indices.default", [x, [2, 2], [2, 2], [0, 0], [2**62, 1], True],
                [o, i])
    expect_fail("avg_pool2d.default", [x, [2, 2], [2**62, 2], [0, 0], False, True, None], [o])
    expect_fail("_adaptive_avg_pool2d.default", [x, [2**62, 2]], [o])
    expect_fail("upsample_nearest2d.vec", [x, None, [1e30, 2.0]], [out])
    expect_fail("upsample_bilinear2d.vec", [x, None, False, [float("nan"), 2.0]], [out])
    expect_fail("upsample_nearest2d.default", [x, [2**62, 8], None, None], [out])
    expect_fail("pixel_shuffle.default", [x, 2**40], [out])
    expect_fail("pixel_unshuffle.default", [torch.randn(1, 3, 0, 0), 2**20], [torch.empty(0)])
    expect_fail("_softmax.default", [x, 2**62, False], [torch.empty_like(x)])
    expect_fail("embedding.default", [torch.randn(10, 4), torch.tensor([2**62]), -1, False, False],
                [torch.empty(1, 4)])
    expect_fail("native_group_norm.default", [x, None, None, 1, 4, 64, 2**62, 1e-5],
                [torch.empty_like(x), torch.empty(1, 2), torch.empty(1, 2)])
