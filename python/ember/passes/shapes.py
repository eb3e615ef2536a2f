from typing import Any, Sequence

import torch
import torch.fx
from torch.utils import _pytree as pytree


class TensorMeta:
    """Shape and dtype of a tensor an FX node produces."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = tuple(int(s) for s in shape)
        self.dtype = dtype

    def __repr__(self):
        return f"TensorMeta({list(self.shape)}, {self.dtype})"


def _meta_of(value: Any) -> Any:
    return pytree.tree_map(lambda v: TensorMeta(v.shape, v.dtype) if isinstance(v, torch.Tensor) else v, value)


def propagate_shapes(gm: torch.fx.GraphModule, example_inputs: Sequence[torch.Tensor]) -> torch.fx.GraphModule:
    """Runs the graph on the example inputs and records each node's output shapes/dtypes in
    node.meta["val"] (a TensorMeta, or a list/tuple of them)."""

    class Recorder(torch.fx.Interpreter):
        def run_node(self, n):
            result = super().run_node(n)
            n.meta["val"] = _meta_of(result)
            return result

    with torch.no_grad():
        Recorder(gm).run(*example_inputs)
    return gm
