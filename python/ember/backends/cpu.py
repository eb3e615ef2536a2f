"""The optimized CPU backend, export side (runtime side: runtime/backends/cpu).

`supports` claims float32 calls the runtime backend implements: convolution and
fully-connected layers (addmm/mm/linear with constant weights) on Ember's GEMM or XNNPACK,
elementwise add/sub/mul/div with broadcasting, clamp-family activations, hardswish, sigmoid
and pooling on XNNPACK; Ember's own kernels for depthwise convolution, softmax, attention,
layer norm, GELU, batch matmul, permutes and copies (see docs/backends.md for what runs where).

`preprocess` compiles a run of calls into a blob:
  * layout: 4-D activations produced by spatial ops (convolution, pooling) live channels-last
    (NHWC) inside the subgraph; conversions are inserted only where a consumer needs the
    contiguous (NCHW) order, and at the subgraph's boundaries;
  * fusion: a relu/relu6/hardtanh/clamp that is the only consumer of a convolution,
    fully-connected or add output folds into that operator's output clamp; an add that is the
    only consumer of a convolution or fully-connected output, with another activation of the
    same shape (a residual connection), folds into that operator (and the add's clamp with
    it), so the output is written once;
  * views: reshapes, permutes, transposes, splits, slices, selects and as_strided produce no
    node; they are kept as strided views of the tensor they come from and materialized only
    where a consumer needs contiguous data (an alias when the view is contiguous, else one PERMUTE or
    BOX_COPY), so chains of them cost one copy at most, and none where the consumer reads
    strided data itself (attention);
  * attention: bmm(q * scale, k^T) -> softmax -> bmm(., v) becomes one ATTENTION node that
    reads q, k and v through their views (the heads of a packed qkv projection need no
    copies) and writes its output in the layout of a transpose that follows it;
  * memory: internal tensors get offsets in one arena (liveness-based first-fit plan),
    contiguous views alias their input;
  * weights: the constants the subgraph uses are copied into the blob (the partitioner drops
    them from the delegate's arguments, so the program file holds one copy); the runtime packs
    them once at load.

Blob layout (little endian):
  header  "EMBC" u32 version, u32 ntensors, u32 nnodes, u32 nargs, u64 arena_bytes,
          u64 const_offset (from blob start, 64-aligned), u64 const_bytes
  tensor  u32 kind (0 arena, 1 constant), u32 ndim, i64 dims[ndim], u64 offset
  node    u32 op, u32 nin, u32 nout, u32 nint, u32 nfloat, i32 tensor ids[nin + nout],
          i64 ints[nint], f64 floats[nfloat]
  then constant data at const_offset.
"""
from __future__ import annotations

import collections
import itertools
import math
import struct
from typing import Dict, List, NamedTuple, Optional, Tuple

import torch

from . import Backend, register_backend
from ..ir import KernelCall, LoweredMethod, ScalarValue, TensorListValue, TensorValue

VERSION = 1
ALIGN = 64
EXTRA = 64  # XNNPACK may read up to XNN_EXTRA_BYTES past a tensor

# Node op codes; keep in sync with runtime/backends/cpu/blob.h.
OP = dict(
    COPY_IN=1,  # ints: [arg index, to_nhwc]; out: internal tensor
    COPY_OUT=2,  # ints: [arg index, from_nhwc]; in: internal tensor
    TO_NHWC=3,  # in NCHW [N,C,H,W] -> out NHWC [N,H,W,C]
    TO_NCHW=4,
    CONV=10,  # in x(NHWC), w(const OHWI), [b], [residual]; ints: [stride h,w, pad t,l,b,r, dil h,w, groups, has_bias, has_residual, hardswish]; floats: [min,max] (hardswish after the clamp)
    FC=11,  # in x [..., K], w const [N, K], [b], [residual]; ints: [has_bias, has_residual, act (0 none, 1 hardswish, 2 exact GELU)]; floats [min,max] (act after the clamp)
    BINARY=12,  # in a, b; ints: [kind 0 add 1 sub 2 mul 3 div, ndim, a dims, b dims]; floats [min,max]
    CLAMP=13,  # floats [min,max]
    HARDSWISH=14,
    SIGMOID=15,
    MAXPOOL=16,  # NHWC; ints: [kh,kw, sh,sw, pt,pl,pb,pr, dh,dw]
    AVGPOOL=17,  # NHWC; ints: [kh,kw, sh,sw, pt,pl,pb,pr]
    GAP=18,  # NHWC [N,H,W,C] -> [N,C]
    SOFTMAX=19,  # last dim
    AFFINE=20,  # y = clamp(x * a + b, lo, hi); floats [a, b, lo, hi]
    GELU=21,  # ints [tanh]
    LAYERNORM=22,  # last dim; in x, [w], [b]; ints [has_w, has_b]; floats [eps]
    BMM=23,  # in a [B,M,K], b [B,K,N] -> [B,M,N]
    PERMUTE=24,  # ints: perm (over the input's dims)
    CAT=25,  # ints [outer, out_row, in_row...]
    SLICE=26,  # ints [outer, in_row, offset, out_row]
    ALIAS=27,  # no-op marker (reshape); never emitted as a runtime node
    MM=28,  # in a [M,K], b [K,N] (both activations)
    # y = fill (when ints[1]) then strided boxes copied from x: ints [nd, has_fill, nboxes, then per
    # box: src_offset, dst_offset, count[nd], src_stride[nd], dst_stride[nd]]; floats [fill value].
    # Strided slice, constant padding and roll.
    BOX_COPY=29,
    # o[b,m,:] = softmax_n(scale * q[b,m,:] . k[b,n,:]) @ v[b,n,:] for b < B, m < M, n < N over
    # head size D (values Dv); in q, k, v, out o, each read or written through strides, the
    # batch index split as (b // H, b % H): ints [B, H, M, N, D, Dv, then per q, k, v, o:
    # offset, stride b // H, stride b % H, stride m|n, stride d]; floats [scale].
    ATTENTION=30,
)

INF = float("inf")
# The runtime fuses a 1x1 convolution into the depthwise after it from this output size on
# (kFuseMinBytes in runtime/backends/cpu/cpu_backend.cpp).
FUSE_MIN_BYTES = 2 * 1024 * 1024
_CLAMP_OPS = ("aten::relu", "aten::relu_", "aten::hardtanh", "aten::clamp", "aten::relu6")
_ALIAS_OPS = ("aten::reshape", "aten::view", "aten::_unsafe_view", "aten::flatten", "aten::squeeze",
              "aten::unsqueeze", "aten::alias", "aten::clone", "aten::contiguous", "aten::_reshape_alias")


def _is_f32(v) -> bool:
    return isinstance(v, TensorValue) and v.dtype == torch.float32


def _num(v: ScalarValue) -> Optional[float]:
    if isinstance(v, ScalarValue) and v.kind in ("int", "double"):
        return float(v.value)
    return None


def _clamp_range(call: KernelCall) -> Optional[Tuple[float, float]]:
    a = call.args
    if call.op_name in ("aten::relu", "aten::relu_"):
        return 0.0, INF
    if call.op_name == "aten::relu6":
        return 0.0, 6.0
    if call.op_name == "aten::hardtanh":
        lo, hi = _num(a[1]), _num(a[2])
        return None if lo is None or hi is None else (lo, hi)
    if call.op_name == "aten::clamp" and call.overload == "default":
        lo = -INF if a[1].kind == "none" else _num(a[1])
        hi = INF if a[2].kind == "none" else _num(a[2])
        return None if lo is None or hi is None else (lo, hi)
    return None


def _ints(v) -> Optional[List[int]]:
    if isinstance(v, ScalarValue) and v.kind == "int_list":
        return list(v.value)
    if isinstance(v, ScalarValue) and v.kind == "int":
        return [v.value]
    return None


def _pair(v) -> List[int]:
    x = _ints(v) or []
    return x * 2 if len(x) == 1 else x


