"""Rewrites in-place ATen ops on freshly computed tensors into their functional forms.

functionalize only sees ops whose inputs are functional tensors, so computation that starts
from parameters and buffers alone (e.g. swin_v2's continuous position-bias MLP, where linear
decomposes to matmul + add_) is captured with in-place ops still in it."""
from typing import Optional

import torch
import torch.fx


def _functional_twin(target) -> Optional[torch._ops.OpOverload]:
    """aten.add_.Tensor -> aten.add.Tensor, when `target` mutates only its first argument."""
    if not isinstance(target, torch._ops.OpOverload):
        return None
    schema = target._schema
    name = schema.name.split("::")[-1]
    if not name.endswith("_") or name.startswith("_") or not schema.arguments:
        return None
    first = schema.arguments[0].alias_info
    if first is None or not first.is_write:
        return None
    if any(a.alias_info is not None and a.alias_info.is_write for a in schema.arguments[1:]):
        return None
    packet = getattr(torch.ops.aten, name[:-1], None)
    if packet is None:
        return None
    try:
        return getattr(packet, target._overloadname)
    except AttributeError:
        return None


def _is_view(node: torch.fx.Node) -> bool:
    target = node.target
    if not isinstance(target, torch._ops.OpOverload):
        return False
    returns = target._schema.returns
    return bool(returns) and returns[0].alias_info is not None and not returns[0].alias_info.is_write


def _owns_storage(x: torch.fx.Node) -> bool:
    """True when x is computed in the graph and shares memory with nothing else: x is a fresh
    result, or a chain of views whose bases are each used only by the next link (matmul's
    result viewed to the output shape, say)."""
    while True:
        if x.op != "call_function" or _functional_twin(x.target) is not None:
            return False
        if not _is_view(x):
            return True
        base = x.args[0] if x.args else None
        if not isinstance(base, torch.fx.Node) or len(base.users) != 1:
            return False
        x = base


def functionalize_inplace(gm: torch.fx.GraphModule) -> torch.fx.GraphModule:
    """`y = x.op_(...)` becomes `y = op(x, ...)`, and every later use of x reads y.

    Only when x is an intermediate result that nothing else aliases: not a graph input,
    parameter or buffer (that mutation would be visible to the caller), not a view of a tensor
    used elsewhere, and with no view taken of it (a view would observe the mutation)."""
    order = {n: i for i, n in enumerate(gm.graph.nodes)}
    for node in list(gm.graph.nodes):
        if node.op != "call_function":
            continue
        twin = _functional_twin(node.target)
        if twin is None or not node.args or not isinstance(node.args[0], torch.fx.Node):
            continue
        x = node.args[0]
        if not _owns_storage(x):
            continue
        if any(_is_view(u) for u in x.users if u is not node):
            continue
        node.target = twin
        for user in list(x.users):
            if user is not node and order[user] > order[node]:
                user.replace_input_with(x, node)
    gm.recompile()
    return gm
