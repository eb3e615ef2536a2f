"""Shape / view / indexing / reduction kernels vs eager PyTorch, through ember._C.call_kernel."""
import math

import pytest
import torch

C = pytest.importorskip("ember._C")

ALL_DTYPES = [
    torch.float32,
    torch.float64,
    torch.int64,
    torch.int32,
    torch.int16,
    torch.int8,
    torch.uint8,
    torch.bool,
]


def make(shape, dtype=torch.float32, seed=0):
    g = torch.Generator().manual_seed(seed)
    if dtype == torch.bool:
        return torch.randint(0, 2, shape, generator=g).bool()
    if dtype.is_floating_point:
        return torch.randn(shape, generator=g, dtype=torch.float64).to(dtype)
    lo = 0 if dtype == torch.uint8 else -50
    return torch.randint(lo, 50, shape, generator=g).to(dtype)


def aten(name):
    op, overload = name.split("::")[1].split(".")
    return getattr(getattr(torch.ops.aten, op), overload)


def sentinel(e):
    """A tensor of e's shape/dtype whose every (finite) element differs from e."""
    e = e.contiguous()
    if e.dtype == torch.bool:
        return ~e
    return (e + 1).to(e.dtype)


def assert_same(actual, expected, rtol=None, atol=None):
    assert actual.shape == expected.shape, f"shape {tuple(actual.shape)} != {tuple(expected.shape)}"
    assert actual.dtype == expected.dtype
    if expected.dtype.is_floating_point and rtol is not None:
        torch.testing.assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=True)
    else:
        torch.testing.assert_close(actual, expected, rtol=0, atol=0, equal_nan=True)


def check(name, args, kwargs=None, rtol=None, atol=None, expected=None):
    """Runs aten op `name` eagerly and through the kernel (args + kwargs values in schema order,
    then preallocated outputs) and compares. Returns the kernel outputs."""
    kwargs = kwargs or {}
    exp = aten(name)(*args, **kwargs) if expected is None else expected
    kargs = list(args) + list(kwargs.values())
    if isinstance(exp, torch.Tensor):
        outs = [sentinel(exp)]
        call(name, kargs, outs)
        assert_same(outs[0], exp, rtol, atol)
        return outs[0]
    if isinstance(exp, list):  # Tensor[] output
        outs = [sentinel(e) for e in exp]
        call(name, kargs, [outs])
        for o, e in zip(outs, exp):
            assert_same(o, e, rtol, atol)
        return outs
    outs = [sentinel(e) for e in exp]  # tuple of tensors
    call(name, kargs, outs)
    for o, e in zip(outs, exp):
        assert_same(o, e, rtol, atol)
    return outs


def call(name, args, outs):
    C.call_kernel(name, args, outs, scratch_bytes=0)  # these kernels need no scratch


def fails(name, args, outs, match=None):
    with pytest.raises(RuntimeError, match=match):
        call(name, args, outs)


def test_registered():
    names = set(C.registered_kernels())
    for n in [
        "aten::view.default",
        "aten::permute.default",
        "aten::index.Tensor",
        "aten::cat.default",
        "aten::sum.dim_IntList",
        "aten::topk.default",
    ]:
        assert n in names, n


# ------------------------------------------------------------------------------------------
# View-like ops (copies).


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_view_family(dtype):
    x = make((2, 3, 4), dtype)
    check("aten::view.default", [x, [6, -1]])
    check("aten::view_copy.default", [x, [24]])
    check("aten::_unsafe_view.default", [x, [4, 6]])
    check("aten::reshape.default", [x, [-1, 2, 2]])
    check("aten::_reshape_alias.default", [x, [6, 4], [4, 1]])
    check("aten::squeeze.default", [make((1, 3, 1, 2), dtype)])
    check("aten::squeeze.dim", [make((1, 3, 1, 2), dtype), -2])
    check("aten::squeeze.dim", [make((1, 3, 1, 2), dtype), 1])  # not size 1: no-op
    check("aten::unsqueeze.default", [x, -1])
    check("aten::unsqueeze.default", [x, 0])
    check("aten::flatten.using_ints", [x, 1, -1])
    check("aten::flatten.using_ints", [x, 0, 1])
    check("aten::alias.default", [x])


