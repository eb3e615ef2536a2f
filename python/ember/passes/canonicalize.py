import torch
import torch.fx

aten = torch.ops.aten

# Ops that return their input unchanged in a functional, inference-only graph.
_IDENTITY = {aten.detach.default, aten.lift_fresh_copy.default, aten.alias.default}
# Reshape-like ops that all become aten::reshape. Ember tensors are always contiguous, so a
# reshape never copies there; unlike view it also stays valid when the graph is replayed
# eagerly on strided tensors after identity clones are dropped.
_TO_RESHAPE = {aten._reshape_alias.default, aten._unsafe_view.default, aten.view.default}


def canonicalize_aliases(gm: torch.fx.GraphModule) -> torch.fx.GraphModule:
    """Drops identity ops (detach, lift_fresh_copy, alias, contiguous clone) and rewrites
    reshape-like ops to aten.reshape so later passes and the planner see one op."""
    for node in list(gm.graph.nodes):
        if node.op != "call_function":
            continue
        if node.target in _IDENTITY or (
            node.target == aten.clone.default and node.kwargs.get("memory_format") in (None, torch.contiguous_format)
        ):
            node.replace_all_uses_with(node.args[0])
            gm.graph.erase_node(node)
        elif node.target in _TO_RESHAPE:
            node.target = aten.reshape.default
            node.args = (node.args[0], list(node.args[1]))
            node.kwargs = {}
    gm.recompile()
    return gm
