"""Ember: export PyTorch models to a verified program file and run them with a small C++ runtime.

    import ember
    program = ember.export(model.eval(), (x,))
    program.save("model.ember")
    y = ember.load("model.ember").forward(x)
"""
from .errors import ExportError, MissingKernelsError
from .export import ExportedProgram, export
from .inspect import inspect_program
from .runtime import LoadedProgram, available_backends, load

__all__ = ["export", "load", "inspect_program", "ExportedProgram", "LoadedProgram", "ExportError",
           "MissingKernelsError"]
__version__ = "0.1.0"
