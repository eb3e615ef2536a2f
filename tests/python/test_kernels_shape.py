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


def test_hostile_sizes():
    big = 9223372036854775807
    x = make((4, 7))
    check("aten::slice.Tensor", [x, 1, 2, None, 1 << 40])  # huge step: one element
    check("aten::split.Tensor", [x, big, 1])
    fails("aten::narrow.default", [x, 1, 2, big], [torch.empty(4, 5)])
    fails("aten::as_strided.default", [x, [2, 2], [1 << 39, 1 << 39], 0], [torch.empty(2, 2)])
    fails("aten::_reshape_alias.default", [x, [2, 2], [big, 1]], [torch.empty(2, 2)])
    fails("aten::view.default", [x, [big, big]], [torch.empty(28)])
    fails("aten::repeat.default", [x, [big, 2]], [torch.empty(4, 14)])
    fails("aten::expand.default", [make((1, 7)), [big, 7], False], [torch.empty(4, 7)])


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
    check("aten::gather.default", [make((0, 2), dtype), 0, torch.empty(3, 0, dtype=torch.int64)],
          {"sparse_grad": False})


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
    check("aten::scatter.value", [x, 0, torch.empty(0, dtype=torch.int64), v])  # empty: any dims
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


# ------------------------------------------------------------------------------------------
# Reductions.

RTOL, ATOL = 1e-4, 1e-5
REDUCE_SHAPES_DIMS = [
    ((3, 4, 5), [1]),
    ((3, 4, 5), [-1]),
    ((3, 4, 5), [0]),
    ((3, 4, 5), [0, 2]),
    ((3, 4, 5), [2, 0, 1]),
    ((2, 3, 4, 5), [1, 3]),
    ((2, 300, 5), [1]),  # reduce a middle dim, inner chunking
    ((600, 3), [0]),  # inner > chunk? no: many rows, small inner
    ((3, 700), [0]),  # inner larger than one chunk
    ((5, 1, 4), [1]),
    ((4, 5), []),  # empty list = all dims
]


@pytest.mark.parametrize("shape,dims", REDUCE_SHAPES_DIMS)
@pytest.mark.parametrize("keepdim", [False, True])
def test_sum_mean(shape, dims, keepdim):
    x = make(shape)
    check("aten::sum.dim_IntList", [x, dims, keepdim], {"dtype": None}, RTOL, ATOL)
    check("aten::mean.dim", [x, dims, keepdim], {"dtype": None}, RTOL, ATOL)
    check("aten::sum.dim_IntList", [make(shape, torch.int64), dims, keepdim], {"dtype": None})
    check("aten::sum.dim_IntList", [make(shape, torch.bool), dims, keepdim], {"dtype": None})
    check("aten::sum.dim_IntList", [make(shape, torch.float64), dims, keepdim], {"dtype": None},
          1e-10, 1e-12)


def test_sum_mean_variants():
    x = make((4, 5))
    check("aten::sum.default", [x], {"dtype": None}, RTOL, ATOL)
    check("aten::sum.default", [make((4, 5), torch.int32)], {"dtype": None})
    check("aten::mean.default", [x], {"dtype": None}, RTOL, ATOL)
    check("aten::sum.dim_IntList", [x, None, False], {"dtype": None}, RTOL, ATOL)
    check("aten::mean.dim", [x, None, True], {"dtype": None}, RTOL, ATOL)
    # dtype argument: the output dtype carries it (the kernel just sees an int / None).
    exp = torch.ops.aten.sum.dim_IntList(x, [1], False, dtype=torch.float64)
    o = torch.empty_like(exp)
    call("aten::sum.dim_IntList", [x, [1], False, 7], [o])
    torch.testing.assert_close(o, exp)
    xi = make((3, 4), torch.int64)
    exp = torch.ops.aten.mean.dim(xi, [0], False, dtype=torch.float32)
    o = torch.empty_like(exp)
    call("aten::mean.dim", [xi, [0], False, 6], [o])
    torch.testing.assert_close(o, exp)
    exp = torch.ops.aten.sum.default(torch.tensor([1.5, 2.5, -0.5]), dtype=torch.int32)
    o = torch.empty_like(exp)
    call("aten::sum.default", [torch.tensor([1.5, 2.5, -0.5]), 3], [o])
    assert torch.equal(o, exp)
    # 0-d and empty.
    s = torch.tensor(2.5)
    check("aten::sum.dim_IntList", [s, [0], False], {"dtype": None})
    check("aten::sum.dim_IntList", [s, [-1], True], {"dtype": None})
    check("aten::sum.default", [s], {"dtype": None})
    check("aten::sum.dim_IntList", [torch.empty(0, 3), [0], False], {"dtype": None})
    check("aten::sum.dim_IntList", [torch.empty(0, 3), [1], True], {"dtype": None})
    check("aten::mean.dim", [torch.empty(0, 3), [0], False], {"dtype": None})  # NaN
    check("aten::sum.default", [torch.empty(0)], {"dtype": None})


