"""Portable elementwise kernels vs eager PyTorch, through ember._C.call_kernel.

Each case calls torch.ops.aten.<op>.<overload> for the reference, preallocates an output of the
reference's shape and dtype, runs the Ember kernel and compares. Where PyTorch raises, the kernel
must raise too (RuntimeError), never crash.
"""
import pytest
import torch

C = pytest.importorskip("ember._C")
aten = torch.ops.aten

FLOAT_TOL = dict(rtol=1e-5, atol=1e-6)


@pytest.fixture(autouse=True, scope="module")
def _single_thread():
    # Thousands of tiny eager calls: intra-op threads only add overhead.
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def kcall(name, args, outs):
    # None of these kernels uses scratch memory; skipping the default scratch buffer keeps the
    # thousands of calls below fast.
    C.call_kernel(name, args, outs, scratch_bytes=0)


def _opname(name):
    op, overload = name.split(".")
    return getattr(getattr(aten, op), overload)


def _call_torch(name, args):
    """Calls the functional ATen op with positional args in schema order."""
    fn = _opname(name)
    pos, kw = [], {}
    for a, v in zip(fn._schema.arguments, args):
        if a.kwarg_only:
            kw[a.name] = v
        else:
            pos.append(v)
    return fn(*pos, **kw)


def _kernel_args(args):
    # torch.dtype arguments travel as Ember ScalarType codes, like the exporter writes them.
    from ember.ir import DTYPE_CODES

    return [DTYPE_CODES[a] if isinstance(a, torch.dtype) else a for a in args]


def check(name, args, tol=None, out_like=None):
    """Runs the kernel and compares with PyTorch; returns the reference."""
    try:
        ref = _call_torch(name, args)
    except Exception:
        shape_src = out_like if out_like is not None else next(a for a in args if isinstance(a, torch.Tensor))
        out = torch.empty(shape_src.shape, dtype=shape_src.dtype)
        with pytest.raises(RuntimeError):
            kcall("aten::" + name, _kernel_args(args), [out])
        return None
    out = torch.full_like(ref, 7) if ref.dtype != torch.bool else torch.ones_like(ref)
    kcall("aten::" + name, _kernel_args(args), [out])
    assert out.dtype == ref.dtype and out.shape == ref.shape
    if ref.is_floating_point():
        t = tol or (FLOAT_TOL if ref.dtype == torch.float32 else dict(rtol=1e-12, atol=1e-12))
        torch.testing.assert_close(out, ref, equal_nan=True, **t)
    else:
        assert torch.equal(out, ref), f"{name}: {out} vs {ref}"
    return ref


def expect_error(name, args, outs):
    with pytest.raises(RuntimeError):
        kcall(name, args, outs)


_GEN = torch.Generator().manual_seed(1234)


def rand(shape, dtype=torch.float32, lo=-10, hi=10, nonzero=False, gen=None):
    g = gen or _GEN
    if dtype == torch.bool:
        return torch.randint(0, 2, shape, generator=g).bool()
    if dtype.is_floating_point:
        t = (torch.randn(shape, generator=g) * 3).to(dtype)
    else:
        t = torch.randint(lo, hi, shape, generator=g).to(dtype)
    if nonzero:
        t = torch.where(t == 0, torch.ones((), dtype=dtype), t)
    return t


SHAPE_PAIRS = [
    ((3, 4), (3, 4)),
    ((3, 4), (4,)),
    ((2, 1, 4), (3, 1)),
    ((), (5,)),
    ((2, 3), ()),
    ((), ()),
    ((0, 3), (3,)),
    ((4, 1, 2, 1), (1, 3, 1, 5)),
]
DTYPE_PAIRS = [
    (torch.float32, torch.float32),
    (torch.int64, torch.int64),
    (torch.int64, torch.float32),
    (torch.bool, torch.bool),
    (torch.int32, torch.int64),
    (torch.bool, torch.float32),
    (torch.float64, torch.float32),
    (torch.uint8, torch.int8),
]
SCALARS = [2, -3, 2.5, True, False, 0.0]