def test_view_edge_cases():
    s = torch.tensor(3.5)
    check("aten::view.default", [s, [1, 1]])
    check("aten::view.default", [torch.ones(1), []])
    check("aten::reshape.default", [torch.empty(0, 3), [3, 0, 1]])
    check("aten::squeeze.default", [s])
    check("aten::squeeze.dim", [s, -1])
    check("aten::unsqueeze.default", [s, 0])
    check("aten::flatten.using_ints", [s, 0, -1])
    check("aten::_reshape_alias.default", [make((3, 4)), [4, 3], [1, 4]])  # strided alias
    # The memory planner may alias out to the input: nothing to do, contents intact.
    x = make((4, 6))
    keep = x.clone()
    out = x.view(24)  # same memory
    call("aten::view.default", [x, [24]], [out])
    assert torch.equal(out, keep.view(24))


def test_view_errors():
    x = make((2, 3))
    fails("aten::view.default", [x, [5]], [torch.empty(5)])
    fails("aten::view.default", [x, [-1, -1]], [torch.empty(6)])
    fails("aten::view.default", [x, [3, 2]], [torch.empty(2, 3)])  # wrong out shape
    fails("aten::view.default", [x, [6]], [torch.empty(6, dtype=torch.float64)])
    fails("aten::view.default", [x], [torch.empty(6)])  # arity
    fails("aten::view.default", [x, 6], [torch.empty(6)])  # wrong tag
    fails("aten::squeeze.dim", [x, 2], [torch.empty(2, 3)])
    fails("aten::unsqueeze.default", [x, 4], [torch.empty(2, 3, 1)])
    fails("aten::flatten.using_ints", [x, 1, 0], [torch.empty(6)])


# ------------------------------------------------------------------------------------------
# Data movement.


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_permute_transpose_t(dtype):
    x = make((2, 3, 4, 5), dtype)
    check("aten::permute.default", [x, [3, 1, 0, 2]])
    check("aten::permute.default", [x, [0, 2, 1, -1]])
    check("aten::permute_copy.default", [x, [-1, -2, -3, -4]])
    check("aten::transpose.int", [x, 1, -1])
    check("aten::transpose_copy.int", [x, 0, 0])
    check("aten::t.default", [make((3, 7), dtype)])
    check("aten::t.default", [make((5,), dtype)])


def test_permute_large_and_edges():
    x = make((67, 131))
    check("aten::transpose.int", [x, 0, 1])  # tiled transpose path
    check("aten::permute.default", [make((3, 40, 33, 2)), [2, 1, 3, 0]])
    check("aten::permute.default", [torch.tensor(2.0), []])
    check("aten::transpose.int", [torch.tensor(2.0), 0, -1])
    check("aten::permute.default", [torch.empty(0, 3, 2), [2, 0, 1]])
    check("aten::t.default", [torch.tensor(1.0)])
    fails("aten::permute.default", [x, [0, 0]], [torch.empty(67, 131)])
    fails("aten::permute.default", [x, [0]], [torch.empty(67, 131)])
    fails("aten::permute.default", [x, [0, 2]], [torch.empty(67, 131)])
    fails("aten::transpose.int", [x, 0, 2], [torch.empty(131, 67)])
    fails("aten::t.default", [make((2, 2, 2))], [torch.empty(2, 2, 2)])
    fails("aten::transpose.int", [x, 0, 1], [torch.empty(67, 131)])  # wrong out shape
    # Output aliasing the input of a real permutation must be refused, not corrupt memory.
    sq = make((8, 8))
    fails("aten::transpose.int", [sq, 0, 1], [sq])


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_expand_repeat(dtype):
    x = make((3, 1, 2), dtype)
    check("aten::expand.default", [x, [2, 3, 4, 2]], {"implicit": False})
    check("aten::expand.default", [x, [-1, 5, -1]], {"implicit": False})
    check("aten::expand_copy.default", [x, [3, 0, 2]], {"implicit": False})
    check("aten::repeat.default", [x, [2, 1, 3]])
    check("aten::repeat.default", [x, [2, 2, 1, 2]])
    check("aten::repeat.default", [x, [1, 0, 1]])