def test_sum_accuracy_and_speed_shape():
    # Large float32 reductions are accumulated in double: compare against float64 eagerly.
    x = (torch.rand(1 << 20, dtype=torch.float64) + 1000).float()
    o = torch.empty(())
    call("aten::sum.default", [x, None], [o])
    exp = x.double().sum()
    assert abs(o.item() - exp.item()) <= 1e-6 * abs(exp.item())
    x = torch.randn(64, 512, 96)
    o = torch.empty(64, 96)
    call("aten::sum.dim_IntList", [x, [1], False, None], [o])
    torch.testing.assert_close(o, x.double().sum(1).float(), rtol=1e-5, atol=1e-5)


def test_sum_errors():
    x = make((3, 4))
    fails("aten::sum.dim_IntList", [x, [2], False, None], [torch.empty(3)])
    fails("aten::sum.dim_IntList", [x, [0, 0], False, None], [torch.empty(4)])
    fails("aten::sum.dim_IntList", [x, [1], False, None], [torch.empty(4)])
    fails("aten::sum.dim_IntList", [x, [1], True, None], [torch.empty(3)])
    fails("aten::sum.dim_IntList", [x, [1], False], [torch.empty(3)])
    fails("aten::sum.dim_IntList", [x, [1], 1, None], [torch.empty(3)])
    fails("aten::mean.dim", [x, [1], False, None], [torch.empty(3, dtype=torch.int64)])


@pytest.mark.parametrize("shape,dims", REDUCE_SHAPES_DIMS)
@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool, torch.int8])
def test_amax_amin(shape, dims, dtype):
    x = make(shape, dtype)
    for keepdim in [False, True]:
        check("aten::amax.default", [x, dims, keepdim])
        check("aten::amin.default", [x, dims, keepdim])


def test_minmax_nan_and_errors():
    x = make((4, 6))
    x[1, 2] = float("nan")
    x[3, 0] = float("nan")
    for name in ["aten::amax.default", "aten::amin.default"]:
        check(name, [x, [1], False])
        check(name, [x, [0], True])
        check(name, [x, [], False])
    check("aten::max.default", [x])
    check("aten::min.default", [make((4, 6))])
    check("aten::max.default", [make((5,), torch.int64)])
    check("aten::min.default", [torch.tensor(3.0)])
    check("aten::amax.default", [torch.empty(0, 3), [1], False])
    fails("aten::amax.default", [torch.empty(0, 3), [0], False], [torch.empty(3)])
    fails("aten::max.default", [torch.empty(0, 3)], [torch.empty(())])
    fails("aten::amax.default", [x, [0], False], [torch.empty(6, dtype=torch.float64)])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.int64, torch.int32, torch.bool])
def test_max_min_dim_argmax(dtype):
    x = make((5, 7, 300), dtype)
    for dim in [0, 1, -1]:
        for keepdim in [False, True]:
            if dtype == torch.bool:  # PyTorch has no bool max.dim / argmax: compare via uint8
                for name in ["aten::max.dim", "aten::min.dim"]:
                    v, i = aten(name)(x.to(torch.uint8), dim, keepdim)
                    check(name, [x, dim, keepdim], expected=(v.bool(), i))
                continue
            check("aten::max.dim", [x, dim, keepdim])
            check("aten::min.dim", [x, dim, keepdim])
            check("aten::argmax.default", [x, dim, keepdim])
            check("aten::argmin.default", [x, dim, keepdim])
    if dtype != torch.bool:  # flattened argmax (ties in bool data make the index ambiguous)
        check("aten::argmax.default", [x, None, False])
        check("aten::argmin.default", [x, None, True])