def _pairs(nonzero=False):
    for sa, sb in SHAPE_PAIRS:
        for da, db in DTYPE_PAIRS:
            yield rand(sa, da), rand(sb, db, nonzero=nonzero)


# --------------------------------------------------------------------------------------------
# Binary arithmetic


@pytest.mark.parametrize("op", ["add", "sub", "rsub"])
def test_add_sub_rsub(op):
    for a, b in _pairs():
        for alpha in [1, 2, 0.5, True]:
            check(f"{op}.Tensor", [a, b, alpha])
        for s in SCALARS:
            check(f"{op}.Scalar", [a, s, 1])
            check(f"{op}.Scalar", [a, s, 3])


def test_add_scalar_in_tensor_slot():
    # FX graphs may pass a Python number where the schema says Tensor (wrapped number).
    x = rand((3, 4))
    out = torch.empty(3, 4)
    kcall("aten::add.Tensor", [x, 2, 1], [out])
    torch.testing.assert_close(out, x + 2)
    xi = rand((5,), torch.int64)
    outf = torch.empty(5)
    kcall("aten::mul.Tensor", [xi, 1.5], [outf])
    torch.testing.assert_close(outf, xi * 1.5)


def test_mul():
    for a, b in _pairs():
        check("mul.Tensor", [a, b])
        for s in SCALARS:
            check("mul.Scalar", [a, s])


def test_int_wraparound():
    big = torch.tensor([2**62, -(2**63), 2**63 - 1])
    check("add.Tensor", [big, big, 1])
    check("mul.Tensor", [big, big])
    check("sub.Tensor", [big, -big, 1])
    check("neg.default", [big])
    check("abs.default", [big])


@pytest.mark.parametrize("mode", [None, "trunc", "floor"])
def test_div(mode):
    for a, b in _pairs(nonzero=True):
        if mode is None:
            check("div.Tensor", [a, b])
        check("div.Tensor_mode", [a, b, mode])
        for s in [2, -3, 2.5, True, -0.75]:
            if mode is None:
                check("div.Scalar", [a, s])
            check("div.Scalar_mode", [a, s, mode])


def test_div_special_values():
    a = torch.tensor([1.0, -1.0, 0.0, float("inf"), float("nan"), 7.0, -7.0, 5.5, -0.0])
    b = torch.tensor([0.0, 0.0, 0.0, 2.0, 1.0, -2.0, 2.0, -0.5, 3.0])
    for mode in [None, "trunc", "floor"]:
        check("div.Tensor_mode", [a, b, mode])
    check("remainder.Tensor", [a, b])
    check("fmod.Tensor", [a, b])
    check("floor_divide.default", [a, b])


def test_int_division_by_zero_raises():
    a = torch.tensor([1, 2, 3])
    b = torch.tensor([1, 0, 1])
    out = torch.empty(3, dtype=torch.int64)
    for name, args in [
        ("div.Tensor_mode", [a, b, "trunc"]),
        ("div.Tensor_mode", [a, b, "floor"]),
        ("remainder.Tensor", [a, b]),
        ("fmod.Tensor", [a, b]),
        ("floor_divide.default", [a, b]),
        ("remainder.Scalar", [a, 0]),
        ("div.Scalar_mode", [a, 0, "floor"]),
    ]:
        with pytest.raises(RuntimeError):
            _call_torch(name, args)
        expect_error("aten::" + name, args, [out])
    # true division by an integer zero is fine (inf / nan)
    check("div.Tensor", [a, b])


def test_int_min_by_minus_one():
        # INT_MIN / -1 traps (SIGFPE) in eager PyTorch itself, so compare with known values: the
    # kernels must not crash and give the wrapped quotient / zero remainder.
    for dt, lo in [(torch.int64, -(2**63)), (torch.int32, -(2**31))]:
        a = torch.tensor([lo, 7, -7], dtype=dt)
        b = torch.tensor([-1, -1, -1], dtype=dt)
        out = torch.empty(3, dtype=dt)
        for name in ["remainder.Tensor", "fmod.Tensor"]:
            kcall("aten::" + name, [a, b], [out])
            assert out.tolist() == [0, 0, 0]
        for mode in ["trunc", "floor"]:
            kcall("aten::div.Tensor_mode", [a, b, mode], [out])
            assert out.tolist() == [lo, -7, 7]
        kcall("aten::floor_divide.default", [a, b], [out])
        assert out.tolist() == [lo, -7, 7]