def test_expand_repeat_edges():
    s = torch.tensor(1.5)
    check("aten::expand.default", [s, [2, 3]], {"implicit": False})
    check("aten::repeat.default", [s, [3]])
    check("aten::repeat.default", [s, []])
    fails("aten::expand.default", [make((3, 2)), [4, 2], False], [torch.empty(4, 2)])
    fails("aten::expand.default", [make((3, 2)), [2], False], [torch.empty(2)])
    fails("aten::expand.default", [make((1, 2)), [-1, 3, 2], False], [torch.empty(1, 3, 2)])
    fails("aten::repeat.default", [make((3, 2)), [2]], [torch.empty(6, 2)])
    fails("aten::repeat.default", [make((3, 2)), [2, -1]], [torch.empty(6, 2)])


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool, torch.int16])
def test_slice_select_narrow(dtype):
    x = make((4, 7, 3), dtype)
    for dim, start, end, step in [
        (0, None, None, 1),
        (1, 1, 5, 2),
        (1, -3, None, 1),
        (-1, 1, 100, 1),
        (1, -100, 3, 3),
        (1, 5, 2, 1),  # empty
        (1, 10, 20, 1),  # clamped to empty
        (0, 0, 9223372036854775807, 1),  # INT64_MAX end like the exporter emits
    ]:
        check("aten::slice.Tensor", [x, dim, start, end, step])
    check("aten::slice_copy.Tensor", [x, 2, 0, 2, 1])
    for dim, idx in [(0, 0), (0, -1), (1, 6), (-1, -3), (2, 1)]:
        check("aten::select.int", [x, dim, idx])
    check("aten::select_copy.int", [x, 1, 2])
    check("aten::select.int", [make((5,), dtype), 0, -2])  # -> 0-d
    for dim, start, length in [(0, 1, 2), (1, -3, 3), (2, 0, 0), (-1, 1, 2)]:
        check("aten::narrow.default", [x, dim, start, length])
    check("aten::narrow_copy.default", [x, 1, 2, 4])


def test_slice_select_errors():
    x = make((4, 7))
    fails("aten::slice.Tensor", [x, 0, 0, 2, 0], [torch.empty(2, 7)])  # step 0
    fails("aten::slice.Tensor", [x, 2, 0, 2, 1], [torch.empty(2, 7)])  # dim
    fails("aten::slice.Tensor", [x, 0, 0, 2, 1], [torch.empty(3, 7)])  # out shape
    fails("aten::slice.Tensor", [torch.tensor(1.0), 0, 0, 1, 1], [torch.empty(1)])
    fails("aten::select.int", [x, 1, 7], [torch.empty(4)])
    fails("aten::select.int", [x, 1, -8], [torch.empty(4)])
    fails("aten::narrow.default", [x, 1, 5, 3], [torch.empty(4, 3)])
    fails("aten::narrow.default", [x, 1, 0, -1], [torch.empty(4, 0)])


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_cat_stack(dtype):
    a, b, c = make((2, 3, 4), dtype, 1), make((2, 5, 4), dtype, 2), make((2, 0, 4), dtype, 3)
    check("aten::cat.default", [[a, b, c], 1])
    check("aten::cat.default", [[a, a], -1])
    check("aten::cat.default", [[a, torch.empty(0, dtype=dtype), a], 0])  # legacy empty skipped
    check("aten::stack.default", [[a, a, a], 0])
    check("aten::stack.default", [[a, a], -1])
    check("aten::stack.default", [[a], 2])