def test_argmax_ties_nan_edges():
    t = torch.tensor([[1.0, 3.0, 3.0, 0.0], [float("nan"), 2.0, float("nan"), 5.0]])
    for dim in [1, 0]:
        check("aten::max.dim", [t, dim, False])
        check("aten::min.dim", [t, dim, False])
        check("aten::argmax.default", [t, dim, False])
        check("aten::argmin.default", [t, dim, True])
    check("aten::argmax.default", [t, None, False])
    s = torch.tensor(4.0)
    check("aten::argmax.default", [s, None, False])
    check("aten::argmax.default", [s, 0, True])
    check("aten::max.dim", [s, 0, False])
    check("aten::max.dim", [torch.empty(0, 3), 1, False])
    fails("aten::max.dim", [torch.empty(0, 3), 0, False], [torch.empty(3), torch.empty(3, dtype=torch.int64)])
    fails("aten::argmax.default", [torch.empty(0), None, False], [torch.empty((), dtype=torch.int64)])
    fails("aten::argmax.default", [t, 2, False], [torch.empty(2, dtype=torch.int64)])
    fails("aten::argmax.default", [t, 1, False], [torch.empty(2)])  # indices must be int64
    fails("aten::max.dim", [t, 1, False], [torch.empty(2), torch.empty(3, dtype=torch.int64)])


@pytest.mark.parametrize("shape,dims", REDUCE_SHAPES_DIMS[:6])
def test_prod(shape, dims):
    x = (make(shape) * 0.3 + 1).float()
    if len(dims) == 1:
        check("aten::prod.dim_int", [x, dims[0], False], {"dtype": None}, RTOL, ATOL)
        check("aten::prod.dim_int", [x, dims[0], True], {"dtype": None}, RTOL, ATOL)
        xi = torch.randint(-3, 4, shape)
        check("aten::prod.dim_int", [xi, dims[0], False], {"dtype": None})
        check("aten::prod.dim_int", [make(shape, torch.bool), dims[0], False], {"dtype": None})
    check("aten::prod.default", [x], {"dtype": None}, RTOL, ATOL)


def test_prod_edges():
    check("aten::prod.default", [torch.empty(0)], {"dtype": None})
    check("aten::prod.dim_int", [torch.empty(2, 0), 1, False], {"dtype": None})
    check("aten::prod.dim_int", [torch.tensor(3.0), 0, False], {"dtype": None})
    exp = torch.ops.aten.prod.default(torch.tensor([1.5, 2.0, 3.0]), dtype=torch.int64)
    o = torch.empty_like(exp)
    call("aten::prod.default", [torch.tensor([1.5, 2.0, 3.0]), 4], [o])
    assert torch.equal(o, exp)
    fails("aten::prod.dim_int", [make((2, 3)), 2, False, None], [torch.empty(2)])


@pytest.mark.parametrize("shape,dims", REDUCE_SHAPES_DIMS)
@pytest.mark.parametrize("keepdim", [False, True])
def test_var_std(shape, dims, keepdim):
    x = make(shape) * 3 + 10  # a mean far from 0 checks the two-pass accuracy
    for corr in [None, 0, 1, 2]:
        check("aten::var.correction", [x, dims], {"correction": corr, "keepdim": keepdim}, RTOL, ATOL)
    check("aten::std.correction", [x, dims], {"correction": 1, "keepdim": keepdim}, RTOL, ATOL)
    check("aten::var_mean.correction", [x, dims], {"correction": None, "keepdim": keepdim}, RTOL, ATOL)
    check("aten::var_mean.correction", [x.double(), dims], {"correction": 0, "keepdim": keepdim},
          1e-10, 1e-12)