@pytest.mark.parametrize("name", ["remainder", "fmod", "floor_divide"])
def test_int_division_family(name):
    tensor_ov = "default" if name == "floor_divide" else "Tensor"
    for a, b in _pairs(nonzero=True):
        check(f"{name}.{tensor_ov}", [a, b])
        for s in [3, -4, 2.5, -1.5]:
            check(f"{name}.Scalar", [a, s])


def test_bad_rounding_mode():
    a = rand((3,))
    expect_error("aten::div.Tensor_mode", [a, a, "round"], [torch.empty(3)])


def test_pow():
    base = rand((3, 4)).abs() + 0.1
    for e in [2, 3, -2, 0.5, -0.5, -1, 0, 1, 1.7, 2.0, True]:
        check("pow.Tensor_Scalar", [base, e])
        check("pow.Tensor_Scalar", [rand((3, 4)), e])
    xi = rand((3, 4), torch.int64, -5, 5)
    for e in [0, 1, 2, 3, 0.5, 2.5]:
        check("pow.Tensor_Scalar", [xi, e])
    check("pow.Tensor_Scalar", [xi, -2])  # integers to negative powers: both raise
    ei = rand((4,), torch.int64, -3, 6)
    check("pow.Tensor_Tensor", [xi, ei])
    check("pow.Tensor_Tensor", [torch.tensor([1, -1, 2, -1, 0]), torch.tensor([-3, -3, -1, -2, 5])])
    check("pow.Tensor_Tensor", [base, rand((4,))])
    check("pow.Tensor_Tensor", [xi, rand((4,))])
    check("pow.Tensor_Tensor", [rand((3,), torch.bool), rand((3,), torch.bool)])
    for s in [2, 2.5, -1, 1]:
        check("pow.Scalar", [s, ei])
        check("pow.Scalar", [s, rand((2, 3))])
    check("pow.Tensor_Tensor", [torch.tensor([3], dtype=torch.int64), torch.tensor([40])])  # wraps
    check("pow.Tensor_Scalar", [rand((0, 2)), 2])
    check("pow.Tensor_Scalar", [torch.tensor(2.0), 3])


@pytest.mark.parametrize("op", ["maximum", "minimum", "atan2"])
def test_max_min_atan2(op):
    for a, b in _pairs():
        check(f"{op}.default", [a, b])
    nan = torch.tensor([float("nan"), 1.0, -2.0, float("inf")])
    other = torch.tensor([0.0, float("nan"), -3.0, 1.0])
    check(f"{op}.default", [nan, other])


# --------------------------------------------------------------------------------------------
# Comparisons, logical, bitwise


@pytest.mark.parametrize("op", ["eq", "ne", "lt", "le", "gt", "ge"])
def test_compare(op):
    for a, b in _pairs():
        check(f"{op}.Tensor", [a, b])
        for s in SCALARS + [0, 1]:
            check(f"{op}.Scalar", [a, s])
    # int vs fractional float scalar compares in float
    xi = torch.arange(-3, 4)
    check(f"{op}.Scalar", [xi, 0.5])
    check(f"{op}.Tensor", [xi, torch.tensor(1.5)])
    nan = torch.tensor([float("nan"), 1.0])
    check(f"{op}.Tensor", [nan, nan])


def test_compare_wrong_out_dtype():
    a = rand((3,))
    expect_error("aten::eq.Tensor", [a, a], [torch.empty(3)])


@pytest.mark.parametrize("op", ["logical_and", "logical_or", "logical_xor"])
def test_logical(op):
    for a, b in _pairs():
        check(f"{op}.default", [a, b])
    check(f"{op}.default", [torch.tensor([float("nan"), 0.0, 0.5]), torch.tensor([1, 1, 0])])


def test_logical_not():
    for shape in [(3, 4), (), (0,)]:
        for dt in [torch.float32, torch.int64, torch.bool, torch.uint8]:
            check("logical_not.default", [rand(shape, dt)])
    check("logical_not.default", [torch.tensor([float("nan"), 0.0, -0.0])])


