"""The lowered program: kernel calls over a value table, ready to plan and serialize."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple, Union

import torch

# torch dtype -> schema ScalarType code (schema/program.fbs).
DTYPE_CODES = {
    torch.float32: 0, torch.int64: 1, torch.bool: 2, torch.int32: 3, torch.float64: 4,
    torch.int8: 5, torch.uint8: 6, torch.float16: 7, torch.bfloat16: 8, torch.int16: 9,
}
CODE_DTYPES = {v: k for k, v in DTYPE_CODES.items()}
DTYPE_NAMES = {0: "float32", 1: "int64", 2: "bool", 3: "int32", 4: "float64", 5: "int8", 6: "uint8",
               7: "float16", 8: "bfloat16", 9: "int16"}


def element_size(dtype: torch.dtype) -> int:
    return torch.empty((), dtype=dtype).element_size()


@dataclass(eq=False)
class TensorValue:
    shape: Tuple[int, ...]
    dtype: torch.dtype
    storage: str  # "input" | "constant" | "arena"
    constant: Optional[torch.Tensor] = None
    alias_of: Optional["TensorValue"] = None  # shares the planned memory of this tensor
    arena_id: int = 0
    offset: int = 0
    index: int = -1  # position in the value table, set by the serializer

    @property
    def nbytes(self) -> int:
        n = element_size(self.dtype)
        for s in self.shape:
            n *= s
        return n

    def root(self) -> "TensorValue":
        t = self
        while t.alias_of is not None:
            t = t.alias_of
        return t


@dataclass(eq=False)
class TensorListValue:
    items: List[Optional[TensorValue]]


@dataclass(eq=False)
class ScalarValue:
    kind: str  # "none" | "int" | "double" | "bool" | "int_list" | "double_list" | "bool_list" | "string"
    value: object = None


Value = Union[TensorValue, TensorListValue, ScalarValue]


@dataclass(eq=False)
class KernelCall:
    op_name: str  # "aten::convolution"
    overload: str  # "default"
    args: List[Value]  # functional arguments, then outputs
    num_outputs: int  # how many trailing args are outputs
    module_path: str = "<root>"

    @property
    def key(self) -> str:
        return f"{self.op_name}.{self.overload}"

    @property
    def outputs(self) -> List[Value]:
        return self.args[len(self.args) - self.num_outputs:]

    @property
    def inputs(self) -> List[Value]:
        return self.args[: len(self.args) - self.num_outputs]


@dataclass(eq=False)
class LoweredMethod:
    name: str
    inputs: List[TensorValue]
    outputs: List[TensorValue]
    calls: List[KernelCall]
    arena_sizes: List[int] = field(default_factory=list)
    scratch_size: int = 0
