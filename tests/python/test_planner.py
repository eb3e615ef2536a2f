"""Memory planner: overlapping lifetimes never share bytes; reuse beats the no-reuse sum."""
import random

import pytest
import torch
import torchvision

import ember
from ember.ir import TensorListValue, TensorValue
from ember.planner import Buffer, lifetimes, plan_offsets, unshared_bytes


def _check_no_overlap(buffers):
    for i, a in enumerate(buffers):
        for b in buffers[i + 1:]:
            if a.overlaps_in_time(b) and a.size and b.size:
                assert a.offset + a.size <= b.offset or b.offset + b.size <= a.offset, (a, b)


@pytest.mark.parametrize("seed", range(20))
def test_random_lifetimes_never_overlap_in_memory(seed):
    rng = random.Random(seed)
    bufs = []
    for _ in range(rng.randint(1, 200)):
        start = rng.randint(0, 100)
        bufs.append(Buffer(rng.choice([0, 1, 63, 64, 100, 4096, rng.randint(1, 1 << 20)]), start,
                           start + rng.randint(0, 30)))
    total = plan_offsets(bufs)
    _check_no_overlap(bufs)
    assert all(b.offset % 64 == 0 for b in bufs)
    assert total >= max(b.offset + b.size for b in bufs)
    assert total <= sum((b.size + 63) // 64 * 64 or 64 for b in bufs)


def test_disjoint_lifetimes_share_memory():
    bufs = [Buffer(1000, 0, 1), Buffer(1000, 2, 3), Buffer(1000, 4, 5)]
    assert plan_offsets(bufs) == 1024
    assert {b.offset for b in bufs} == {0}


def _arena_tensors(method):
    seen = {}
    for call in method.calls:
        for a in call.args:
            items = a.items if isinstance(a, TensorListValue) else [a]
            for t in items:
                if isinstance(t, TensorValue) and t.storage == "arena":
                    seen[id(t)] = t
    return list(seen.values())


ZOO = [
    ("mobilenet_v2", lambda: torchvision.models.mobilenet_v2(), (1, 3, 96, 96)),
    ("resnet18", lambda: torchvision.models.resnet18(), (1, 3, 64, 64)),
    ("mobilenet_v3_small", lambda: torchvision.models.mobilenet_v3_small(), (1, 3, 96, 96)),
    ("encoder_layer", lambda: torch.nn.TransformerEncoderLayer(32, 4, 64, batch_first=True), (2, 10, 32)),
]


@pytest.mark.parametrize("name,factory,shape", ZOO, ids=[z[0] for z in ZOO])
def test_zoo_plan_is_valid_and_beats_no_reuse(name, factory, shape):
    torch.manual_seed(0)
    program = ember.export(factory().eval(), (torch.randn(*shape),))
    method = program.method
    spans = lifetimes(method)
    roots = list(spans)
    # Every pair of roots alive at the same time occupies disjoint bytes of the arena.
    for i, a in enumerate(roots):
        for b in roots[i + 1:]:
            (s0, e0), (s1, e1) = spans[a], spans[b]
            if s0 <= e1 and s1 <= e0 and a.nbytes and b.nbytes:
                assert a.offset + a.nbytes <= b.offset or b.offset + b.nbytes <= a.offset
    for t in _arena_tensors(method):
        assert t.offset == t.root().offset
        assert t.offset + t.nbytes <= program.planned_arena_bytes
    assert program.planned_arena_bytes < unshared_bytes(method)
    print(f"{name}: planned {program.planned_arena_bytes} B vs no-reuse {unshared_bytes(method)} B "
          f"({unshared_bytes(method) / program.planned_arena_bytes:.1f}x)")