@pytest.mark.parametrize("op", ["bitwise_and", "bitwise_or", "bitwise_xor"])
def test_bitwise(op):
    for a, b in _pairs():
        check(f"{op}.Tensor", [a, b])
    xi = rand((5,), torch.int64, -100, 100)
    for s in [5, -1, True]:
        check(f"{op}.Scalar", [xi, s])
    check(f"{op}.Scalar", [rand((5,), torch.bool), True])


def test_bitwise_not():
    for dt in [torch.int64, torch.int32, torch.uint8, torch.bool, torch.int8]:
        check("bitwise_not.default", [rand((3, 2), dt)])
    check("bitwise_not.default", [rand((3,))])  # float raises


# --------------------------------------------------------------------------------------------
# where / masked_fill / clamp


def test_where():
    for sa, sb in SHAPE_PAIRS:
        for da, db in DTYPE_PAIRS:
            cond = rand(sa, torch.bool)
            check("where.self", [cond, rand(sb, da), rand(sa, db)])
            check("where.self", [rand(sb, torch.bool), rand(sa, da), rand((), db)])
    cond = torch.tensor([True, False, True])
    x = torch.tensor([1.0, 2.0, 3.0])
    out = torch.empty(3)
    kcall("aten::where.self", [cond, x, 0.0], [out])  # Python number operand
    torch.testing.assert_close(out, torch.tensor([1.0, 0.0, 3.0]))


def test_where_bad_args():
    cond = rand((3,), torch.bool)
    x = rand((3,))
    expect_error("aten::where.self", [x, x, x], [torch.empty(3)])  # float condition
    expect_error("aten::where.self", [cond, x, rand((4,))], [torch.empty(3)])  # not broadcastable
    expect_error("aten::where.self", [cond, x, x], [torch.empty(4)])  # wrong out shape
    expect_error("aten::where.self", [cond, x, x], [torch.empty(3, dtype=torch.float64)])


def test_masked_fill():
    for dt in [torch.float32, torch.int64, torch.bool, torch.int32, torch.float64]:
        for sx, sm in [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (2, 1, 5)), ((), ()), ((0, 2), (2,))]:
            x, m = rand(sx, dt), rand(sm, torch.bool)
            for v in [0, -2.5, True, 7]:
                check("masked_fill.Scalar", [x, m, v])
            check("masked_fill.Tensor", [x, m, torch.tensor(3.5)])
            check("masked_fill.Tensor", [x, m, torch.tensor(False)])
    x = rand((3,))
    expect_error("aten::masked_fill.Tensor", [x, rand((3,), torch.bool), torch.ones(2)], [torch.empty(3)])
    expect_error("aten::masked_fill.Scalar", [x, rand((3,)), 1.0], [torch.empty(3)])  # float mask


def test_clamp():
    for dt in [torch.float32, torch.int64, torch.int32, torch.float64, torch.uint8]:
        for shape in [(3, 4), (), (0,)]:
            x = rand(shape, dt)
            for lo, hi in [(-1, 1), (None, 2), (-0.5, None), (2, -2), (0.5, 1.5), (True, None)]:
                check("clamp.default", [x, lo, hi])
            check("clamp_min.default", [x, 1])
            check("clamp_max.default", [x, -1.5])
            check("clamp.default", [x, None, None])  # raises in both
    x = torch.tensor([float("nan"), -3.0, 3.0, 0.2])
    check("clamp.default", [x, -1.0, 1.0])
    for sx, sl, sh in [((3, 4), (4,), (3, 1)), ((3, 4), (), None), ((2,), None, (3, 1)), ((), (2,), (2,))]:
        for dt in [torch.float32, torch.int64]:
            lo = rand(sl, dt) if sl is not None else None
            hi = rand(sh, torch.float32) if sh is not None else None
            check("clamp.Tensor", [rand(sx, dt), lo, hi])
            if lo is not None:
                check("clamp_min.Tensor", [rand(sx, dt), lo])
            if hi is not None:
                check("clamp_max.Tensor", [rand(sx, dt), hi])