class _View:
    """A strided view of tensor `base` (a contiguous tensor of the blob), times `scale`.

    Each logical dim is a list of sub-dims (size, stride), outermost first, so a reshape that
    merges dims whose strides do not merge (the heads of a packed qkv projection folded into a
    batch dim) is still a view: logical index i of a dim is split over its sub-dims in mixed
    radix, and the element is base[offset + sum(digit * stride)]. A scale other than 1 comes
    from a multiplication folded into the attention reading the view."""
    __slots__ = ("base", "offset", "dims", "scale")

    def __init__(self, base: int, offset: int, dims, scale: float = 1.0):
        self.base, self.offset, self.scale = base, int(offset), scale
        self.dims = [[(int(n), int(st)) for n, st in g if n != 1] for g in dims]

    @staticmethod
    def of(base: int, offset: int, shape, strides, scale: float = 1.0) -> "_View":
        return _View(base, offset, [[(n, st)] for n, st in zip(shape, strides)], scale)

    @property
    def shape(self) -> Tuple[int, ...]:
        return tuple(math.prod(n for n, _ in g) for g in self.dims)

    def at(self, offset: int, dims) -> "_View":
        """Another view of the same tensor with the same scale."""
        return _View(self.base, offset, dims, self.scale)

    def merged(self, dims) -> List[Tuple[int, int]]:
        """Sub-dims with neighbours that step as one (outer stride = inner size * stride) merged."""
        out: List[List[int]] = []
        for n, st in dims:
            if n == 0:
                return [(0, 1)]
            if out and out[-1][1] == n * st:
                out[-1] = [out[-1][0] * n, st]
            else:
                out.append([n, st])
        return [(n, st) for n, st in out]

    def strides(self) -> Optional[List[int]]:
        """One stride per dim, or None where a dim's sub-dims do not merge."""
        out = []
        for g in self.dims:
            m = self.merged(g)
            if len(m) > 1:
                return None
            out.append(m[0][1] if m else 0)
        return out

    def flat(self) -> List[Tuple[int, int]]:
        """All sub-dims in logical order, merged where they can be."""
        return self.merged([sd for g in self.dims for sd in g])

    def contiguous(self) -> bool:
        f = self.flat()
        return not f or (len(f) == 1 and f[0][1] == 1) or any(n == 0 for n, _ in f)

    def permuted(self, perm) -> "_View":
        return self.at(self.offset, [self.dims[p] for p in perm])

    def reshaped(self, shape) -> Optional["_View"]:
        """The same elements in logical order as `shape`: sub-dims are regrouped, split where a
        new dim boundary falls inside one; None only where sizes do not factor that way."""
        shape = [int(x) for x in shape]
        if math.prod(shape) == 0 or self.contiguous():
            return self.at(self.offset, [[(n, st)] for n, st in zip(shape, _strides(shape))])
        subs = list(self.flat())
        dims = []
        for size in shape:
            group, need = [], size
            while need > 1:
                if not subs:
                    return None
                n, st = subs.pop(0)
                if need % n == 0:
                    group.append((n, st))
                    need //= n
                elif n % need == 0:  # split: the outer part ends this dim
                    group.append((need, st * (n // need)))
                    subs.insert(0, (n // need, st))
                    need = 1
                else:
                    return None
            dims.append(group)
        return self.at(self.offset, dims) if not subs else None

    def gather(self, flat_base: torch.Tensor) -> torch.Tensor:
        """The view's elements taken from the flattened base tensor (for constants and tests)."""
        f = [(n, st) for g in self.dims for n, st in g]
        return torch.as_strided(flat_base, [n for n, _ in f], [st for _, st in f], self.offset).reshape(self.shape)


class CpuBackend(Backend):
    name = "cpu"
    embeds_constants = True  # constants of delegated calls live in the blob only

    def __init__(self):
        self._uses: Dict[int, int] = {}

    def begin_partition(self, method: LoweredMethod) -> None:
        """Counts the uses of every tensor so `supports` can check side outputs are dead."""
        uses: Dict[int, int] = {}
        for c in method.calls:
            for a in c.inputs:
                for t in ([a] if isinstance(a, TensorValue) else a.items if isinstance(a, TensorListValue) else []):
                    if t is not None:
                        uses[id(t)] = uses.get(id(t), 0) + 1
        for t in method.outputs:
            uses[id(t)] = uses.get(id(t), 0) + 1
        self._uses = uses

    def _dead(self, t) -> bool:
        return self._uses.get(id(t), 0) == 0

    def supports(self, call: KernelCall) -> bool:
        try:
            return self._supports(call)
        except (AttributeError, IndexError, TypeError):
            return False

    def _supports(self, call: KernelCall) -> bool:
        op, a = call.op_name, call.args
        tensors = [x for x in a if isinstance(x, TensorValue)]
        if op == "aten::max_pool2d_with_indices":
            tensors = tensors[:2]  # the indices (int64) must be dead
        if not tensors or not all(_is_f32(t) for t in tensors):
            return False
        if op == "aten::convolution":
            x, w, b = a[0], a[1], a[2]
            return (len(x.shape) == 4 and w.storage == "constant" and not a[6].value
                    and (not isinstance(b, TensorValue) or b.storage == "constant"))
        if op in ("aten::addmm",):
            return (len(a[1].shape) == 2 and a[2].storage == "constant" and a[0].storage == "constant"
                    and len(a[0].shape) == 1 and _num(a[3]) == 1.0 and _num(a[4]) == 1.0)
        if op == "aten::mm":
            return len(a[0].shape) == 2 and len(a[1].shape) == 2
        if op == "aten::linear":
            return a[1].storage == "constant" and (not isinstance(a[2], TensorValue) or a[2].storage == "constant")
        if op == "aten::bmm":
            return len(a[0].shape) == 3 and len(a[1].shape) == 3
        if op in ("aten::add", "aten::sub", "aten::mul", "aten::div") and call.overload in ("Tensor", "Scalar"):
            if not isinstance(a[0], TensorValue):
                return False
            if op in ("aten::add", "aten::sub") and _num(a[2]) is None:
                return False
            if isinstance(a[1], TensorValue):
                if op in ("aten::add", "aten::sub") and _num(a[2]) != 1.0:
                    return False
                return len(a[1].shape) <= 6 and len(a[0].shape) <= 6
            return _num(a[1]) is not None and (op not in ("aten::add", "aten::sub") or _num(a[2]) is not None)
        if op in _CLAMP_OPS:
            return _clamp_range(call) is not None
        if op in ("aten::hardswish", "aten::sigmoid", "aten::hardsigmoid"):
            return True
        if op == "aten::gelu":
            return a[1].value in ("none", "tanh")
        if op == "aten::mean" and call.overload == "dim":
            d = sorted(x % 4 for x in (_ints(a[1]) or []))
            return len(a[0].shape) == 4 and d == [2, 3] and a[3].kind == "none"
        if op == "aten::max_pool2d_with_indices":
            return len(a[0].shape) == 4 and not a[5].value and self._dead(a[7])
        if op == "aten::max_pool2d":
            return len(a[0].shape) == 4 and not a[5].value
        if op == "aten::avg_pool2d":
            pad = _pair(a[3])
            return (len(a[0].shape) == 4 and not a[4].value and a[6].kind == "none"
                    and (not a[5].value or pad == [0, 0]))
        if op == "aten::_adaptive_avg_pool2d" or op == "aten::adaptive_avg_pool2d":
            return len(a[0].shape) == 4 and _ints(a[1]) == [1, 1]
        if op == "aten::_softmax":
            return (a[1].value % len(a[0].shape)) == len(a[0].shape) - 1 and not a[2].value
        if op == "aten::native_layer_norm":
            ok_w = all(not isinstance(x, TensorValue) or x.storage == "constant" for x in (a[2], a[3]))
            return len(_ints(a[1])) == 1 and ok_w and self._dead(a[6]) and self._dead(a[7])
        if op in _ALIAS_OPS:
            return True
        if op in ("aten::permute", "aten::transpose"):
            return True
        if op == "aten::cat":
            return isinstance(a[0], TensorListValue) and all(_is_f32(t) for t in a[0].items)
        if op == "aten::split" and call.overload == "Tensor":
            return all(_is_f32(t) for t in a[3].items)
        if op == "aten::select" and call.overload == "int":
            return True
        if op == "aten::slice" and call.overload == "Tensor":
            step = _num(a[4])
            return step is not None and step >= 1
        if op == "aten::constant_pad_nd":
            pads = _ints(a[1])
            return (pads is not None and len(pads) % 2 == 0 and len(pads) // 2 <= len(a[0].shape)
                    and _num(a[2]) is not None)
        if op == "aten::as_strided":
            size, stride = _ints(a[1]), _ints(a[2])
            off = 0 if a[3].kind == "none" else a[3].value
            if size is None or stride is None or len(size) != len(stride) or off < 0 or min(stride, default=0) < 0:
                return False
            last = off + sum((n - 1) * st for n, st in zip(size, stride) if n > 0)
            return 0 in size or last < math.prod(a[0].shape)
        if op == "aten::roll":
            shifts, dims = _ints(a[1]), _ints(a[2])
            return bool(dims) and shifts is not None and len(shifts) == len(dims)
        return False

    def preprocess(self, calls, inputs, outputs) -> bytes:
        return _Compiler(calls, inputs, outputs).build()

    def describe_blob(self, blob: bytes) -> Dict[str, int]:
        if len(blob) < 44 or blob[:4] != b"EMBC":
            return {}
        version, ntensors, nnodes, nargs, arena, _, const_bytes = struct.unpack_from("<4I3Q", blob, 4)
        info = {"arena_bytes": arena, "constant_bytes": const_bytes, "backend_nodes": nnodes}
        try:
            info["backend_ops"] = dict(collections.Counter(node_ops(blob)).most_common())
        except struct.error:  # truncated: the runtime rejects it with the reason
            pass
        return info

    def scratch_bytes(self, blob: bytes) -> int:
        return int(self.describe_blob(blob).get("arena_bytes", 0))


class _Compiler:
    def __init__(self, calls: List[KernelCall], inputs: List[TensorValue], outputs: List[TensorValue]):
        self.calls, self.inputs, self.outputs = calls, inputs, outputs
        self.tensors: List[dict] = []  # {shape, kind: arena|const, root, data}
        self.nodes: List[tuple] = []  # (op, ins, outs, ints, floats)
        # node index -> arena tensors the memory plan keeps alive through that node although it
        # does not read them (see keep_pointwise_input_alive).
        self.keep_alive: Dict[int, List[int]] = {}
        self.ver: Dict[int, Dict[str, int]] = {}  # id(TensorValue) -> {"nchw"/"nhwc": tid}
        self.const_cache: Dict[Tuple[int, str], int] = {}
        self.uses: Dict[int, int] = {}
        self.readers: Dict[int, List[int]] = {}  # id(TensorValue) -> indices of calls reading it
        for k, c in enumerate(calls):
            for t in self._tensors(c.inputs):
                self.uses[id(t)] = self.uses.get(id(t), 0) + 1
                self.readers.setdefault(id(t), []).append(k)
        # id(TensorValue) -> its strided view, for values not materialized (yet); see get().
        self.views: Dict[int, _View] = {}
        self.done: set = set()  # indices of calls an earlier node computed
        self.producer: Dict[int, int] = {}  # id(TensorValue) -> index of the call computing it
        for k, c in enumerate(calls):
            for t in self._tensors(c.outputs):
                self.producer[id(t)] = k
        for t in outputs:
            self.uses[id(t)] = self.uses.get(id(t), 0) + 1
        self.arg_index = {id(t): i for i, t in enumerate(inputs)}

    @staticmethod
    def _tensors(values):
        out = []
        for v in values:
            if isinstance(v, TensorValue):
                out.append(v)
            elif isinstance(v, TensorListValue):
                out.extend(t for t in v.items if t is not None)
        return out

    # -- tensors ---------------------------------------------------------------------------

    def new(self, shape, root: Optional[int] = None, elem_offset: int = 0) -> int:
        """An arena tensor; with `root`, an alias of root's memory from element elem_offset."""
        self.tensors.append(dict(shape=tuple(int(s) for s in shape), kind="arena", root=root, data=None,
                                 elem_offset=elem_offset))
        return len(self.tensors) - 1

    def alias(self, tid: int, shape, elem_offset: int = 0) -> int:
        """A tensor of `shape` over tid's memory from tid's element elem_offset on."""
        t = self.tensors[tid]
        if t["kind"] == "const":
            flat = t["data"].reshape(-1)[elem_offset:elem_offset + math.prod(shape)]
            return self.new_const(flat.reshape(tuple(shape)))
        root = tid if t["root"] is None else t["root"]
        return self.new(shape, root=root, elem_offset=t["elem_offset"] + elem_offset)

    def new_const(self, data: torch.Tensor) -> int:
        data = data.detach().to(torch.float32).contiguous()
        self.tensors.append(dict(shape=tuple(data.shape), kind="const", root=None, data=data, elem_offset=0))
        return len(self.tensors) - 1

    @staticmethod
    def agnostic(shape) -> bool:
        return len(shape) == 4 and (shape[1] == 1 or shape[2] * shape[3] == 1)

    @staticmethod
    def nhwc_shape(shape):
        n, c, h, w = shape
        return (n, h, w, c)

    def define(self, tv: TensorValue, layout: str, tid: int) -> None:
        d = self.ver.setdefault(id(tv), {})
        d[layout] = tid
        if self.agnostic(tv.shape):
            # Same bytes in both orders: the other layout is an alias with the permuted shape.
            other = "nhwc" if layout == "nchw" else "nchw"
            if other not in d:
                shp = self.nhwc_shape(tv.shape) if other == "nhwc" else tuple(tv.shape)
                d[other] = self.alias(tid, shp)

    def has(self, tv, layout) -> bool:
        return layout in self.ver.get(id(tv), {})

    def get(self, tv: TensorValue, layout: str = "nchw") -> int:
        if tv.storage == "constant":
            key = (id(tv), layout)
            if key not in self.const_cache:
                data = tv.constant
                if layout == "nhwc" and len(tv.shape) == 4:
                    data = data.permute(0, 2, 3, 1)
                self.const_cache[key] = self.new_const(data)
            return self.const_cache[key]
        if id(tv) in self.views and id(tv) not in self.ver:
            self.define(tv, "nchw", self.materialize(self.views[id(tv)]))
        d = self.ver.get(id(tv))
        if d is None:
            if id(tv) not in self.arg_index:
                raise RuntimeError("cpu backend: tensor used before definition")
            want_nhwc = layout == "nhwc" and len(tv.shape) == 4
            tid = self.new(self.nhwc_shape(tv.shape) if want_nhwc else tv.shape)
            self.node("COPY_IN", [], [tid], [self.arg_index[id(tv)], int(want_nhwc)])
            self.define(tv, "nhwc" if want_nhwc else "nchw", tid)
            d = self.ver[id(tv)]
        if layout in d:
            return d[layout]
        if layout == "nhwc":
            tid = self.new(self.nhwc_shape(tv.shape))
            self.node("TO_NHWC", [d["nchw"]], [tid])
        else:
            tid = self.new(tv.shape)
            self.node("TO_NCHW", [d["nhwc"]], [tid])
        d[layout] = tid
        return tid

    def view_of(self, tv: TensorValue) -> _View:
        """tv as a strided view: its pending view, or its contiguous (NCHW) tensor."""
        v = self.views.get(id(tv))
        if v is not None and id(tv) not in self.ver:
            return v
        return _View.of(self.get(tv, "nchw"), 0, tv.shape, _strides(tv.shape))

    def simple_view_of(self, tv: TensorValue) -> _View:
        """view_of(tv), materialized first where a dim has sub-dims that do not merge."""
        v = self.view_of(tv)
        if v.strides() is None:
            v = _View.of(self.materialize(v), 0, v.shape, _strides(v.shape))
        return v

    def define_view(self, tv: TensorValue, view: _View) -> None:
        self.views[id(tv)] = view

    def materialize(self, v: _View) -> int:
        """A contiguous tensor holding view v: an alias where v is contiguous, else a PERMUTE
        (v is a permutation of a dense block) or a BOX_COPY node; then an AFFINE for a scale."""
        if v.scale != 1.0:
            src = self.materialize(_View(v.base, v.offset, v.dims))
            y = self.new(v.shape)
            self.node("AFFINE", [src], [y], [], [v.scale, 0.0, -INF, INF])
            return y
        if v.contiguous():
            return self.alias(v.base, v.shape, v.offset)
        if self.tensors[v.base]["kind"] == "const":
            return self.new_const(v.gather(self.tensors[v.base]["data"].reshape(-1)).contiguous())
        fine = v.flat()  # sub-dims in logical order
        sizes, strides = [n for n, _ in fine], [st for _, st in fine]
        if len(fine) > 8:
            raise RuntimeError(f"cpu backend: a view with {len(fine)} strided dims (at most 8)")
        # Outermost first in memory: if their strides are those of a contiguous block, the view
        # is that block permuted.
        order = sorted(range(len(fine)), key=lambda d: -strides[d])
        block = [sizes[d] for d in order]
        if [strides[d] for d in order] == _strides(block):
            src = self.alias(v.base, block, v.offset)
            y = self.new(sizes)
            self.node("PERMUTE", [src], [y], [order.index(d) for d in range(len(fine))])
            return self.alias(y, v.shape)
        y = self.new(v.shape)
        self.node("BOX_COPY", [v.base], [y], [len(fine), 0, 1, v.offset, 0] + sizes + strides + _strides(sizes),
                  [0.0])
        return y

    def layout_of(self, tv) -> str:
        """The layout a tensor is available in, preferring channels-last."""
        if tv.storage == "constant" or id(tv) not in self.ver:
            return "nchw"
        return "nhwc" if "nhwc" in self.ver[id(tv)] and len(tv.shape) == 4 else "nchw"

    def node(self, op: str, ins, outs, ints=(), floats=()) -> int:
        self.nodes.append((OP[op], list(ins), list(outs), [int(i) for i in ints], [float(f) for f in floats]))
        return len(self.nodes) - 1

    # -- compile ---------------------------------------------------------------------------

    def fusable_clamp(self, i: int, out: TensorValue) -> Optional[Tuple[float, float, TensorValue]]:
        """If calls[i+1] is a clamp-family op whose input is `out` and `out` has no other use."""
        if i + 1 >= len(self.calls) or self.uses.get(id(out), 0) != 1:
            return None
        nxt = self.calls[i + 1]
        if nxt.op_name not in _CLAMP_OPS or nxt.args[0] is not out:
            return None
        r = _clamp_range(nxt)
        return None if r is None else (r[0], r[1], nxt.outputs[0])

    def build(self) -> bytes:
        i = 0
        while i < len(self.calls):
            if i in self.done:  # compiled into an earlier node (attention)
                i += 1
                continue
            i = self.compile_call(i)
        for k, tv in enumerate(self.outputs):
            self.get(tv, self.layout_of(tv))  # materializes a pending view
            d = self.ver[id(tv)]
            if "nchw" in d:
                self.node("COPY_OUT", [d["nchw"]], [], [len(self.inputs) + k, 0])
            else:
                self.node("COPY_OUT", [d["nhwc"]], [], [len(self.inputs) + k, 1])
        arena = self.plan()
        return self.serialize(arena)

    def fusable_residual(self, i: int, out: TensorValue,
                         through_views: bool = False) -> Optional[Tuple[TensorValue, TensorValue, int]]:
        """If a later call adds `out` (used only there) to another activation of the same shape:
        (that activation, the add's output, the add's index), so the producer adds it in its own
        store. The add is calls[i+1], or with through_views, the first call after a chain of
        reshapes and transposes of `out` (each used only by the next) that keep its elements in
        order: a transformer's projection is followed by the reshape back to [batch, tokens,
        features] (and nn.MultiheadAttention's transpose of a batch of one) before the residual
        add."""
        found = self.add_after(i, out, through_views)
        if found is None:
            return None
        j, cur, add, other = found
        if other.storage == "constant" or tuple(other.shape) != tuple(cur.shape):
            return None
        return other, add.outputs[0], j

    def fusable_bias(self, i: int, out: TensorValue, n: int) -> Optional[Tuple[TensorValue, TensorValue, int]]:
        """If `out` (an [M, n] product, used only there) is reshaped back (order-keeping views)
        and added to a constant n-vector: (that constant, the add's output, the add's index), so
        the product adds it as its bias. nn.Linear on an input of rank > 2 records mm + views +
        add (swin_t's MLPs and projections on [1, 56, 56, C])."""
        found = self.add_after(i, out, True)
        if found is None:
            return None
        j, cur, add, other = found
        if (other.storage != "constant" or other.constant.numel() != n or len(other.shape) > len(cur.shape)
                or any(d != 1 for d in tuple(other.shape)[:-1]) or tuple(add.outputs[0].shape) != tuple(cur.shape)):
            return None
        return other, add.outputs[0], j

    def add_after(self, i: int, out: TensorValue,
                  through_views: bool) -> Optional[Tuple[int, TensorValue, KernelCall, TensorValue]]:
        """(index of the add, the tensor it adds, the add, its other float32 tensor operand) when
        `out` is used only by calls[i+1], an add (alpha 1) of it and another tensor, or with
        through_views, only by a chain of order-keeping views of it (follow_order_keeping_views)
        whose last result is used only by such an add."""
        followed = self.follow_order_keeping_views(i + 1, out) if through_views else (i + 1, out)
        if followed is None:
            return None
        j, cur = followed
        if j >= len(self.calls) or self.uses.get(id(cur), 0) != 1:
            return None
        add = self.calls[j]
        if add.op_name != "aten::add" or len(add.args) < 2:
            return None
        if len(add.args) > 2 and _num(add.args[2]) != 1.0:
            return None
        a, b = add.args[0], add.args[1]
        other = b if a is cur else a if b is cur else None
        if not isinstance(other, TensorValue) or other is cur or not _is_f32(other):
            return None
        return j, cur, add, other

    def follow_order_keeping_views(self, j: int, tv: TensorValue) -> Optional[Tuple[int, TensorValue]]:
        """Follows the chain of reshapes and transposes that starts at calls[j] with tv (each
        result used only by the next call): (index after the chain, its last tensor), or (j, tv)
        for no chain. None where the chain reorders the elements or changes the last dim, so a
        producer of tv could not write the chain's result in its own store."""
        cur = tv
        view = _View.of(0, 0, tv.shape, _strides(tv.shape))
        while j < len(self.calls) and self.uses.get(id(cur), 0) == 1:
            c = self.calls[j]
            if not (c.op_name in _ALIAS_OPS or c.op_name in ("aten::permute", "aten::transpose")) \
                    or not c.args or c.args[0] is not cur:
                break
            view = self.apply_view_call(c, view)
            if view is None:
                return None
            cur, j = c.outputs[0], j + 1
        if cur is not tv and not (view.offset == 0 and view.contiguous()
                                  and tuple(cur.shape)[-1:] == tuple(tv.shape)[-1:]):
            return None
        return j, cur

    def dense_epilogue(self, i: int, out: TensorValue, ins: List[int], layout: str):
        """What a CONV/FC node at calls[i] folds in: a residual add that is the sole consumer of
        `out` (its other operand appended to `ins` in `layout`), then a clamp, then a hardswish
        (or, for an FC node, an exact GELU). Returns (lo, hi, tensor the node defines, next call
        index, whether a residual fused, activation: 0 none, 1 hardswish, 2 GELU)."""
        fused = self.fusable_residual(i, out, through_views=layout == "nchw")
        if fused is None:
            lo, hi, res, nxt = self.out_clamp(i, out)
        else:
            ins.append(self.get(fused[0], layout))
            lo, hi, res, nxt = self.out_clamp(fused[2], fused[1])
        act = self.fusable_hardswish(nxt, res)
        if act is not None:
            return lo, hi, act, nxt + 1, fused is not None, 1
        # FC nodes only, also through the reshape back to [batch, tokens, features] before it.
        followed = self.follow_order_keeping_views(nxt, res) if layout == "nchw" else None
        act = self.fusable_gelu(*followed) if followed is not None else None
        if act is not None:
            return lo, hi, act, followed[0] + 1, fused is not None, 2
        return lo, hi, res, nxt, fused is not None, 0

    def keep_pointwise_input_alive(self, n: int) -> None:
        """Depthwise node n reads the output of a 1x1 convolution emitted just before it: the
        runtime may compute both in one pass (cpu_backend.cpp, fuse_pointwise_depthwise, for
        expanded activations of FUSE_MIN_BYTES or more), reading the 1x1 input while it writes
        the depthwise output, so the plan must not put one over the other."""
        if n == 0:
            return
        op, ins, outs, ints, _ = self.nodes[n - 1]
        if op != OP["CONV"] or outs[0] != self.nodes[n][1][0]:
            return
        if self.tensors[ins[1]]["shape"][1:3] != (1, 1) or ints[:6] != [1, 1, 0, 0, 0, 0]:
            return
        if self.nbytes(outs[0]) >= FUSE_MIN_BYTES:
            self.keep_alive[n] = [ins[0]]

    def fusable_hardswish(self, i: int, out: TensorValue) -> Optional[TensorValue]:
        """The output of calls[i] if it is a hardswish of `out` and `out` has no other use."""
        if i >= len(self.calls) or self.uses.get(id(out), 0) != 1:
            return None
        call = self.calls[i]
        if call.op_name != "aten::hardswish" or call.args[0] is not out:
            return None
        return call.outputs[0]

    def fusable_gelu(self, i: int, out: TensorValue) -> Optional[TensorValue]:
        """The output of calls[i] if it is an exact (erf) GELU of `out` and `out` has no other use
        (a transformer MLP's first linear)."""
        if i >= len(self.calls) or self.uses.get(id(out), 0) != 1:
            return None
        call = self.calls[i]
        if call.op_name != "aten::gelu" or call.args[0] is not out:
            return None
        approx = call.args[1].value if len(call.args) > 1 else "none"
        return call.outputs[0] if approx == "none" else None

    def out_clamp(self, i, out):
        f = self.fusable_clamp(i, out)
        if f is None:
            return -INF, INF, out, i + 1
        return f[0], f[1], f[2], i + 2

    def sole_reader(self, tv: TensorValue) -> Optional[int]:
        """The index of the only call reading tv, if that is its only use."""
        r = self.readers.get(id(tv), [])
        return r[0] if len(r) == 1 and self.uses.get(id(tv), 0) == 1 else None

    def is_view_call(self, c: KernelCall) -> bool:
        return c.op_name in _ALIAS_OPS or c.op_name in ("aten::permute", "aten::transpose", "aten::select",
                                                         "aten::slice")

    def known(self, tv: TensorValue, before: int) -> bool:
        """Whether tv is defined, or follows from defined tensors by view calls alone (which
        compile_ahead can then compile early: they emit no node, or a copy of defined data)."""
        if (tv.storage == "constant" or id(tv) in self.views or id(tv) in self.ver
                or id(tv) in self.arg_index):
            return True
        p = self.producer.get(id(tv))
        return (p is not None and p < before and p not in self.done and self.is_view_call(self.calls[p])
                and isinstance(self.calls[p].args[0], TensorValue) and self.known(self.calls[p].args[0], p))

    def compile_ahead(self, tv: TensorValue) -> None:
        """Compiles the view calls tv follows from (see known) now."""
        if tv.storage == "constant" or id(tv) in self.views or id(tv) in self.ver or id(tv) in self.arg_index:
            return
        p = self.producer[id(tv)]
        self.compile_ahead(self.calls[p].args[0])
        self.compile_call(p)
        self.done.add(p)

    def attention_span(self, i: int) -> Optional[Tuple[int, int]]:
        """(softmax index, second bmm index) when calls[i] is bmm(q, k^T) read only by a softmax
        over its last dim, itself read only by bmm(., v) as the first operand, and v is known
        (so one node computing all three can be emitted now)."""
        c = self.calls[i]
        if c.op_name != "aten::bmm":
            return None
        j = self.sole_reader(c.outputs[0])
        if j is None or self.calls[j].op_name != "aten::_softmax":
            return None
        sm = self.calls[j]
        if sm.args[0] is not c.outputs[0] or sm.args[1].value % 3 != 2 or sm.args[2].value:
            return None
        k = self.sole_reader(sm.outputs[0])
        if k is None or self.calls[k].op_name != "aten::bmm":
            return None
        c2 = self.calls[k]
        if c2.args[0] is not sm.outputs[0] or c2.args[1] is sm.outputs[0]:
            return None
        return (j, k) if self.known(c2.args[1], k) else None

    def scales_attention_query(self, out: TensorValue) -> bool:
        """Whether `out` (a tensor times a scalar) is only read, through view calls, as the query
        of an attention (which then applies the scale itself)."""
        t = out
        while True:
            r = self.sole_reader(t)
            if r is None:
                return False
            c = self.calls[r]
            if c.op_name == "aten::bmm":
                return c.args[0] is t and c.args[1] is not t and self.attention_span(r) is not None
            if not (c.op_name in _ALIAS_OPS or c.op_name in ("aten::permute", "aten::transpose")):
                return False
            t = c.outputs[0]

    def heads_operand(self, tv: TensorValue, heads: int) -> Tuple[_View, List[int]]:
        """tv [B, R, C] as (view, [stride of b // heads, of b % heads, of r, of c]); materialized
        first where its batch does not split that way or a row or column dim does not merge."""
        v = self.view_of(tv)
        for attempt in range(2):
            batch = v.merged(v.dims[0])
            rest = [v.merged(g) for g in v.dims[1:]]
            if all(len(g) <= 1 for g in rest):
                st = [g[0][1] if g else 0 for g in rest]
                if not batch:
                    return v, [0, 0] + st
                if len(batch) == 1:
                    return v, [heads * batch[0][1], batch[0][1]] + st
                if len(batch) == 2 and batch[1][0] == heads:
                    return v, [batch[0][1], batch[1][1]] + st
            v = _View.of(self.materialize(v), 0, v.shape, _strides(v.shape))  # the scale applied
        raise RuntimeError("cpu backend: attention operand layout")  # contiguous always splits

    @staticmethod
    def heads_of(v: _View) -> int:
        """The head count a view's batch dim splits into (1 if it is one stride)."""
        batch = v.merged(v.dims[0])
        return batch[1][0] if len(batch) == 2 else 1

    def output_chain(self, o: TensorValue, heads: int):
        """The tensor the attention should write, following the reshapes and permutes that are
        o's only readers (the heads put back side by side), and o's [b // heads, b % heads, m, e]
        strides in it; (o, its own strides) where that does not work out."""
        B, M, Dv = o.shape
        own = [heads * M * Dv, M * Dv, Dv, 1]
        t, v, chain = o, _View.of(-1, 0, o.shape, _strides(o.shape)), []
        while True:
            r = self.sole_reader(t)
            if r is None or self.calls[r].args[0] is not t:
                break
            nxt = self.apply_view_call(self.calls[r], v)
            if nxt is None:
                break
            t, v = self.calls[r].outputs[0], nxt
            chain.append(r)
        if not chain:
            return o, own, []
        # Sub-dims of the target in its (contiguous) order: their strides in o, and in the target.
        subs = [sd for g in v.dims for sd in g]
        tgt = _strides([n for n, _ in subs])
        pool = sorted(((n, so, st) for (n, so), st in zip(subs, tgt)), key=lambda x: x[1])
        out = []
        for size in (Dv, M, heads, B // heads):  # o's dims, innermost first
            group, need = [], size
            while need > 1:
                if not pool:
                    return o, own, []
                n, so, st = pool.pop(0)
                if need % n == 0:
                    group.append((n, st))
                    need //= n
                elif n % need == 0:
                    group.append((need, st))
                    pool.insert(0, (n // need, so * need, st * need))
                    need = 1
                else:
                    return o, own, []
            for (n0, s0), (_, s1) in zip(group, group[1:]):
                if s1 != n0 * s0:
                    return o, own, []
            out.append(group[0][1] if group else 0)
        e, m, h, b = out
        if e != 1 and Dv > 1:  # the runtime writes whole rows of values
            return o, own, []
        return t, [b, h, m, e], chain

    def compile_attention(self, i: int, j: int, k: int) -> int:
        """One ATTENTION node for bmm(q, k^T) (calls[i]) -> softmax (j) -> bmm(., v) (k), reading
        q, k and v through their views (heads of a packed projection folded into the batch dim
        included); the reshapes and permutes that put the heads back together are written
        directly."""
        q, kt = self.calls[i].args[0], self.calls[i].args[1]
        v_t, o = self.calls[k].args[1], self.calls[k].outputs[0]
        self.compile_ahead(v_t)
        B, M, D = q.shape
        N, Dv = kt.shape[2], v_t.shape[2]
        heads = 1
        for t in (q, kt, v_t):
            heads = self.heads_of(self.view_of(t))
            if heads > 1:
                break
        qv, qs = self.heads_operand(q, heads)
        kv, ks = self.heads_operand(kt, heads)  # [B, D, N]: k(n, d) strides are (ks[3], ks[2])
        vv, vs = self.heads_operand(v_t, heads)
        if kv.scale != 1.0 or vv.scale != 1.0:
            raise RuntimeError("cpu backend: scaled key or value view")  # only q views are scaled
        target, os_, chain = self.output_chain(o, heads)
        y = self.new(target.shape)
        ints = [B, heads, M, N, D, Dv,
                qv.offset, *qs,
                kv.offset, ks[0], ks[1], ks[3], ks[2],
                vv.offset, *vs,
                0, *os_]
        self.node("ATTENTION", [qv.base, kv.base, vv.base], [y], ints, [qv.scale])
        self.define(target, "nchw", y)
        self.done.update((j, k, *chain))
        return i + 1

    def apply_view_call(self, c: KernelCall, v: _View) -> Optional[_View]:
        """v after a reshape-like call or a permute/transpose (c's input being v's tensor)."""
        out = c.outputs[0]
        if c.op_name in _ALIAS_OPS:
            return v.reshaped(out.shape)
        if c.op_name in ("aten::permute", "aten::transpose"):
            return v.permuted(_perm_of(c))
        return None

    def compile_call(self, i: int) -> int:
        call = self.calls[i]
        op, a = call.op_name, call.args
        out = call.outputs[0]
        if op == "aten::convolution":
            x, w, b = a[0], a[1], a[2]
            stride, pad, dil = _pair(a[3]), _pair(a[4]), _pair(a[5])
            groups = a[8].value
            xin = self.get(x, "nhwc")
            # XNNPACK's NHWC convolution takes [groups * group_out, kh, kw, group_in] weights.
            ins = [xin, self.new_const(w.constant.permute(0, 2, 3, 1))]
            if isinstance(b, TensorValue):
                ins.append(self.new_const(b.constant))
            lo, hi, res, nxt, fused, act = self.dense_epilogue(i, out, ins, "nhwc")
            y = self.new(self.nhwc_shape(out.shape))
            n = self.node("CONV", ins, [y], [stride[0], stride[1], pad[0], pad[1], pad[0], pad[1], dil[0],
                                             dil[1], groups, int(isinstance(b, TensorValue)), int(fused),
                                             act], [lo, hi])
            if groups > 1 and groups == x.shape[1] == out.shape[1]:
                self.keep_pointwise_input_alive(n)
            self.define(res, "nhwc", y)
            return nxt
        if op in ("aten::addmm", "aten::linear") or (op == "aten::mm" and a[1].storage == "constant"):
            if op == "aten::addmm":
                x, w, b, kn = a[1], a[2], a[0], 1
            elif op == "aten::mm":
                x, w, b, kn = a[0], a[1], None, 1
            else:
                x, w, b, kn = a[0], a[1], a[2], 0
            xin = self.get(x, "nchw")
            wt = w.constant.t() if kn else w.constant  # XNNPACK takes [N, K]
            ins = [xin, self.new_const(wt)]
            at, at_out = i, out
            if b is None:
                folded = self.fusable_bias(i, out, wt.shape[0])
                if folded is not None:
                    b, at_out, at = folded
            has_b = isinstance(b, TensorValue)
            if has_b:
                ins.append(self.new_const(b.constant.reshape(-1)))
            lo, hi, res, nxt, fused, act = self.dense_epilogue(at, at_out, ins, "nchw")
            y = self.new(res.shape)  # a residual add seen through views has the views' shape
            self.node("FC", ins, [y], [int(has_b), int(fused), act], [lo, hi])
            self.define(res, "nchw", y)
            return nxt
        if op == "aten::mm":
            y = self.new(out.shape)
            self.node("MM", [self.get(a[0]), self.get(a[1])], [y])
            self.define(out, "nchw", y)
            return i + 1
        if op == "aten::bmm":
            span = self.attention_span(i)
            if span is not None:
                return self.compile_attention(i, *span)
            y = self.new(out.shape)
            self.node("BMM", [self.get(a[0]), self.get(a[1])], [y])
            self.define(out, "nchw", y)
            return i + 1
        if op in ("aten::add", "aten::sub", "aten::mul", "aten::div"):
            return self.compile_binary(i)
        if op in _CLAMP_OPS:
            lo, hi = _clamp_range(call)
            return self.unary(i, "CLAMP", floats=[lo, hi])
        if op == "aten::hardswish":
            return self.unary(i, "HARDSWISH")
        if op == "aten::sigmoid":
            return self.unary(i, "SIGMOID")
        if op == "aten::hardsigmoid":
            return self.unary(i, "AFFINE", floats=[1.0 / 6.0, 0.5, 0.0, 1.0])
        if op == "aten::gelu":
            return self.unary(i, "GELU", ints=[int(a[1].value == "tanh")])
        if op in ("aten::mean", "aten::_adaptive_avg_pool2d", "aten::adaptive_avg_pool2d"):
            xin = self.get(a[0], "nhwc")
            n, c = a[0].shape[0], a[0].shape[1]
            y = self.new(out.shape)  # [N,C,1,1] or [N,C]: same bytes in either layout
            self.node("GAP", [xin], [y])
            self.define(out, "nchw", y)
            return i + 1
        if op in ("aten::max_pool2d_with_indices", "aten::max_pool2d"):
            k, s, p, d = _pair(a[1]), _pair(a[2]) or _pair(a[1]), _pair(a[3]), _pair(a[4])
            xin = self.get(a[0], "nhwc")
            y = self.new(self.nhwc_shape(out.shape))
            self.node("MAXPOOL", [xin], [y], [k[0], k[1], s[0], s[1], p[0], p[1], p[0], p[1], d[0], d[1]])
            self.define(out, "nhwc", y)
            return i + 1
        if op == "aten::avg_pool2d":
            k, s, p = _pair(a[1]), _pair(a[2]) or _pair(a[1]), _pair(a[3])
            xin = self.get(a[0], "nhwc")
            y = self.new(self.nhwc_shape(out.shape))
            self.node("AVGPOOL", [xin], [y], [k[0], k[1], s[0], s[1], p[0], p[1], p[0], p[1]])
            self.define(out, "nhwc", y)
            return i + 1
        if op == "aten::_softmax":
            return self.unary(i, "SOFTMAX", layout="nchw")
        if op == "aten::native_layer_norm":
            x, w, b = a[0], a[2], a[3]
            ins = [self.get(x)]
            for t in (w, b):
                if isinstance(t, TensorValue):
                    ins.append(self.new_const(t.constant))
            y = self.new(out.shape)
            self.node("LAYERNORM", ins, [y], [int(isinstance(w, TensorValue)), int(isinstance(b, TensorValue))],
                      [_num(a[4])])
            self.define(out, "nchw", y)
            return i + 1
        if op in _ALIAS_OPS or op in ("aten::permute", "aten::transpose"):
            v = self.view_of(a[0])
            r = self.apply_view_call(call, v)
            if r is None:
                r = _View.of(self.materialize(v), 0, out.shape, _strides(out.shape))
            self.define_view(out, r)
            return i + 1
        if op == "aten::cat":
            items = a[0].items
            dim = a[1].value % len(out.shape)
            outer = math.prod(out.shape[:dim])
            ins = [self.get(t) for t in items]
            rows = [math.prod(t.shape[dim:]) for t in items]
            y = self.new(out.shape)
            self.node("CAT", ins, [y], [outer, math.prod(out.shape[dim:])] + rows)
            self.define(out, "nchw", y)
            return i + 1
        if op == "aten::split":
            x = a[0]
            dim = a[2].value % len(x.shape)
            v = self.simple_view_of(x)
            st = v.strides()
            off = 0
            for t in a[3].items:
                self.define_view(t, v.at(v.offset + off * st[dim], [[(n, s_)] for n, s_ in zip(t.shape, st)]))
                off += t.shape[dim]
            return i + 1
        if op == "aten::as_strided":
            # Strides over the input's contiguous layout (as the portable kernel reads it).
            v = self.view_of(a[0])
            if not v.contiguous():
                v = _View.of(self.materialize(v), 0, v.shape, _strides(v.shape))
            off = 0 if a[3].kind == "none" else a[3].value
            self.define_view(out, v.at(v.offset + off, [[(n, st)] for n, st in zip(_ints(a[1]), _ints(a[2]))]))
            return i + 1
        if op in ("aten::select", "aten::slice"):
            x = a[0]
            nd = len(x.shape)
            dim = a[1].value % nd
            v = self.simple_view_of(x)
            st = v.strides()
            if op == "aten::select":
                idx = a[2].value % x.shape[dim]
                dims = [[(n, s_)] for d, (n, s_) in enumerate(zip(v.shape, st)) if d != dim]
                self.define_view(out, v.at(v.offset + idx * st[dim], dims))
                return i + 1
            start = 0 if a[2].kind == "none" else a[2].value
            start = max(0, min(x.shape[dim], start + x.shape[dim] if start < 0 else start))
            strides = list(st)
            strides[dim] *= int(_num(a[4]))
            self.define_view(out, v.at(v.offset + start * st[dim], [[(n, s_)] for n, s_ in zip(out.shape, strides)]))
            return i + 1
        if op == "aten::constant_pad_nd":
            x = a[0]
            nd = len(x.shape)
            pads = _ints(a[1])
            src_st, dst_st = _strides(x.shape), _strides(out.shape)
            src_off = dst_off = 0
            count = list(x.shape)
            for k in range(len(pads) // 2):  # pads run from the last dim backwards
                d = nd - 1 - k
                before, after = pads[2 * k], pads[2 * k + 1]
                src_off += max(0, -before) * src_st[d]
                dst_off += max(0, before) * dst_st[d]
                count[d] = x.shape[d] - max(0, -before) - max(0, -after)
            boxes = [(src_off, dst_off, count, src_st, dst_st)] if all(c > 0 for c in count) else []
            return self.box_copy(i, x, out, boxes, fill=float(_num(a[2])))
        if op == "aten::roll":
            x = a[0]
            nd = len(x.shape)
            st = _strides(x.shape)
            # Per rolled dim, out[(j + s) % n] = in[j]: two runs, [0, n - s) -> [s, n) and
            # [n - s, n) -> [0, s); the boxes are every combination of runs.
            runs = [[(0, 0, x.shape[d])] for d in range(nd)]
            for shift, d in zip(_ints(a[1]), _ints(a[2])):
                d %= nd
                n = x.shape[d]
                s_ = shift % n if n else 0
                runs[d] = [(r0, r1, ln) for r0, r1, ln in ((0, s_, n - s_), (n - s_, 0, s_)) if ln > 0]
            boxes = []
            for combo in itertools.product(*runs):
                src_off = sum(r[0] * st[d] for d, r in enumerate(combo))
                dst_off = sum(r[1] * st[d] for d, r in enumerate(combo))
                boxes.append((src_off, dst_off, [r[2] for r in combo], list(st), list(st)))
            return self.box_copy(i, x, out, boxes)
        raise RuntimeError(f"cpu backend cannot compile {call.key}")

    def box_copy(self, i: int, x: TensorValue, out: TensorValue, boxes, fill: Optional[float] = None) -> int:
        """A BOX_COPY node from x (boxes address it as contiguous; it is read through its view)
        to the contiguous out."""
        nd = len(x.shape)
        v = self.simple_view_of(x)
        vst = v.strides()
        ints = [nd, int(fill is not None), len(boxes)]
        cont = _strides(x.shape)
        for src_off, dst_off, count, src_st, dst_st in boxes:
            # Contiguous index -> view: per dim, idx = off // cont[d] % shape[d].
            idx = [src_off // cont[d] % x.shape[d] if cont[d] and x.shape[d] else 0 for d in range(nd)]
            off = v.offset + sum(k * st for k, st in zip(idx, vst))
            # The boxes step whole dims of x (their strides are x's, or multiples of them).
            st = [s_ // cont[d] * vst[d] if cont[d] else 0 for d, s_ in enumerate(src_st)]
            ints += [off, dst_off] + list(count) + st + list(dst_st)
        y = self.new(out.shape)
        self.node("BOX_COPY", [v.base], [y], ints, [0.0 if fill is None else fill])
        self.define(out, "nchw", y)
        return i + 1

    def unary(self, i, op, ints=(), floats=(), layout=None) -> int:
        call = self.calls[i]
        x, out = call.args[0], call.outputs[0]
        lay = layout or self.layout_of(x)
        xin = self.get(x, lay)
        y = self.new(self.tensors[xin]["shape"])
        self.node(op, [xin], [y], ints, floats)
        self.define(out, lay, y)
        return i + 1

    def compile_binary(self, i: int) -> int:
        call = self.calls[i]
        op, a = call.op_name, call.args
        out = call.outputs[0]
        x, other = a[0], a[1]
        alpha = _num(a[2]) if op in ("aten::add", "aten::sub") else 1.0
        if not isinstance(other, TensorValue):
            s = _num(other)
            if op in ("aten::mul", "aten::div") and s != 0 and self.scales_attention_query(out):
                v = self.view_of(x)
                self.define_view(out, v.at(v.offset, v.dims))
                self.views[id(out)].scale = v.scale * (s if op == "aten::mul" else 1.0 / s)
                return i + 1
            if op == "aten::add":
                aff = (1.0, alpha * s)
            elif op == "aten::sub":
                aff = (1.0, -alpha * s)
            elif op == "aten::mul":
                aff = (s, 0.0)
            else:
                aff = (1.0 / s, 0.0)
            lo, hi, res, nxt = self.out_clamp(i, out)
            lay = self.layout_of(x)
            xin = self.get(x, lay)
            y = self.new(self.tensors[xin]["shape"])
            self.node("AFFINE", [xin], [y], [], [aff[0], aff[1], lo, hi])
            self.define(res, lay, y)
            return nxt
        if alpha != 1.0:
            raise RuntimeError("cpu backend: add/sub with alpha != 1 and a tensor operand")
        nd = len(out.shape)
        # Channels-last when the output is 4-D and an operand is already channels-last.
        lay = "nchw"
        if nd == 4 and any(isinstance(t, TensorValue) and t.storage != "constant" and self.layout_of(t) == "nhwc"
                           and not self.agnostic(t.shape) for t in (x, other)):
            lay = "nhwc"
        ins = []
        shapes = []
        for t in (x, other):
            shp = (1,) * (nd - len(t.shape)) + tuple(t.shape)
            if lay == "nhwc":
                if len(t.shape) == 4:
                    tid = self.get(t, "nhwc")
                elif self.agnostic(shp):
                    tid = self.get(t, "nchw")
                else:
                    # A lower-rank operand that is not layout-agnostic: materialize it 4-D first.
                    tid = self._nhwc_of_lowrank(t, shp)
                shp = self.nhwc_shape(shp)
            else:
                tid = self.get(t, "nchw")
            ins.append(tid)
            shapes.append(shp)
        kind = {"aten::add": 0, "aten::sub": 1, "aten::mul": 2, "aten::div": 3}[op]
        lo, hi, res, nxt = self.out_clamp(i, out) if kind == 0 else (-INF, INF, out, i + 1)
        oshape = self.nhwc_shape(out.shape) if lay == "nhwc" else out.shape
        y = self.new(oshape)
        ints = [kind, nd] + list(shapes[0]) + list(shapes[1])
        self.node("BINARY", ins, [y], ints, [lo, hi])
        self.define(res, lay, y)
        return nxt

    def _nhwc_of_lowrank(self, t: TensorValue, shp) -> int:
        src = self.get(t, "nchw")
        v = self.alias(src, shp)
        y = self.new(self.nhwc_shape(shp))
        self.node("TO_NHWC", [v], [y])
        return y

    # -- memory plan -----------------------------------------------------------------------

    def plan(self) -> int:
        def root(t):
            r = self.tensors[t]["root"]
            return t if r is None else r

        first: Dict[int, int] = {}
        last: Dict[int, int] = {}
        for n, (_, ins, outs, _, _) in enumerate(self.nodes):
            for t in outs:
                r = root(t)
                first.setdefault(r, n)
                last[r] = max(last.get(r, n), n)
            for t in list(ins) + self.keep_alive.get(n, []):
                if self.tensors[t]["kind"] != "arena":
                    continue
                r = root(t)
                last[r] = max(last.get(r, n), n)
        size = {r: self.nbytes(r) for r in first}
        for t in range(len(self.tensors)):
            if self.tensors[t]["kind"] == "arena" and root(t) != t and root(t) in size:
                size[root(t)] = max(size[root(t)], 4 * self.tensors[t]["elem_offset"] + self.nbytes(t))
        free: List[Tuple[int, int]] = []  # (offset, size)
        end = 0
        offset: Dict[int, int] = {}
        by_first: Dict[int, List[int]] = {}
        by_last: Dict[int, List[int]] = {}
        for r in first:
            by_first.setdefault(first[r], []).append(r)
            by_last.setdefault(last[r], []).append(r)
        for n in range(len(self.nodes)):
            for r in by_first.get(n, []):
                need = _align(size[r] + EXTRA)
                best = None
                for k, (o, s) in enumerate(free):
                    if s >= need and (best is None or s < free[best][1]):
                        best = k
                if best is not None:
                    o, s = free.pop(best)
                    offset[r] = o
                    if s > need:
                        free.append((o + need, s - need))
                else:
                    offset[r] = end
                    end += need
            for r in by_last.get(n, []):
                free.append((offset[r], _align(size[r] + EXTRA)))
                free.sort()
                merged = []
                for o, s in free:
                    if merged and merged[-1][0] + merged[-1][1] == o:
                        merged[-1] = (merged[-1][0], merged[-1][1] + s)
                    else:
                        merged.append((o, s))
                free = merged
        for t in range(len(self.tensors)):
            if self.tensors[t]["kind"] == "arena":
                self.tensors[t]["offset"] = offset.get(root(t), 0) + 4 * self.tensors[t]["elem_offset"]
        return end

    def nbytes(self, t) -> int:
        return 4 * math.prod(self.tensors[t]["shape"])

    # -- serialize -------------------------------------------------------------------------

    def serialize(self, arena: int) -> bytes:
        consts = []
        cbytes = 0
        for t in self.tensors:
            if t["kind"] == "const":
                t["offset"] = cbytes
                raw = t["data"].numpy().tobytes()
                consts.append(raw + b"\0" * (_align(len(raw)) - len(raw)))
                cbytes += _align(len(raw))
        body = bytearray()
        for t in self.tensors:
            body += struct.pack("<II", 0 if t["kind"] == "arena" else 1, len(t["shape"]))
            body += struct.pack(f"<{len(t['shape'])}q", *t["shape"])
            body += struct.pack("<Q", t["offset"])
        for op, ins, outs, ints, floats in self.nodes:
            body += struct.pack("<5I", op, len(ins), len(outs), len(ints), len(floats))
            body += struct.pack(f"<{len(ins) + len(outs)}i", *ins, *outs)
            body += struct.pack(f"<{len(ints)}q", *ints)
            body += struct.pack(f"<{len(floats)}d", *floats)
        header_size = 4 + 4 * 4 + 8 * 3
        const_offset = _align(header_size + len(body))
        nargs = len(self.inputs) + len(self.outputs)
        header = b"EMBC" + struct.pack("<4I3Q", VERSION, len(self.tensors), len(self.nodes), nargs, arena,
                                       const_offset, cbytes)
        blob = header + bytes(body)
        blob += b"\0" * (const_offset - len(blob))
        return blob + b"".join(consts)


def _perm_of(c: KernelCall) -> List[int]:
    """The dim order of a permute or transpose call's output."""
    nd = len(c.args[0].shape)
    if c.op_name == "aten::permute":
        return [p % nd for p in _ints(c.args[1])]
    perm = list(range(nd))
    d0, d1 = c.args[1].value % nd, c.args[2].value % nd
    perm[d0], perm[d1] = perm[d1], perm[d0]
    return perm


class BlobTensor(NamedTuple):
    """A tensor of a cpu-backend blob: where its int64 dims start in the blob, and how many."""
    dims: int
    rank: int


class BlobNode(NamedTuple):
    """A node of a cpu-backend blob: op code, input and output tensor ids, and where its int64
    parameters start in the blob, and how many."""
    op: int
    inputs: Tuple[int, ...]
    outputs: Tuple[int, ...]
    ints: int
    nint: int


def _blob_tables(blob: bytes) -> Tuple[List[BlobTensor], List[BlobNode]]:
    """The tensor and node tables of a cpu-backend blob, in order (see the blob layout above)."""
    _, ntensors, nnodes = struct.unpack_from("<3I", blob, 4)
    pos = 44
    tensors = []
    for _ in range(ntensors):
        _, nd = struct.unpack_from("<II", blob, pos)
        tensors.append(BlobTensor(pos + 8, nd))
        pos += 8 + 8 * nd + 8
    nodes = []
    for _ in range(nnodes):
        op, nin, nout, nint, nfloat = struct.unpack_from("<5I", blob, pos)
        ids = struct.unpack_from(f"<{nin + nout}I", blob, pos + 20)
        ints = pos + 20 + 4 * (nin + nout)
        nodes.append(BlobNode(op, ids[:nin], ids[nin:], ints, nint))
        pos = ints + 8 * (nint + nfloat)
    return tensors, nodes


def tensor_table(blob: bytes) -> List[BlobTensor]:
    """Every tensor of a cpu-backend blob, indexed by tensor id."""
    return _blob_tables(blob)[0]


def node_table(blob: bytes) -> List[BlobNode]:
    """Every node of a cpu-backend blob, in order."""
    return _blob_tables(blob)[1]


def node_ops(blob: bytes) -> List[str]:
    """The op name (OP's keys, lower case) of every node of a cpu-backend blob, in order."""
    names = {v: k.lower() for k, v in OP.items()}
    return [names.get(n.op, str(n.op)) for n in node_table(blob)]


def _strides(shape) -> List[int]:
    """Contiguous (row-major) element strides."""
    out, acc = [], 1
    for d in reversed(list(shape)):
        out.append(acc)
        acc *= int(d)
    return out[::-1]


def _align(n: int, a: int = ALIGN) -> int:
    return (n + a - 1) // a * a


register_backend(CpuBackend())
