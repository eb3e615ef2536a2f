"""ember.load: run a program file with the C++ runtime from Python."""
from __future__ import annotations

from typing import List, Union

import numpy as np
import torch


class LoadedProgram:
    """A program loaded by the C++ runtime (weights memory-mapped by default)."""

    def __init__(self, path: str, mmap: bool = True):
        from . import _C

        self._m = _C.Module(path, mmap)
        self.path = path
        meta = self._m.meta("forward") if "forward" in self._m.method_names() else None
        self._single = True
        if meta is not None and len(meta["outputs"]) != 1:
            self._single = False

    def method_names(self) -> List[str]:
        return self._m.method_names()

    def meta(self, method: str = "forward") -> dict:
        return self._m.meta(method)

    def run(self, method: str, *inputs: torch.Tensor) -> List[torch.Tensor]:
        arrays = [x.detach().contiguous().cpu().numpy() if isinstance(x, torch.Tensor) else np.ascontiguousarray(x)
                  for x in inputs]
        return [torch.from_numpy(o) for o in self._m.run(method, arrays)]

    def forward(self, *inputs: torch.Tensor) -> Union[torch.Tensor, List[torch.Tensor]]:
        """Runs `forward`; returns one tensor for single-output models, else the flat list."""
        outs = self.run("forward", *inputs)
        return outs[0] if self._single and len(outs) == 1 else outs

    __call__ = forward

    def instruction_names(self, method: str = "forward") -> List[str]:
        return self._m.instruction_names(method)

    def planned_bytes(self, method: str = "forward") -> int:
        return self._m.planned_bytes(method)


def available_backends() -> List[str]:
    """Backends the exporter knows that this runtime build also has and can use here."""
    from . import _C
    from .backends import _REGISTRY, _load_builtin
    _load_builtin()
    return [name for name in sorted(_REGISTRY) if _C.backend_available(name)]


def load(path: str, mmap: bool = True) -> LoadedProgram:
    """Loads and verifies a program file; raises RuntimeError with the runtime's message."""
    return LoadedProgram(path, mmap)