# --------------------------------------------------------------------------------------------
# Unary


UNARY_FLOAT = ["sigmoid", "tanh", "exp", "log", "log2", "log1p", "expm1", "sqrt", "rsqrt",
               "reciprocal", "sin", "cos", "erf", "exp2"]
UNARY_SAME = ["relu", "neg", "abs", "floor", "ceil", "round", "trunc", "sign", "sgn"]
SPECIAL = torch.tensor([0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 88.0, -88.0, 1e-7,
                        float("inf"), -float("inf"), float("nan"), 3.7, -3.7, 100.0, -100.0])


@pytest.mark.parametrize("op", UNARY_FLOAT + UNARY_SAME)
def test_unary(op):
    name = f"{op}.default"
    for dt in [torch.float32, torch.float64, torch.int64, torch.int32, torch.bool, torch.uint8]:
        for shape in [(4, 5), (), (0, 3)]:
            check(name, [rand(shape, dt)])
    check(name, [SPECIAL])
    check(name, [SPECIAL.double()])
    check(name, [torch.linspace(-20, 20, 1001)])


@pytest.mark.parametrize("op", ["exp", "sigmoid", "tanh", "erf", "silu", "gelu"])
def test_simd_math_wide_range(op):
    # The float32 SIMD paths (exp / tanh / erf polynomials) across their whole range, including
    # overflow / underflow, denormal results, tails that are not a multiple of the vector width
    # and integer inputs converted in chunks.
    name = f"{op}.default"
    extra = ["none"] if op == "gelu" else []
    for x in [torch.linspace(-110, 95, 20001), torch.linspace(-5, 5, 10007), SPECIAL,
              torch.logspace(-30, 1, 999), -torch.logspace(-30, 1, 999)]:
        check(name, [x] + extra)
    if op != "gelu" and op != "silu":
        check(name, [torch.arange(-300, 301)] + extra)
        check(name, [torch.arange(-3, 4).to(torch.int32)] + extra)
    if op == "gelu":
        check(name, [torch.linspace(-12, 12, 4001), "tanh"])


def test_unary_bad_args():
    x = rand((3,))
    expect_error("aten::exp.default", [x], [torch.empty(4)])
    expect_error("aten::exp.default", [x], [torch.empty(3, dtype=torch.float64)])
    expect_error("aten::exp.default", [x, x], [torch.empty(3)])
    expect_error("aten::exp.default", [1.0], [torch.empty(3)])
    expect_error("aten::relu.default", [x], [])


def test_round_decimals():
    x = rand((50,)) * 10
    for d in [0, 1, 2, -1, -2]:
        check("round.decimals", [x, d])


def test_activations():
    xs = [torch.linspace(-8, 8, 401), rand((3, 4)), torch.tensor(0.3), rand((0, 2)), SPECIAL,
          torch.linspace(-8, 8, 41).double()]
    for x in xs:
        check("hardtanh.default", [x, -1, 1])
        check("hardtanh.default", [x, -0.5, 2.0])
        check("hardswish.default", [x])
        check("hardsigmoid.default", [x])
        check("gelu.default", [x, "none"])
        check("gelu.default", [x, "tanh"])
        check("silu.default", [x])
        check("mish.default", [x])
        check("elu.default", [x, 1, 1, 1], tol=dict(rtol=1e-5, atol=1e-5))
        check("elu.default", [x, 0.5, 1.2, 2.0], tol=dict(rtol=1e-5, atol=1e-5))
        check("leaky_relu.default", [x, 0.01])
        check("leaky_relu.default", [x, 0.2])
        check("softplus.default", [x, 1, 20])
        check("softplus.default", [x, 2.0, 3])
        check("threshold.default", [x, 0.5, -1.0])
        check("nan_to_num.default", [x, None, None, None])
        check("nan_to_num.default", [x, 1.5, 100.0, -100.0])
        check("isnan.default", [x])
        check("isinf.default", [x])
    xi = rand((3, 4), torch.int64)
    check("hardtanh.default", [xi, -2, 3])
    check("threshold.default", [xi, 1, 100])
    check("nan_to_num.default", [xi, None, None, None])
    check("isnan.default", [xi])
    check("isinf.default", [rand((3,), torch.bool)])
    check("relu.default", [xi])
    x = rand((3,))
    expect_error("aten::gelu.default", [x, "fast"], [torch.empty(3)])
    expect_error("aten::silu.default", [xi], [torch.empty(3, 4, dtype=torch.int64)])


