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
# A folded constant may grow the file; refuse growth beyond this factor over its inputs.
_MAX_GROWTH = 4
_GROWTH_FLOOR = 1 << 16  # elements: small results always fold


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
    values) and replaces it with a constant: e.g. weight transposes, attention masks built
    from shapes, arange/zeros/full."""
    env: Dict[torch.fx.Node, Any] = {}
    for node in list(gm.graph.nodes):
        if node.op == "get_attr":
            env[node] = getattr(gm, node.target)
            continue
        if node.op != "call_function":
            continue
        inputs = node.all_input_nodes
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
        if node.target is operator.getitem or not isinstance(value, torch.Tensor):
            if isinstance(value, torch.Tensor):  # getitem of a folded tuple
                pass
            else:
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
