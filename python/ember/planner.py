"""Memory planning: assigns every activation tensor an offset in one arena, reusing memory
between tensors whose lifetimes do not overlap (greedy by size, lowest fitting offset)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

from .ir import LoweredMethod, TensorListValue, TensorValue

ALIGNMENT = 64


def _align(n: int) -> int:
    return (n + ALIGNMENT - 1) // ALIGNMENT * ALIGNMENT


@dataclass
class Buffer:
    """One planned allocation: live over instructions [start, end] inclusive."""

    size: int
    start: int
    end: int
    offset: int = -1

    def overlaps_in_time(self, other: "Buffer") -> bool:
        return self.start <= other.end and other.start <= self.end


def plan_offsets(buffers: Sequence[Buffer]) -> int:
    """Sets each buffer's offset so that buffers live at the same time never share bytes.
    Returns the arena size. Pure apart from writing .offset."""
    order = sorted(range(len(buffers)), key=lambda i: (-buffers[i].size, buffers[i].start))
    placed: List[Buffer] = []
    total = 0
    for i in order:
        b = buffers[i]
        size = _align(max(b.size, 1))
        busy = sorted((p.offset, p.offset + _align(max(p.size, 1))) for p in placed if p.overlaps_in_time(b))
        offset = 0
        for lo, hi in busy:
            if offset + size <= lo:
                break
            offset = max(offset, hi)
        b.offset = offset
        placed.append(b)
        total = max(total, offset + size)
    return total


def _tensors(values) -> List[TensorValue]:
    out = []
    for v in values:
        if isinstance(v, TensorValue):
            out.append(v)
        elif isinstance(v, TensorListValue):
            out.extend(t for t in v.items if t is not None)
    return out


def lifetimes(method: LoweredMethod) -> Dict[TensorValue, Tuple[int, int]]:
    """Maps each arena root tensor to its [first, last] instruction index; graph outputs live
    to the end. Views share their root's lifetime."""
    live: Dict[TensorValue, List[int]] = {}
    end = len(method.calls)
    for i, call in enumerate(method.calls):
        for t in _tensors(call.args):
            r = t.root()
            if r.storage != "arena":
                continue
            span = live.setdefault(r, [i, i])
            span[0] = min(span[0], i)
            span[1] = max(span[1], i)
    for t in method.outputs:
        r = t.root()
        if r.storage == "arena" and r in live:
            live[r][1] = end
    return {t: (s[0], s[1]) for t, s in live.items()}


def plan_memory(method: LoweredMethod) -> LoweredMethod:
    """Assigns arena offsets to every arena tensor of `method` (views get their root's offset)."""
    spans = lifetimes(method)
    roots = list(spans)
    buffers = [Buffer(r.nbytes, *spans[r]) for r in roots]
    size = plan_offsets(buffers)
    for r, b in zip(roots, buffers):
        r.arena_id, r.offset = 0, b.offset
    for call in method.calls:
        for t in _tensors(call.args):
            if t.storage == "arena":
                t.arena_id, t.offset = 0, t.root().offset
    method.arena_sizes = [size]
    return method


def unshared_bytes(method: LoweredMethod) -> int:
    """Bytes the activations would take with no reuse (the baseline the plan must beat)."""
    return sum(_align(max(r.nbytes, 1)) for r in lifetimes(method))
