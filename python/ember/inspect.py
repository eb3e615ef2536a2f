"""Reads a program file without the runtime: methods, I/O, op histogram, memory."""
from __future__ import annotations

import struct
from collections import Counter
from typing import Dict

from .ir import DTYPE_NAMES
from .serialize import HEADER_SIZE, MAGIC
from ember_schema import InstructionKind, Program, Tensor, TensorStorage, ValueKind  # noqa: E402


def _describe_blob(backend: str, blob) -> Dict:
    """What the exporter-side backend can say about its blob (e.g. its own arena bytes)."""
    from .backends import get_backend
    from .errors import ExportError
    if blob is None:
        return {}
    try:
        return get_backend(backend).describe_blob(bytes(blob))
    except ExportError:  # a backend this installation does not know
        return {}


def inspect_program(path: str) -> Dict:
    """Returns a dict describing the program at `path` (see `./ember inspect`)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < HEADER_SIZE or data[:4] != MAGIC:
        raise ValueError(f"{path}: not an Ember program")
    _, version, _, fb_off, fb_size, seg_base, seg_size = struct.unpack_from("<4sIQQQQQ", data)
    prog = Program.Program.GetRootAs(data[fb_off:fb_off + fb_size], 0)
    info = {"path": path, "file_bytes": len(data), "format_version": version, "methods": [],
            "weight_bytes": sum(prog.Constants(i).Size() for i in range(prog.ConstantsLength())),
            "segments": [prog.Segments(i).Size() for i in range(prog.SegmentsLength())],
            "metadata": {prog.Metadata(i).Key().decode(): prog.Metadata(i).Value().decode()
                         for i in range(prog.MetadataLength())}}
    for mi in range(prog.MethodsLength()):
        m = prog.Methods(mi)

        def tensor_desc(idx):
            v = m.Values(idx)
            t = Tensor.Tensor()
            t.Init(v.Kind().Bytes, v.Kind().Pos)
            return {"dtype": DTYPE_NAMES.get(t.Dtype(), "?"), "shape": [t.Sizes(j) for j in range(t.SizesLength())]}

        ops = [f"{m.Operators(i).Name().decode()}.{m.Operators(i).Overload().decode()}" for i in range(m.OperatorsLength())]
        hist: Counter = Counter()
        for i in range(m.InstructionsLength()):
            ins = m.Instructions(i)
            if ins.KindType() == InstructionKind.InstructionKind.KernelCall:
                from ember_schema import KernelCall
                k = KernelCall.KernelCall()
                k.Init(ins.Kind().Bytes, ins.Kind().Pos)
                hist[ops[k.OpIndex()]] += 1
            else:
                hist["delegate"] += 1
        delegates = []
        for di in range(m.DelegatesLength()):
            d = m.Delegates(di)
            nodes = [d.Nodes(j).decode() for j in range(d.NodesLength())]
            seg_index = d.SegmentIndex()
            blob = None
            if 0 <= seg_index < prog.SegmentsLength():
                seg = prog.Segments(seg_index)
                blob = data[seg_base + seg.Offset():seg_base + seg.Offset() + seg.Size()]
            backend = d.Backend().decode()
            delegates.append({"index": di, "backend": backend, "segment": seg_index,
                              "blob_bytes": len(blob) if blob is not None else None,
                              "nodes": nodes, **_describe_blob(backend, blob)})
        info["methods"].append({
            "delegates": delegates,
            "name": m.Name().decode(),
            "inputs": [tensor_desc(m.Inputs(i)) for i in range(m.InputsLength())],
            "outputs": [tensor_desc(m.Outputs(i)) for i in range(m.OutputsLength())],
            "num_instructions": m.InstructionsLength(),
            "num_values": m.ValuesLength(),
            "op_histogram": dict(hist.most_common()),
            "arena_bytes": [m.ArenaSizes(i) for i in range(m.ArenaSizesLength())],
            "scratch_bytes": m.ScratchSize(),
        })
    return info