def test_cat_stack_promotion_and_errors():
    a = make((2, 3))
    i = make((2, 3), torch.int64)
    check("aten::cat.default", [[a, i], 0])
    check("aten::cat.default", [[i, make((2, 3), torch.bool)], 1])
    check("aten::stack.default", [[a, i, make((2, 3), torch.bool)], 1])
    check("aten::cat.default", [[torch.empty(0), torch.empty(0)], 0])
    check("aten::stack.default", [[torch.tensor(1.0), torch.tensor(2.0)], 0])
    fails("aten::cat.default", [[a, make((3, 3))], 1], [torch.empty(5, 3)])
    fails("aten::cat.default", [[a, make((2,))], 0], [torch.empty(4, 3)])
    fails("aten::cat.default", [[a, a], 2], [torch.empty(2, 6)])
    fails("aten::cat.default", [[a, a], 0], [torch.empty(4, 4)])
    fails("aten::cat.default", [[torch.tensor(1.0)], 0], [torch.empty(1)])
    fails("aten::stack.default", [[a, make((3, 2))], 0], [torch.empty(2, 2, 3)])
    fails("aten::stack.default", [[a, a], 3], [torch.empty(2, 3, 2)])


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool])
def test_split_family(dtype):
    x = make((7, 4, 3), dtype)
    check("aten::split.Tensor", [x, 3, 0])
    check("aten::split.Tensor", [x, 2, -2])
    check("aten::split.Tensor", [x, 10, 0])
    check("aten::split_copy.Tensor", [x, 1, 2])
    check("aten::split.Tensor", [make((0, 2), dtype), 2, 0])
    check("aten::split_with_sizes.default", [x, [2, 0, 5], 0])
    check("aten::split_with_sizes.default", [x, [1, 2], -1])
    check("aten::unbind.int", [x, 1])
    check("aten::unbind.int", [x, -1])
    check("aten::unbind.int", [make((1, 0), dtype), 0])
    check("aten::chunk.default", [x, 3, 0])
    check("aten::chunk.default", [x, 4, 1])
    check("aten::chunk.default", [x, 5, 0])  # 7 into pieces of 2: only 4 chunks
    check("aten::chunk.default", [make((0, 2), dtype), 3, 0])


def test_split_errors():
    x = make((6, 2))
    outs = [torch.empty(3, 2), torch.empty(3, 2)]
    fails("aten::split.Tensor", [x, 3, 0], [[outs[0]]])  # wrong count
    fails("aten::split.Tensor", [x, 0, 0], [outs])
    fails("aten::split.Tensor", [x, 3, 0], [[torch.empty(3, 2), torch.empty(2, 2)]])
    fails("aten::split_with_sizes.default", [x, [2, 2], 0], [[torch.empty(2, 2)] * 2])
    fails("aten::split_with_sizes.default", [x, [7, -1], 0], [[torch.empty(7, 2)] * 2])
    fails("aten::unbind.int", [x, 2], [[torch.empty(6)] * 2])
    fails("aten::chunk.default", [x, 0, 0], [[torch.empty(6, 2)]])


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool, torch.uint8])
def test_constant_pad(dtype):
    x = make((2, 3, 4), dtype)
    v = True if dtype == torch.bool else 3
    check("aten::constant_pad_nd.default", [x, [1, 2], v])
    check("aten::constant_pad_nd.default", [x, [1, 0, 0, 2, 1, 1], 0])
    check("aten::constant_pad_nd.default", [x, [-1, 1, 2, -2], v])  # negative pads crop
    check("aten::constant_pad_nd.default", [x, [-2, -2], v])  # crop to empty
    check("aten::constant_pad_nd.default", [x, [], v])


def test_constant_pad_edges():
    x = make((2, 3))
    check("aten::constant_pad_nd.default", [x, [1, 1], -1.5])
    check("aten::constant_pad_nd.default", [x, [2, 2], float("-inf")])
    check("aten::constant_pad_nd.default", [torch.empty(0, 2), [1, 1, 1, 1], 2.0])
    check("aten::constant_pad_nd.default", [x, [-3, 1], 2.0])
    fails("aten::constant_pad_nd.default", [x, [1], 0.0], [torch.empty(2, 4)])
    fails("aten::constant_pad_nd.default", [x, [1, 1, 1, 1, 1, 1], 0.0], [torch.empty(4, 4, 3)])
    fails("aten::constant_pad_nd.default", [x, [-5, 0], 0.0], [torch.empty(2, 0)])
    fails("aten::constant_pad_nd.default", [x, [1, 1], 0.0], [torch.empty(2, 4)])


