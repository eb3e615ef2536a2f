"""Lowers a captured, optimized FX graph into kernel calls in the out-variant convention:
each call passes the op's functional arguments (defaults materialized from its ATen schema)
followed by preallocated outputs."""
from __future__ import annotations

import operator
from typing import Dict, List

import torch
import torch.fx

from .errors import ExportError
from .ir import DTYPE_CODES, KernelCall, LoweredMethod, ScalarValue, TensorListValue, TensorValue
from .passes.shapes import TensorMeta

# Ops whose output is the input's bytes reinterpreted: the planner lets them share memory.
VIEW_OPS = {"aten::view", "aten::squeeze", "aten::unsqueeze", "aten::flatten", "aten::alias", "aten::_unsafe_view",
            "aten::reshape"}


# Dtypes the file format can describe but no portable kernel computes in yet: refused at
# export rather than failing on the device.
_NO_KERNEL_DTYPES = {torch.float16, torch.bfloat16}


def _scalar(value, type_str: str):
    """Converts a non-tensor argument according to its schema type."""
    base = type_str.rstrip("?")
    if base.startswith("Optional[") and base.endswith("]"):
        base = base[len("Optional["):-1]
    if value is None:
        return ScalarValue("none")
    if isinstance(value, torch.dtype):
        if value not in DTYPE_CODES:
            raise ExportError(f"dtype {value} is not supported by the Ember runtime")
        return ScalarValue("int", DTYPE_CODES[value])
    if isinstance(value, (torch.device, torch.layout, torch.memory_format)):
        return ScalarValue("none")
    if isinstance(value, bool):
        if "[" in base:
            return ScalarValue("bool_list", [value])
        return ScalarValue("bool", value)
    if isinstance(value, int):
        if base.startswith("int[") or base.startswith("SymInt["):
            n = base[base.index("[") + 1: base.index("]")]
            return ScalarValue("int_list", [value] * (int(n) if n else 1))
        return ScalarValue("int", value)
    if isinstance(value, float):
        if base.startswith("float["):
            return ScalarValue("double_list", [value])
        return ScalarValue("double", value)
    if isinstance(value, str):
        return ScalarValue("string", value)
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, bool) for v in value) and value:
            return ScalarValue("bool_list", list(value))
        if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return ScalarValue("int_list", list(value))
        if all(isinstance(v, (int, float)) for v in value):
            return ScalarValue("double_list", [float(v) for v in value])
    raise ExportError(f"unsupported argument {value!r} of schema type {type_str}")


def lower(gm: torch.fx.GraphModule, name: str = "forward") -> LoweredMethod:
    env: Dict[torch.fx.Node, object] = {}
    inputs: List[TensorValue] = []
    calls: List[KernelCall] = []
    outputs: List[TensorValue] = []
    constants: Dict[int, TensorValue] = {}

    def tensor_of(meta: TensorMeta, storage: str) -> TensorValue:
        if meta.dtype not in DTYPE_CODES or meta.dtype in _NO_KERNEL_DTYPES:
            raise ExportError(f"dtype {meta.dtype} is not supported by the Ember runtime's kernels")
        return TensorValue(tuple(meta.shape), meta.dtype, storage)

    def arg_value(a, type_str: str):
        if isinstance(a, torch.fx.Node):
            v = env[a]
            if isinstance(v, list):
                return TensorListValue(v)
            return v
        if isinstance(a, (list, tuple)) and any(isinstance(x, torch.fx.Node) for x in a):
            return TensorListValue([env[x] if x is not None else None for x in a])
        if "Tensor" in type_str and a is None:
            return ScalarValue("none")
        if "Tensor[]" in type_str or "Tensor?[]" in type_str:
            return TensorListValue([])
        return _scalar(a, type_str)

    for node in gm.graph.nodes:
        if node.op == "placeholder":
            tv = tensor_of(node.meta["val"], "input")
            inputs.append(tv)
            env[node] = tv
        elif node.op == "get_attr":
            value = getattr(gm, node.target)
            if value.dtype not in DTYPE_CODES:
                raise ExportError(f"constant {node.target} has dtype {value.dtype}, unsupported by the Ember runtime")
            key = id(value)
            if key not in constants:
                constants[key] = TensorValue(tuple(value.shape), value.dtype, "constant", constant=value.detach().contiguous())
            env[node] = constants[key]
        elif node.op == "call_function":
            if node.target is operator.getitem:
                env[node] = env[node.args[0]][node.args[1]]
                continue
            schema = getattr(node.target, "_schema", None)
            if schema is None:
                raise ExportError(f"cannot lower call to {node.target} (not an ATen operator)")
            args = []
            positional = [sa.name for sa in schema.arguments if not sa.kwarg_only]
            for sarg in schema.arguments:
                i = positional.index(sarg.name) if not sarg.kwarg_only else len(node.args)
                if i < len(node.args):
                    a = node.args[i]
                elif sarg.name in node.kwargs:
                    a = node.kwargs[sarg.name]
                elif sarg.has_default_value():
                    a = sarg.default_value
                else:
                    raise ExportError(f"{schema.name}: missing argument '{sarg.name}'")
                args.append(arg_value(a, str(sarg.type)))
            meta = node.meta["val"]
            ret_types = [str(r.type) for r in schema.returns]
            if len(ret_types) == 1 and ret_types[0] in ("Tensor[]", "List[Tensor]"):
                outs = [tensor_of(m, "arena") for m in meta]
                env[node] = outs
                out_args = [TensorListValue(outs)]
            elif len(ret_types) == 1:
                out = tensor_of(meta, "arena")
                env[node] = out
                out_args = [out]
            else:
                outs = [tensor_of(m, "arena") for m in meta]
                env[node] = outs
                out_args = outs
            key_name = schema.name
            if key_name in VIEW_OPS and isinstance(args[0], TensorValue) and args[0].root().storage == "arena":
                out_args[0].alias_of = args[0]
            calls.append(KernelCall(key_name, schema.overload_name or "default", args + out_args, len(out_args),
                                    node.meta.get("module_path", "<root>")))
        elif node.op == "output":
            for a in node.args[0]:
                v = env[a]
                if not isinstance(v, TensorValue):
                    raise ExportError("model outputs must be tensors")
                outputs.append(v)
    return LoweredMethod(name, inputs, outputs, calls)