def test_glu():
    x = rand((4, 6, 2))
    for d in [0, 1, -1, -2]:
        check("glu.default", [x, d])
    check("glu.default", [rand((0, 4)), 1])
    check("glu.default", [rand((3, 4)).double(), 1])
    for bad in [3, -4]:  # out of range dim
        expect_error("aten::glu.default", [x, bad], [torch.empty(4, 6, 1)])
    expect_error("aten::glu.default", [rand((3, 5)), 1], [torch.empty(3, 2)])  # odd size
    expect_error("aten::glu.default", [torch.tensor(1.0), 0], [torch.empty(())])
    expect_error("aten::glu.default", [x, 1], [torch.empty(4, 6, 2)])  # wrong out shape


def test_prelu():
    x = rand((2, 3, 4))
    check("prelu.default", [x, torch.tensor([0.1, 0.2, -0.3])])
    check("prelu.default", [x, torch.tensor([0.25])])
    check("prelu.default", [x, torch.tensor(0.25)])
    check("prelu.default", [rand((5,)), torch.tensor([0.25])])
    check("prelu.default", [rand((2, 3)), torch.tensor([0.1, 0.2, 0.3])])
    check("prelu.default", [rand((0, 3, 2)), torch.tensor([0.1, 0.2, 0.3])])
    expect_error("aten::prelu.default", [x, torch.ones(4)], [torch.empty(2, 3, 4)])
    expect_error("aten::prelu.default", [x, torch.ones(3, 1)], [torch.empty(2, 3, 4)])


# --------------------------------------------------------------------------------------------
# Conversions and fills


ALL_DTYPES = [torch.float32, torch.float64, torch.int64, torch.int32, torch.int16, torch.int8,
              torch.uint8, torch.bool]


def test_to_copy():
    srcs = [rand((3, 4), d) for d in ALL_DTYPES] + [
        torch.tensor([0.0, -0.0, 1.5, -1.5, 2.7, -2.7, 0.1, 200.0, 100.9]),
        torch.tensor(3.9), rand((0, 2))]
    for x in srcs:
        for dt in ALL_DTYPES:
            check("_to_copy.default", [x, dt, None, None, None, False, None])
        check("_to_copy.default", [x, None, None, None, None, False, None])
    x = rand((3,))
    # dtype argument disagreeing with out
    expect_error("aten::_to_copy.default", [x, 1, None, None, None, False, None], [torch.empty(3)])
    expect_error("aten::_to_copy.default", [x, 99, None, None, None, False, None], [torch.empty(3)])


def test_clone_fill_like():
    for dt in ALL_DTYPES:
        for shape in [(2, 3), (), (0, 4)]:
            x = rand(shape, dt)
            check("clone.default", [x, None])
            for v in [0, 3, -1.5, True]:
                check("fill.Scalar", [x, v])
                check("full_like.default", [x, v, None, None, None, None, None])
                check("full_like.default", [x, v, torch.float64, None, None, None, None])
            check("fill.Tensor", [x, torch.tensor(2.5)])
            check("fill.Tensor", [x, torch.tensor(4, dtype=torch.int64)])
            check("zeros_like.default", [x, None, None, None, None, None])
            check("ones_like.default", [x, None, None, None, None, None])
            check("zeros_like.default", [x, torch.int32, None, None, None, None])
            check("ones_like.default", [x, torch.bool, None, None, None, None])
    x = rand((3,))
    expect_error("aten::fill.Tensor", [x, torch.ones(2)], [torch.empty(3)])
    expect_error("aten::clone.default", [x, None], [torch.empty(2)])
    expect_error("aten::zeros_like.default", [x, None, None, None, None, None], [torch.empty(3, dtype=torch.int64)])