@pytest.mark.parametrize(
    "name,shape,pad",
    [
        ("aten::reflection_pad1d.default", (2, 5), [2, 3]),
        ("aten::reflection_pad1d.default", (2, 3, 5), [4, 0]),
        ("aten::reflection_pad2d.default", (3, 4, 5), [1, 2, 3, 0]),
        ("aten::reflection_pad2d.default", (2, 3, 4, 5), [4, 4, 3, 3]),
        ("aten::reflection_pad3d.default", (1, 3, 4, 5), [1, 2, 2, 1, 0, 2]),
        ("aten::replication_pad1d.default", (2, 5), [7, 3]),
        ("aten::replication_pad2d.default", (2, 3, 4, 5), [1, 6, 0, 2]),
        ("aten::replication_pad2d.default", (3, 1, 1), [2, 2, 2, 2]),
        ("aten::replication_pad3d.default", (2, 1, 3, 4, 5), [1, 1, 1, 1, 1, 1]),
    ],
)
def test_reflection_replication_pad(name, shape, pad):
    check(name, [make(shape), pad])
    check(name, [make(shape, torch.float64), pad])


def test_pad_errors():
    x = make((2, 3, 4))
    fails("aten::reflection_pad2d.default", [x, [4, 0, 0, 0]], [torch.empty(2, 3, 8)])
    fails("aten::reflection_pad2d.default", [x, [1, 1]], [torch.empty(2, 3, 6)])
    fails("aten::reflection_pad2d.default", [make((4,)), [1, 1, 1, 1]], [torch.empty(6)])
    fails("aten::replication_pad2d.default", [x, [1, 1, 1, 1]], [torch.empty(2, 5, 5)])


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool, torch.int8])
def test_roll_flip(dtype):
    x = make((3, 4, 5), dtype)
    check("aten::roll.default", [x, [2], [0]])
    check("aten::roll.default", [x, [1, -7], [-1, 1]])
    check("aten::roll.default", [x, [13], []])
    check("aten::roll.default", [x, [1, 2], [2, 2]])  # repeated dim accumulates
    check("aten::roll.default", [x, [-3, 4, 5], [0, 1, 2]])
    check("aten::flip.default", [x, [0]])
    check("aten::flip.default", [x, [-1, 1]])
    check("aten::flip.default", [x, []])
    check("aten::flip.default", [x, [0, 1, 2]])


def test_roll_flip_edges():
    check("aten::roll.default", [torch.empty(0, 3), [1], [1]])
    check("aten::roll.default", [torch.tensor(2.0), [3], []])
    check("aten::flip.default", [torch.tensor(2.0), [0]])
    check("aten::flip.default", [torch.empty(2, 0), [0, 1]])
    x = make((3, 4))
    fails("aten::roll.default", [x, [1, 2], [0]], [torch.empty(3, 4)])
    fails("aten::roll.default", [x, [1, 2], []], [torch.empty(3, 4)])
    fails("aten::roll.default", [x, [1], [2]], [torch.empty(3, 4)])
    fails("aten::flip.default", [x, [0, 0]], [torch.empty(3, 4)])
    fails("aten::flip.default", [x, [2]], [torch.empty(3, 4)])


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool, torch.int16])
def test_index_select_gather(dtype):
    x = make((4, 5, 3), dtype)
    idx = torch.tensor([3, 0, 1, 3, 2])
    check("aten::index_select.default", [x, 0, idx])
    check("aten::index_select.default", [x, -2, idx.to(torch.int32)])
    check("aten::index_select.default", [x, 2, torch.tensor(1)])
    check("aten::index_select.default", [x, 1, torch.tensor([], dtype=torch.int64)])
    check("aten::index_select.default", [torch.tensor(5.0).to(dtype), 0, torch.tensor([0])])
    gi = torch.randint(0, 4, (4, 2, 3))
    check("aten::gather.default", [x, 0, gi], {"sparse_grad": False})
    gi = torch.randint(0, 5, (3, 7, 2))
    check("aten::gather.default", [x, 1, gi], {"sparse_grad": False})
    gi = torch.randint(0, 3, (4, 5, 6))
    check("aten::gather.default", [x, -1, gi], {"sparse_grad": False})
    check("aten::gather.default", [x, 1, torch.empty(0, 2, 3, dtype=torch.int64)], {"sparse_grad": False})
    check("aten::gather.default", [torch.tensor(3.0), 0, torch.tensor(0)], {"sparse_grad": False})


