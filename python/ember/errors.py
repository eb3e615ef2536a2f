"""Exceptions raised by the export side."""


class ExportError(RuntimeError):
    """A model cannot be exported; the message names the cause and where in the model it is."""


class MissingKernelsError(ExportError):
    """The runtime has no kernel for some operators the model uses.

    Attributes:
        missing: operator name -> sorted list of module paths where it occurs.
    """

    def __init__(self, missing: dict):
        self.missing = missing
        lines = [f"{len(missing)} operator(s) have no Ember runtime kernel:"]
        for op, paths in sorted(missing.items()):
            where = ", ".join(paths[:5]) + (f", ... ({len(paths)} places)" if len(paths) > 5 else "")
            lines.append(f"  {op}  used at: {where}")
        lines.append("Add a kernel under runtime/kernels/portable/ or change the model to avoid the op.")
        super().__init__("\n".join(lines))
