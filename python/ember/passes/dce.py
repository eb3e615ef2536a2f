import torch.fx


def eliminate_dead_code(gm: torch.fx.GraphModule) -> torch.fx.GraphModule:
    """Removes nodes whose results are never used (the captured graph is functional), and
    get_attr constants left without users."""
    changed = True
    while changed:
        changed = False
        for node in reversed(list(gm.graph.nodes)):
            if node.op in ("call_function", "get_attr") and not node.users:
                gm.graph.erase_node(node)
                changed = True
    used = {n.target for n in gm.graph.nodes if n.op == "get_attr"}
    for name in [k for k in list(gm._buffers) + list(gm._parameters) if k not in used]:
        delattr(gm, name)
    for name in [k for k, v in list(gm.__dict__.items()) if k.startswith("_tensor_constant") and k not in used]:
        delattr(gm, name)
    gm.recompile()
    return gm
