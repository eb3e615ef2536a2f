"""ember.export: nn.Module + example inputs -> ExportedProgram (capture, lower, plan)."""
from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from typing import Dict, List, Optional, Sequence

import torch
from torch.utils import _pytree as pytree

from . import passes
from .capture import capture
from .errors import ExportError, MissingKernelsError
from .ir import LoweredMethod
from .lower import lower
from .planner import plan_memory, unshared_bytes
from .serialize import ProgramWriter

FORMAT_VERSION = 1


def registered_kernels() -> set:
    """Names of the kernels linked into the runtime (the registry of the built extension)."""
    from . import _C  # built by CMake

    return set(_C.registered_kernels())


def optimize(gm: torch.fx.GraphModule, example_inputs: Sequence[torch.Tensor]) -> torch.fx.GraphModule:
    """The lowering pipeline on the captured graph, in order."""
    gm = passes.canonicalize_aliases(gm)
    gm = passes.functionalize_inplace(gm)
    gm = passes.eliminate_dead_code(gm)
    gm = passes.fold_batch_norm(gm)
    gm = passes.fold_constants(gm)
    gm = passes.eliminate_dead_code(gm)
    gm = passes.propagate_shapes(gm, example_inputs)
    gm = passes.remove_noop_views(gm)
    gm = passes.eliminate_dead_code(gm)
    return gm


def check_kernels(method: LoweredMethod, available: set) -> None:
    """Fails export (not the device) when an op has no runtime kernel."""
    missing: Dict[str, List[str]] = defaultdict(list)
    for call in method.calls:
        if call.op_name.startswith("delegate:"):
            continue
        if call.key not in available and call.module_path not in missing[call.key]:
            missing[call.key].append(call.module_path)
    missing = {k: v for k, v in missing.items() if v}
    if missing:
        raise MissingKernelsError(missing)


class ExportedProgram:
    """An exported, memory-planned program, ready to save."""

    def __init__(self, method: LoweredMethod, output_is_single: bool, metadata: Dict[str, str],
                 delegate_blobs: Optional[List] = None, delegated: Optional[List] = None):
        self.method = method
        self.output_is_single = output_is_single
        self.metadata = metadata
        self.delegate_blobs = delegate_blobs or []  # [(backend name, blob bytes)] by delegate index
        self.delegated = delegated or []  # [(backend name, [KernelCall])]: what each delegate took

    @property
    def planned_arena_bytes(self) -> int:
        return sum(self.method.arena_sizes)

    @property
    def unshared_activation_bytes(self) -> int:
        return unshared_bytes(self.method)

    def op_histogram(self) -> Counter:
        return Counter(c.key for c in self.method.calls)

    def to_bytes(self) -> bytes:
        w = ProgramWriter()
        w.metadata.update(self.metadata)
        w.metadata["output_is_single"] = "1" if self.output_is_single else "0"
        # Which calls each delegate took, for `ember inspect` (the runtime ignores it).
        taken = [[f"{c.key} @ {c.module_path}" for c in calls] for _, calls in self.delegated]
        delegates = [(name, w.add_segment(blob), taken[i] if i < len(taken) else [])
                     for i, (name, blob) in enumerate(self.delegate_blobs)]
        w.add_method(self.method, delegates)
        return w.to_bytes()

    def save(self, path: str) -> None:
        data = self.to_bytes()
        with open(path, "wb") as f:
            f.write(data)


def _align_up(n: int, a: int) -> int:
    return (n + a - 1) // a * a


def export(
    model: torch.nn.Module,
    example_inputs: Sequence[torch.Tensor],
    backends: Optional[Sequence[str]] = None,
    verbose: bool = False,
) -> ExportedProgram:
    """Exports `model` for the Ember runtime.

    Args:
        model: an nn.Module in eval mode.
        example_inputs: a tuple of tensors; their shapes and dtypes become the program's.
        backends: backend names (e.g. ["cpu"]) that claim the subgraphs they support; the
            rest runs on portable kernels.
        verbose: print progress of each stage to stderr.
    """
    if isinstance(example_inputs, torch.Tensor):
        example_inputs = (example_inputs,)
    example_inputs = tuple(example_inputs)

    def log(msg, t0=[time.time()]):
        if verbose:
            print(f"[ember export {time.time() - t0[0]:6.1f}s] {msg}", file=sys.stderr, flush=True)

    log("capturing graph")
    gm, out_spec = capture(model, example_inputs)
    log(f"captured {len(gm.graph.nodes)} nodes; optimizing")
    gm = passes.propagate_shapes(gm, example_inputs)
    gm = optimize(gm, example_inputs)
    log(f"optimized to {len(gm.graph.nodes)} nodes; lowering")
    method = lower(gm, "forward")
    blobs, delegated = [], []
    if backends:
        from .backends import partition

        method, blobs, delegated = partition(method, list(backends))
        log(f"delegated {sum(len(r) for _, r in delegated)} calls in {len(blobs)} subgraph(s) to {list(backends)}")
    check_kernels(method, registered_kernels())
    plan_memory(method)
    if backends:
        from .backends import get_backend

        # Delegates' internal activations run in the method's scratch (one at a time).
        need = max((get_backend(name).scratch_bytes(blob) for name, blob in blobs), default=0)
        method.scratch_size = max(method.scratch_size, _align_up(need, 64))
    log(f"planned {method.arena_sizes[0]} arena bytes for {len(method.calls)} kernel calls"
        + (f", {method.scratch_size} scratch bytes" if method.scratch_size else ""))
    single = isinstance(out_spec, pytree.LeafSpec)
    return ExportedProgram(method, single, {"ember_format": str(FORMAT_VERSION), "producer": "ember.export",
                                            "torch_version": torch.__version__}, blobs, delegated)