def test_index_select_gather_errors():
    x = make((4, 5))
    fails("aten::index_select.default", [x, 0, torch.tensor([4])], [torch.empty(1, 5)])
    fails("aten::index_select.default", [x, 0, torch.tensor([-1])], [torch.empty(1, 5)])
    fails("aten::index_select.default", [x, 0, torch.tensor([0.0])], [torch.empty(1, 5)])
    fails("aten::index_select.default", [x, 2, torch.tensor([0])], [torch.empty(4, 1)])
    fails("aten::index_select.default", [x, 0, torch.tensor([[0]])], [torch.empty(1, 5)])
    fails("aten::gather.default", [x, 1, torch.tensor([[5]]), False], [torch.empty(1, 1)])
    fails("aten::gather.default", [x, 1, torch.tensor([0]), False], [torch.empty(1)])
    fails("aten::gather.default", [x, 1, torch.zeros(5, 1, dtype=torch.int64), False],
          [torch.empty(5, 1)])


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool, torch.uint8])
def test_index_tensor(dtype):
    x = make((4, 5, 6), dtype)
    i0 = torch.tensor([0, 3, -1, 2])
    i1 = torch.tensor([[1], [4], [-5]])
    i2 = torch.tensor([5, 0, 2, 2])
    check("aten::index.Tensor", [x, [i0]])
    check("aten::index.Tensor", [x, [None, i1]])  # 2-d index in the middle
    check("aten::index.Tensor", [x, [i0, None, i2]])  # non-adjacent: broadcast dims first
    check("aten::index.Tensor", [x, [None, i1, i2]])  # broadcast (3,1) x (4,) -> (3,4)
    check("aten::index.Tensor", [x, [i0, i0.remainder(5), i2]])
    check("aten::index.Tensor", [x, [torch.tensor(2), None, torch.tensor([1, 2])]])
    check("aten::index.Tensor", [x, [None, None, torch.tensor([], dtype=torch.int64)]])
    check("aten::index.Tensor", [x, [None, None, i2.to(torch.int32)]], expected=x[:, :, i2])
    # Boolean masks.
    m0 = torch.tensor([True, False, True, True])
    check("aten::index.Tensor", [x, [m0]])
    check("aten::index.Tensor", [x, [None, torch.tensor([False] * 5)]])
    m01 = make((4, 5), torch.bool, 7)
    check("aten::index.Tensor", [x, [m01]])
    check("aten::index.Tensor", [x, [None, make((5, 6), torch.bool, 8)]])
    check("aten::index.Tensor", [x, [m0, None, torch.tensor([1, 2, 3])]])  # mask + ints
    check("aten::index.Tensor", [x, [m01, torch.tensor([[1], [2]])]])  # mask + broadcast