def test_var_std_variants_and_edges():
    x = make((4, 6)) + 1000
    check("aten::var.dim", [x, [1], False, True], rtol=RTOL, atol=ATOL)
    check("aten::std.dim", [x, [0], True, False], rtol=RTOL, atol=ATOL)
    check("aten::var.default", [x, True], rtol=RTOL, atol=ATOL)
    check("aten::std.default", [x, False], rtol=RTOL, atol=ATOL)
    check("aten::var_mean.dim", [x, None, True, True], rtol=RTOL, atol=ATOL)
    check("aten::var_mean.default", [x, False], rtol=RTOL, atol=ATOL)
    check("aten::var.correction", [x, None], {"correction": 1, "keepdim": False}, RTOL, ATOL)
    one = torch.tensor([1.5])
    check("aten::var.correction", [one, [0]], {"correction": 1, "keepdim": False})  # nan
    check("aten::var.correction", [torch.tensor([1.0, 2.0]), [0]], {"correction": 3, "keepdim": False})
    check("aten::std.correction", [torch.empty(0, 2), [0]], {"correction": 1, "keepdim": False})
    check("aten::var.correction", [torch.tensor(2.0), [0]], {"correction": 0, "keepdim": True})
    fails("aten::var.correction", [make((3,), torch.int64), [0], 1, False], [torch.empty(())])
    fails("aten::var.correction", [x, [0], 1, False], [torch.empty(4)])
    fails("aten::var.correction", [x, [0], 1], [torch.empty(6)])


@pytest.mark.parametrize("dtype", [torch.bool, torch.float32, torch.int64, torch.uint8])
def test_any_all(dtype):
    x = make((3, 4, 5), dtype)
    if dtype != torch.bool:
        x = x * (make((3, 4, 5), torch.bool, 3)).to(dtype)  # plenty of zeros
    for dim in [0, 1, -1]:
        for keepdim in [False, True]:
            check("aten::any.dim", [x, dim, keepdim])
            check("aten::all.dim", [x, dim, keepdim])
    check("aten::any.default", [x])
    check("aten::all.default", [x])
    check("aten::all.default", [torch.ones(3, 2, dtype=dtype)])
    check("aten::any.default", [torch.zeros(0, dtype=dtype)])
    check("aten::all.default", [torch.zeros(0, dtype=dtype)])
    check("aten::any.dim", [torch.zeros(2, 0, dtype=dtype), 1, False])
    check("aten::any.default", [torch.tensor([0.0, float("nan")]).to(dtype)])
    fails("aten::any.dim", [x, 3, False], [torch.empty(3, 4, dtype=torch.bool)])
    fails("aten::any.dim", [x, 0, False], [torch.empty(4, 5)])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.int64, torch.bool, torch.int32])
def test_cumsum(dtype):
    x = make((3, 5, 300), dtype)
    for dim in [0, 1, 2, -1]:
        check("aten::cumsum.default", [x, dim], {"dtype": None}, RTOL, ATOL)
    check("aten::cumsum.default", [make((7,), dtype), 0], {"dtype": None}, RTOL, ATOL)
    check("aten::cumsum.default", [torch.tensor(True).to(dtype), 0], {"dtype": None})
    check("aten::cumsum.default", [torch.empty(0, 3, dtype=dtype), 0], {"dtype": None})


def test_cumsum_dtype_and_errors():
    x = make((4, 5))
    exp = torch.ops.aten.cumsum.default(x, 1, dtype=torch.float64)
    o = torch.empty_like(exp)
    call("aten::cumsum.default", [x, 1, 7], [o])
    torch.testing.assert_close(o, exp)
    y = torch.rand(100000) + 1
    o = torch.empty_like(y)
    call("aten::cumsum.default", [y, 0, None], [o])
    torch.testing.assert_close(o, y.double().cumsum(0).float(), rtol=1e-6, atol=0)
    fails("aten::cumsum.default", [x, 2, None], [torch.empty(4, 5)])
    fails("aten::cumsum.default", [x, 1, None], [torch.empty(5, 4)])


@pytest.mark.parametrize("shape,dims", REDUCE_SHAPES_DIMS[:-1])
def test_logsumexp(shape, dims):
    x = make(shape) * 10
    check("aten::logsumexp.default", [x, dims, False], rtol=RTOL, atol=ATOL)
    check("aten::logsumexp.default", [x, dims, True], rtol=RTOL, atol=ATOL)


def test_logsumexp_edges():
    inf = float("inf")
    t = torch.tensor([[-inf, -inf], [inf, 1.0], [float("nan"), 1.0], [1000.0, 1000.0]])
    check("aten::logsumexp.default", [t, [1], False])
    check("aten::logsumexp.default", [torch.empty(2, 0), [1], False])
    check("aten::logsumexp.default", [torch.tensor([1, 2, 3]), [0], False], rtol=RTOL, atol=ATOL)
    check("aten::logsumexp.default", [torch.tensor(2.0), [0], False])
    fails("aten::logsumexp.default", [t, [2], False], [torch.empty(4)])


