import operator
from typing import Any, Dict

import torch
import torch.fx
from torch.utils import _pytree as pytree

from .shapes import _meta_of

aten = torch.ops.aten

# Never folded: random results must be drawn at run time.
_NONDETERMINISTIC = {"rand", "randn", "randint", "rand_like", "randn_like", "bernoulli", "dropout", "native_dropout",
                     "empty", "empty_like", "new_empty", "empty_strided"}
# Ops whose result depends only on their first argument's shape and dtype, never its values.
_SHAPE_ONLY = {aten.new_zeros.default, aten.new_ones.default, aten.new_full.default, aten.zeros_like.default,
               aten.ones_like.default, aten.full_like.default, aten.scalar_tensor.default}
# Of those, the ones given their size explicitly: with an explicit dtype they do not even need
# the input's shape (capture leaves some values without one).
_NEW_SIZED = {aten.new_zeros.default, aten.new_ones.default, aten.new_full.default}
# A folded constant may grow the file; refuse growth beyond this factor over its inputs.
_MAX_GROWTH = 4
# Elements: smaller results always fold. 1 MB of float32 holds swin_t's shifted-window
# attention mask ([64, 49, 49], built from index arithmetic on a [64, 49] constant): folding
# it keeps the masked_fill/eq/ne chain out of the program and the model in one delegate.
_GROWTH_FLOOR = 1 << 18


def _new_constant(gm: torch.fx.GraphModule, value: torch.Tensor, before: torch.fx.Node) -> torch.fx.Node:
    i = 0
    while hasattr(gm, f"_folded_constant{i}"):
        i += 1
    name = f"_folded_constant{i}"
    gm.register_buffer(name, value.detach().contiguous().clone())
    with gm.graph.inserting_before(before):
        node = gm.graph.get_attr(name)
    node.meta["val"] = _meta_of(value)
    node.meta["module_path"] = before.meta.get("module_path", "<root>")
    return node


def fold_constants(gm: torch.fx.GraphModule) -> torch.fx.GraphModule:
    """Evaluates every call whose inputs are all constants (weights, literals, other folded
    values), or whose result depends only on an input's shape (new_zeros, ones_like, ...),
    and replaces it with a constant: e.g. weight transposes, attention masks built from
    shapes, arange/zeros/full. Needs node.meta["val"] (propagate_shapes) for shape-only ops."""
    env: Dict[torch.fx.Node, Any] = {}
    for node in list(gm.graph.nodes):
        if node.op == "get_attr":
            env[node] = getattr(gm, node.target)
            continue
        if node.op != "call_function":
            continue
        inputs = node.all_input_nodes
        if node.target in _SHAPE_ONLY and inputs and inputs[0] not in env:
            meta = inputs[0].meta.get("val")
            if len(inputs) > 1:
                continue
            if meta is not None and hasattr(meta, "shape"):
                placeholder = torch.zeros(meta.shape, dtype=meta.dtype)  # values never read
            elif node.target in _NEW_SIZED and node.kwargs.get("dtype") is not None:
                placeholder = torch.zeros(0, dtype=node.kwargs["dtype"])
            else:
                continue
            args = (placeholder,) + tuple(node.args[1:])
            with torch.no_grad():
                value = node.target(*args, **node.kwargs)
            const = _new_constant(gm, value, node)
            env[const] = value
            node.replace_all_uses_with(const)
            continue
        if any(n not in env for n in inputs):
            continue
        name = getattr(getattr(node.target, "_schema", None), "name", "").split("::")[-1]
        if name in _NONDETERMINISTIC:
            continue
        args = pytree.tree_map(lambda a: env[a] if isinstance(a, torch.fx.Node) else a, node.args)
        kwargs = pytree.tree_map(lambda a: env[a] if isinstance(a, torch.fx.Node) else a, node.kwargs)
        with torch.no_grad():
            value = node.target(*args, **kwargs)
        env[node] = value
        if not isinstance(value, torch.Tensor):  # tuples stay in env for their getitem users
            continue
        in_numel = sum(v.numel() for v in pytree.tree_flatten([env[n] for n in inputs])[0] if isinstance(v, torch.Tensor))
        if value.numel() > _GROWTH_FLOOR and value.numel() > _MAX_GROWTH * max(in_numel, 1):
            del env[node]
            continue
        const = _new_constant(gm, value, node)
        env[const] = value
        node.replace_all_uses_with(const)
    gm.recompile()
    return gm
