"""Backend delegation, export side.

A backend claims kernel calls it supports; each maximal run of consecutive claimed calls
becomes one delegate call whose arguments are the run's external inputs followed by the
tensors it produces that are used later. The backend turns the run into an opaque blob
stored in its own aligned segment of the program file; the runtime backend of the same
name executes it (runtime/backend/backend.h).
"""
from __future__ import annotations

from typing import Dict, List, Sequence, Tuple

from ..errors import ExportError
from ..ir import KernelCall, LoweredMethod, TensorListValue, TensorValue


class Backend:
    """Subclass and register with `register_backend` to add a backend."""

    name: str = ""
    # True when `preprocess` copies the constant tensors its calls use into the blob: the
    # partitioner then leaves them out of the delegate call, so the program holds one copy.
    embeds_constants: bool = False

    def begin_partition(self, method: LoweredMethod) -> None:
        """Called once before `supports` is asked about the calls of `method`."""

    def supports(self, call: KernelCall) -> bool:
        raise NotImplementedError

    def preprocess(self, calls: List[KernelCall], inputs: List[TensorValue], outputs: List[TensorValue]) -> bytes:
        """Compiles the subgraph into a blob for the runtime backend."""
        raise NotImplementedError

    def describe_blob(self, blob: bytes) -> Dict[str, int]:
        """Facts about a blob for `ember inspect`, e.g. {"arena_bytes": ...}: the activation
        memory the runtime backend needs for it."""
        return {}

    def scratch_bytes(self, blob: bytes) -> int:
        """Bytes of the method's planned scratch the runtime backend can run this blob in
        (instead of allocating at load). The method's scratch is sized for the largest
        delegate; delegates run one at a time, so they all share it."""
        return 0


_REGISTRY: Dict[str, Backend] = {}


def register_backend(backend: Backend) -> None:
    _REGISTRY[backend.name] = backend


def get_backend(name: str) -> Backend:
    _load_builtin()
    if name not in _REGISTRY:
        raise ExportError(f"unknown backend '{name}'; available: {sorted(_REGISTRY) or 'none'}")
    return _REGISTRY[name]


def _load_builtin() -> None:
    import importlib
    import pkgutil

    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")


def _tensors(values) -> List[TensorValue]:
    out = []
    for v in values:
        if isinstance(v, TensorValue):
            out.append(v)
        elif isinstance(v, TensorListValue):
            out.extend(t for t in v.items if t is not None)
    return out


def partition(method: LoweredMethod, backend_names: Sequence[str]) -> Tuple[LoweredMethod, List[Tuple[str, bytes]],
                                                                              List[Tuple[str, List[KernelCall]]]]:
    """Replaces runs of supported calls by delegate calls.

    Returns the new method, the (backend name, blob) of each delegate in order, and for
    `inspect`-style reporting the calls each delegate took over."""
    backends = [get_backend(n) for n in backend_names]
    for b in backends:
        b.begin_partition(method)
    calls = method.calls
    new_calls: List[KernelCall] = []
    blobs: List[Tuple[str, bytes]] = []
    taken: List[Tuple[str, List[KernelCall]]] = []
    method_outputs = set(id(t) for t in method.outputs)
    i = 0
    while i < len(calls):
        owner = next((b for b in backends if b.supports(calls[i])), None)
        if owner is None:
            new_calls.append(calls[i])
            i += 1
            continue
        j = i
        while j < len(calls) and owner.supports(calls[j]):
            j += 1
        run = calls[i:j]
        produced = {id(t) for c in run for t in _tensors(c.outputs)}
        later = {id(t) for c in calls[j:] for t in _tensors(c.inputs)} | method_outputs
        ins: List[TensorValue] = []
        for c in run:
            for t in _tensors(c.inputs):
                if id(t) not in produced and all(t is not x for x in ins):
                    ins.append(t)
        outs = [t for c in run for t in _tensors(c.outputs) if id(t) in later]
        # Tensors internal to the run are the backend's business; aliases into them would break.
        for t in outs:
            t.alias_of = None
        if owner.embeds_constants:
            ins = [t for t in ins if t.storage != "constant"]
        blob = owner.preprocess(run, ins, outs)
        index = len(blobs)
        blobs.append((owner.name, blob))
        taken.append((owner.name, run))
        new_calls.append(KernelCall(f"delegate:{owner.name}", str(index), list(ins) + list(outs), len(outs),
                                    run[0].module_path))
        i = j
    # A view outside the run may alias a tensor the run now owns privately: cut such aliases.
    internal = {id(t) for _, run in taken for c in run for t in _tensors(c.outputs)}
    for c in new_calls:
        for t in _tensors(c.args):
            if t.alias_of is not None and id(t.root()) in internal and not any(
                    t.root() is o for d in new_calls if d.op_name.startswith("delegate:") for o in d.outputs):
                t.alias_of = None
    return LoweredMethod(method.name, method.inputs, method.outputs, new_calls), blobs, taken
