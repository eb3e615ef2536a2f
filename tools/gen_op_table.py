"""Writes docs/ops.md: every operator the runtime has a portable kernel for.

    PYTHONPATH=python /usr/bin/python3 tools/gen_op_table.py
"""
import collections
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))

from ember import _C  # noqa: E402


def main() -> None:
    names = sorted(_C.registered_kernels())
    by_op = collections.OrderedDict()
    for n in names:
        op, overload = n.rsplit(".", 1)
        by_op.setdefault(op, []).append(overload)
    lines = ["# Supported operators", "",
             f"{len(names)} kernels over {len(by_op)} ATen operators, registered by the portable kernel library",
             "(runtime/kernels/portable/op_*.cpp, one op per file). The exporter refuses a model that uses",
             "an operator not listed here and names where in the model it occurs.", "",
             "Regenerate: `PYTHONPATH=python /usr/bin/python3 tools/gen_op_table.py`", "",
             "| operator | overloads |", "|---|---|"]
    for op, overloads in by_op.items():
        lines.append(f"| `{op}` | {', '.join(overloads)} |")
    with open(os.path.join(ROOT, "docs", "ops.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote docs/ops.md: {len(names)} kernels, {len(by_op)} operators")


if __name__ == "__main__":
    main()
