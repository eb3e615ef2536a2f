import operator

import torch
import torch.fx

from .shapes import _meta_of

aten = torch.ops.aten


def _const(gm, node):
    return getattr(gm, node.target) if isinstance(node, torch.fx.Node) and node.op == "get_attr" else None


def _register(gm, base: str, value: torch.Tensor, before: torch.fx.Node) -> torch.fx.Node:
    i = 0
    while hasattr(gm, f"{base}{i}"):
        i += 1
    gm.register_buffer(f"{base}{i}", value.detach().contiguous())
    with gm.graph.inserting_before(before):
        node = gm.graph.get_attr(f"{base}{i}")
    node.meta["val"] = _meta_of(value)
    return node


def fold_batch_norm(gm: torch.fx.GraphModule) -> torch.fx.GraphModule:
    """Folds eval-mode batch norm into the preceding (non-transposed) convolution:
    w' = w * g / sqrt(var + eps), b' = (b - mean) * g / sqrt(var + eps) + beta."""
    for bn in list(gm.graph.nodes):
        if bn.op != "call_function" or bn.target != aten.native_batch_norm.default:
            continue
        x, gamma, beta, mean, var, training, _momentum, eps = bn.args
        if training or not isinstance(x, torch.fx.Node) or x.target != aten.convolution.default or len(x.users) != 1:
            continue
        if any(u.target is not operator.getitem or u.args[1] != 0 for u in bn.users):
            continue
        conv = x
        inp, w_node, b_node, stride, padding, dilation, transposed, output_padding, groups = conv.args
        w, b = _const(gm, w_node), _const(gm, b_node) if b_node is not None else None
        stats = [_const(gm, n) if n is not None else None for n in (gamma, beta, mean, var)]
        if transposed or w is None or (b_node is not None and b is None) or stats[2] is None or stats[3] is None:
            continue
        g, bt, mu, v = stats
        with torch.no_grad():
            scale = torch.rsqrt(v.double() + eps)
            if g is not None:
                scale = scale * g.double()
            new_w = (w.double() * scale.reshape(-1, *([1] * (w.dim() - 1)))).to(w.dtype)
            new_b = ((b.double() if b is not None else torch.zeros_like(mu, dtype=torch.float64)) - mu.double()) * scale
            if bt is not None:
                new_b = new_b + bt.double()
            new_b = new_b.to(w.dtype)
        w_new = _register(gm, "_bn_folded_weight", new_w, conv)
        b_new = _register(gm, "_bn_folded_bias", new_b, conv)
        with gm.graph.inserting_before(bn):
            fused = gm.graph.call_function(
                aten.convolution.default,
                (inp, w_new, b_new, stride, padding, dilation, transposed, output_padding, groups),
            )
        fused.meta = dict(conv.meta)
        for user in list(bn.users):
            user.replace_all_uses_with(fused)
            gm.graph.erase_node(user)
        gm.graph.erase_node(bn)
        gm.graph.erase_node(conv)
    gm.recompile()
    return gm