@pytest.mark.parametrize("ord", [2, 1, 0, 3.5, -1.5, 0.5, float("inf"), float("-inf")])
def test_vector_norm(ord):
    x = make((4, 5, 6))
    x[0, 0, 0] = 0.0
    for dims in [None, [1], [0, 2], [-1]]:
        for keepdim in [False, True]:
            check("aten::linalg_vector_norm.default", [x, ord, dims, keepdim], {"dtype": None},
                  RTOL, ATOL)
    check("aten::linalg_vector_norm.default", [x.double(), ord, [1], False], {"dtype": None},
          1e-10, 1e-12)
    if ord >= 0 and not math.isinf(ord):
        check("aten::linalg_vector_norm.default", [torch.empty(0, 3), ord, [0], False],
              {"dtype": None})
    else:
        fails("aten::linalg_vector_norm.default", [torch.empty(0, 3), ord, [0], False, None],
              [torch.empty(3)])
    check("aten::norm.ScalarOpt_dim", [x, ord, [1], False], rtol=RTOL, atol=ATOL)


def test_vector_norm_edges():
    x = make((3, 4))
    check("aten::norm.ScalarOpt_dim", [x, None, [1], True], rtol=RTOL, atol=ATOL)
    check("aten::linalg_vector_norm.default", [torch.tensor(-3.0), 2, None, False], {"dtype": None})
    fails("aten::linalg_vector_norm.default", [torch.empty(0, 3), float("inf"), [0], False, None],
          [torch.empty(3)])
    fails("aten::linalg_vector_norm.default", [make((3,), torch.int64), 2, None, False, None],
          [torch.empty(())])
    fails("aten::linalg_vector_norm.default", [x, 2, [2], False, None], [torch.empty(3)])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.int64, torch.int32, torch.int16])
def test_topk_sort(dtype):
    # Distinct values so that the order is unambiguous.
    x = torch.randperm(4 * 50 * 6).reshape(4, 50, 6).to(dtype) - 300
    for dim in [0, 1, -1]:
        n = x.shape[dim]
        for k in sorted({0, 1, n // 2, n}):
            for largest in [True, False]:
                check("aten::topk.default", [x, k, dim, largest, True])
        for desc in [False, True]:
            check("aten::sort.default", [x, dim, desc])
            check("aten::sort.stable", [x], {"stable": True, "dim": dim, "descending": desc})


def test_topk_sort_ties_nan_edges():
    t = torch.tensor([2.0, 1.0, 2.0, 1.0, float("nan"), 0.0, 2.0])
    for desc in [False, True]:
        check("aten::sort.default", [t, 0, desc])  # stable: ties by index
        check("aten::sort.stable", [t], {"stable": True, "dim": 0, "descending": desc})
    check("aten::topk.default", [torch.tensor([1.0, float("nan"), 3.0]), 2, 0, True, True])
    check("aten::topk.default", [torch.tensor([1.0, float("nan"), 3.0]), 2, 0, False, True])
    check("aten::sort.default", [make((3, 8), torch.bool), 1, False])
    check("aten::topk.default", [torch.tensor(2.0), 1, 0, True, True])
    check("aten::sort.default", [torch.empty(0, 4), 1, True])
    # Logits-like: top 50 of a vocab row.
    logits = torch.randn(2, 32000)
    v, i = check("aten::topk.default", [logits, 50, -1, True, True])
    assert torch.equal(logits.gather(1, i), v)
    x = make((3, 5))
    fails("aten::topk.default", [x, 6, 1, True, True],
          [torch.empty(3, 6), torch.empty(3, 6, dtype=torch.int64)])
    fails("aten::topk.default", [x, -1, 1, True, True],
          [torch.empty(3, 0), torch.empty(3, 0, dtype=torch.int64)])
    fails("aten::topk.default", [x, 2, 1, True, True],
          [torch.empty(3, 2), torch.empty(3, 2)])
    fails("aten::sort.default", [x, 2, False],
          [torch.empty(3, 5), torch.empty(3, 5, dtype=torch.int64)])
