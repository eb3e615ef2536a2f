import torch
import torch.fx

from .shapes import TensorMeta

aten = torch.ops.aten


def _same(a, b) -> bool:
    return isinstance(a, TensorMeta) and isinstance(b, TensorMeta) and a.shape == b.shape and a.dtype == b.dtype


def _is_noop(node: torch.fx.Node) -> bool:
    src = node.args[0] if node.args else None
    if not isinstance(src, torch.fx.Node) or not _same(src.meta.get("val"), node.meta.get("val")):
        return False
    t = node.target
    if t in (aten.reshape.default, aten.view.default, aten.expand.default, aten._to_copy.default, aten.contiguous.default):
        return t != aten._to_copy.default or set(node.kwargs) <= {"dtype", "layout", "device", "memory_format"}
    if t == aten.slice.Tensor:
        step = node.args[4] if len(node.args) > 4 else 1
        start = node.args[2] if len(node.args) > 2 else 0
        return step == 1 and (start in (None, 0))
    if t == aten.permute.default:
        return list(node.args[1]) == list(range(len(node.args[1])))
    return False


def remove_noop_views(gm: torch.fx.GraphModule) -> torch.fx.GraphModule:
    """Removes view/expand/slice/permute/copy nodes whose output equals their input
    (same shape, dtype and element order). Needs node.meta["val"] from propagate_shapes."""
    for node in list(gm.graph.nodes):
        if node.op == "call_function" and _is_noop(node):
            node.replace_all_uses_with(node.args[0])
            gm.graph.erase_node(node)
    gm.recompile()
    return gm