def test_fill_value_overflow():
    # Scalar values that do not fit the tensor's dtype raise (c10's checked conversion), except
    # negative integers into unsigned types (they wrap) and anything into bool.
    for dt in [torch.uint8, torch.int8, torch.int32, torch.float32, torch.bool]:
        x = torch.zeros(2, dtype=dt)
        for v in [-1, -256, 300, 1e40, float("inf"), float("nan"), -1.5, 2**40, True]:
            check("fill.Scalar", [x, v])
            check("full_like.default", [x, v, None, None, None, None, None])
            check("masked_fill.Scalar", [x, torch.tensor([True, False]), v])


def test_lerp():
    for sa, sb in SHAPE_PAIRS:
        a, b = rand(sa), rand(sb)
        for w in [0.0, 0.25, 0.5, 0.75, 1.0, -0.6, 2, True]:
            check("lerp.Scalar", [a, b, w])
        check("lerp.Tensor", [a, b, rand(sb)])
        check("lerp.Tensor", [a, b, torch.tensor(0.7)])
    x = rand((3,))
    check("lerp.Scalar", [x, x.double(), 0.5])  # dtype mismatch raises in both
    check("lerp.Scalar", [x.long(), x.long(), 0.5])


@pytest.mark.parametrize("op", ["addcmul", "addcdiv"])
def test_addcmul_addcdiv(op):
    shapes = [((3, 4), (3, 4), (3, 4)), ((3, 4), (4,), (3, 1)), ((), (2,), (3, 1)), ((0, 2), (2,), ())]
    for s0, s1, s2 in shapes:
        for dts in [(torch.float32,) * 3, (torch.int64,) * 3, (torch.float32, torch.int64, torch.float32),
                    (torch.int64, torch.float32, torch.int64), (torch.float64, torch.float32, torch.float32)]:
            for v in [1, 2, 0.5, -1.5]:
                args = [rand(s0, dts[0]), rand(s1, dts[1]), rand(s2, dts[2], nonzero=True), v]
                check(f"{op}.default", args)


# --------------------------------------------------------------------------------------------
# Robustness


def test_bad_arguments_raise():
    x = rand((3, 4))
    y = rand((4,))
    out = torch.empty(3, 4)
    expect_error("aten::add.Tensor", [x, y], [out])  # arity
    expect_error("aten::add.Tensor", [x, y, 1], [torch.empty(3, 5)])  # out shape
    expect_error("aten::add.Tensor", [x, y, 1], [torch.empty(4)])  # out rank
    expect_error("aten::add.Tensor", [x, y, 1], [torch.empty(3, 4, dtype=torch.int64)])  # out dtype
    expect_error("aten::add.Tensor", [x, rand((5,)), 1], [out])  # not broadcastable
    expect_error("aten::add.Tensor", [x, y, None], [out])  # alpha not a number
    expect_error("aten::add.Tensor", [x, "str", 1], [out])
    expect_error("aten::add.Tensor", [x.long(), y.long(), 0.5], [out.long()])  # float alpha on ints
    
    expect_error("aten::sub.Tensor", [x.bool(), y.bool(), 1], [out.bool()])
    expect_error("aten::mul.Tensor", [x, y], [torch.empty(3, 4, dtype=torch.float64)])
    expect_error("aten::div.Tensor", [x.long(), y.long()], [torch.empty(3, 4, dtype=torch.int64)])
    expect_error("aten::maximum.default", [x, y, y], [out])
    expect_error("aten::clamp.default", [x, None, None], [out])
    expect_error("aten::bitwise_and.Tensor", [x, y], [out])
    expect_error("aten::where.self", [x.bool(), x], [out])
    expect_error("aten::add.Tensor", [x.half(), y.half(), 1], [out.half()])  # unsupported dtype


def test_large_broadcast_matches():
    # exercises the coalesced N-d strided loop with mixed dtypes
    a = rand((2, 3, 1, 5, 1), torch.int32)
    b = rand((3, 4, 1, 6), torch.float32)
    check("add.Tensor", [a, b, 2])
    check("mul.Tensor", [b, a])
    check("gt.Tensor", [a, b])
    check("where.self", [rand((4, 5, 1), torch.bool), a, b])