def test_index_tensor_edges_and_errors():
    x = make((4, 5))
    check("aten::index.Tensor", [torch.arange(6.0), [torch.tensor([[0, 5], [2, 1]])]])
    check("aten::index.Tensor", [torch.empty(0, 3), [torch.tensor([], dtype=torch.int64)]])
    fails("aten::index.Tensor", [x, [torch.tensor([4])]], [torch.empty(1, 5)])
    fails("aten::index.Tensor", [x, [None, torch.tensor([-6])]], [torch.empty(4, 1)])
    fails("aten::index.Tensor", [x, [torch.tensor([0, 1]), torch.tensor([0, 1, 2])]],
          [torch.empty(3)])
    fails("aten::index.Tensor", [x, [torch.tensor([True, False])]], [torch.empty(1, 5)])
    fails("aten::index.Tensor", [x, [None, None, torch.tensor([0])]], [torch.empty(4, 5)])
    fails("aten::index.Tensor", [x, [torch.tensor([0.5])]], [torch.empty(1, 5)])
    fails("aten::index.Tensor", [x, [torch.tensor([0, 1])]], [torch.empty(3, 5)])


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool])
def test_as_strided(dtype):
    x = make((4, 6), dtype)
    check("aten::as_strided.default", [x, [3, 3], [6, 1], None])
    check("aten::as_strided.default", [x, [2, 2, 3], [1, 6, 7], 2])
    check("aten::as_strided.default", [x, [5, 4], [4, 0], 3])
    check("aten::as_strided_copy.default", [x, [0, 3], [1, 1], 0])
    check("aten::as_strided.default", [x, [], [], 23])
    fails("aten::as_strided.default", [x, [3, 3], [6, 1], 10], [torch.empty(3, 3, dtype=dtype)])
    fails("aten::as_strided.default", [x, [24], [2], 0], [torch.empty(24, dtype=dtype)])
    fails("aten::as_strided.default", [x, [2], [-1], 3], [torch.empty(2, dtype=dtype)])
    fails("aten::as_strided.default", [x, [2], [1], -1], [torch.empty(2, dtype=dtype)])
    fails("aten::as_strided.default", [x, [2, 2], [1], 0], [torch.empty(2, 2, dtype=dtype)])


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool, torch.int32])
def test_tril_triu(dtype):
    for shape in [(5, 7), (2, 6, 4), (3, 3), (2, 0, 3)]:
        x = make(shape, dtype)
        for diag in [0, 1, -2, 10, -10]:
            check("aten::tril.default", [x, diag])
            check("aten::triu.default", [x, diag])
    fails("aten::tril.default", [make((4,)), 0], [torch.empty(4)])
    # In place (out aliases self) works.
    x = make((4, 4))
    exp = torch.triu(x, 1)
    call("aten::triu.default", [x, 1], [x])
    assert torch.equal(x, exp)


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool])
def test_scatter(dtype):
    x = make((4, 5), dtype)
    src = make((4, 5), dtype, 5)
    # Unique indices along dim so the result is deterministic.
    idx0 = torch.stack([torch.randperm(4)[:3] for _ in range(5)], 1)
    check("aten::scatter.src", [x, 0, idx0, src])
    idx1 = torch.stack([torch.randperm(5)[:2] for i in range(3)], 0)
    check("aten::scatter.src", [x, -1, idx1, src])
    v = False if dtype == torch.bool else 7
    check("aten::scatter.value", [x, 1, idx1, v])
    check("aten::scatter.value", [x, 0, idx0, 2.5 if dtype == torch.float32 else v])
    check("aten::scatter.src", [x, 0, torch.empty(0, 5, dtype=torch.int64), src])
    fails("aten::scatter.src", [x, 0, torch.tensor([[4]]), src], [torch.empty_like(x)])
    fails("aten::scatter.src", [x, 0, torch.zeros(5, 1, dtype=torch.int64), src],
          [torch.empty_like(x)])
    fails("aten::scatter.value", [x, 2, idx1, v], [torch.empty_like(x)])
    fails("aten::scatter.value", [x, 1, torch.tensor([[-1]]), v], [torch.empty_like(x)])


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool])
def test_slice_select_scatter(dtype):
    x = make((4, 6, 3), dtype)
    check("aten::slice_scatter.default", [x, make((4, 2, 3), dtype, 9), 1, 1, 5, 2])
    check("aten::slice_scatter.default", [x, make((4, 6, 3), dtype, 9), 0, None, None, 1])
    check("aten::slice_scatter.default", [x, make((2, 6, 3), dtype, 9), 0, -2, 100, 1])
    check("aten::slice_scatter.default", [x, make((4, 6, 0), dtype, 9), -1, 3, 1, 1])
    check("aten::select_scatter.default", [x, make((4, 3), dtype, 9), 1, -1])
    check("aten::select_scatter.default", [x, make((6, 3), dtype, 9), 0, 2])
    check("aten::select_scatter.default", [make((5,), dtype), torch.tensor(True).to(dtype), 0, 3])
    fails("aten::slice_scatter.default", [x, make((4, 3, 3), dtype), 1, 1, 5, 2, ],
          [torch.empty_like(x)])
    fails("aten::select_scatter.default", [x, make((4, 3), dtype), 1, 6], [torch.empty_like(x)])
    fails("aten::select_scatter.default", [x, make((4, 6), dtype), 1, 0], [torch.empty_like(x)])
