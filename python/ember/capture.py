"""Graph capture: turns an nn.Module plus example inputs into a functional ATen FX graph.

PyTorch 1.13 has no torch.export, so capture uses make_fx over a functionalized call. This
is the only module that knows how capture happens; a torch.export front end can replace
`capture` on newer PyTorch without touching the passes.
"""
from __future__ import annotations

import contextlib
import linecache
import sys
from typing import Any, Callable, List, Sequence, Tuple

import torch
import torch.fx
from torch.fx.experimental.proxy_tensor import make_fx
from torch.utils import _pytree as pytree

from .errors import ExportError

try:  # PyTorch >= 2.0
    from torch.func import functionalize  # type: ignore
except ImportError:  # PyTorch 1.13
    from functorch import functionalize  # type: ignore


def _user_frame() -> str:
    """The innermost stack frame outside torch and ember, as 'file:line: code'."""
    f = sys._getframe(2)
    while f is not None:
        fn = f.f_code.co_filename
        if "/torch/" not in fn and "/ember/" not in fn and "/functorch/" not in fn:
            line = linecache.getline(fn, f.f_lineno).strip()
            return f"{fn}:{f.f_lineno}: {line}"
        f = f.f_back
    return "<unknown>"


@contextlib.contextmanager
def _module_path_tracking(model: torch.nn.Module):
    """Annotates every FX node created during tracing with the path of the module running."""
    stack: List[str] = [""]
    handles = []

    def push(name):
        def hook(module, inputs):
            stack.append(name)  # returns None: the inputs stay unchanged

        return hook

    def pop(module, inputs, output):
        stack.pop()  # returns None: the output stays unchanged

    for name, mod in model.named_modules():
        handles.append(mod.register_forward_pre_hook(push(name)))
        handles.append(mod.register_forward_hook(pop))
    original = torch.fx.Graph.create_node

    def create_node(self, *args, **kwargs):
        node = original(self, *args, **kwargs)
        node.meta["module_path"] = stack[-1] or "<root>"
        return node

    torch.fx.Graph.create_node = create_node
    try:
        yield
    finally:
        torch.fx.Graph.create_node = original
        for h in handles:
            h.remove()


@contextlib.contextmanager
def _forbid_data_dependent_control_flow():
    """Real-mode tracing would silently bake in one branch of `if tensor:`; refuse instead."""
    patched = {}

    def make(name):
        orig = getattr(torch.Tensor, name)

        def guard(self, *args, **kwargs):
            raise ExportError(
                f"the model converts a tensor to a Python value (Tensor.{name}) during capture, "
                f"i.e. it has data-dependent Python control flow, which a static program cannot "
                f"express.\n  at {_user_frame()}\nRewrite it with tensor ops (torch.where, masking) "
                f"or move it out of forward()."
            )

        return orig, guard

    for name in ("__bool__", "item", "tolist", "__int__", "__float__", "__index__"):
        orig, guard = make(name)
        patched[name] = orig
        setattr(torch.Tensor, name, guard)
    try:
        yield
    finally:
        for name, orig in patched.items():
            setattr(torch.Tensor, name, orig)


def capture(model: torch.nn.Module, example_inputs: Sequence[torch.Tensor]) -> Tuple[torch.fx.GraphModule, Any]:
    """Traces `model(*example_inputs)` into a functional ATen graph.

    Returns the GraphModule (parameters and buffers become get_attr constants, outputs are a
    flat list) and the pytree spec of the model's original output structure.
    """
    if not isinstance(model, torch.nn.Module):
        raise ExportError(f"expected an nn.Module, got {type(model).__name__}")
    for i, x in enumerate(example_inputs):
        if not isinstance(x, torch.Tensor):
            raise ExportError(f"example input {i} is a {type(x).__name__}; only tensors are supported")
    if model.training:
        raise ExportError("the model is in training mode; call model.eval() before export")
    out_spec = []

    def flat_forward(*args):
        out = model(*args)
        leaves, spec = pytree.tree_flatten(out)
        out_spec.append(spec)
        for leaf in leaves:
            if not isinstance(leaf, torch.Tensor):
                raise ExportError(f"the model returns a {type(leaf).__name__}; outputs must be tensors")
        return leaves

    # Gradients stay enabled while tracing so eval-mode fast paths (fused attention kernels
    # without portable decompositions) are not taken; make_fx records forward ops only.
    with _module_path_tracking(model), _forbid_data_dependent_control_flow(), torch.enable_grad():
        try:
            gm = make_fx(functionalize(flat_forward), tracing_mode="real")(*example_inputs)
        except ExportError:
            raise
        except Exception as e:  # surface tracing failures with their cause
            raise ExportError(f"capture failed: {type(e).__name__}: {e}") from e
    return gm, out_spec[0]
