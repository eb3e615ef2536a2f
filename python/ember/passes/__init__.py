"""Graph passes: small functions from an FX GraphModule to an FX GraphModule.

Each pass changes the graph in place and returns it, keeps node metadata valid, and is
tested on its own in tests/python/test_passes.py.
"""
from .canonicalize import canonicalize_aliases
from .constant_fold import fold_constants
from .dce import eliminate_dead_code
from .fold_batch_norm import fold_batch_norm
from .inplace import functionalize_inplace
from .noop_views import remove_noop_views
from .shapes import propagate_shapes

__all__ = [
    "canonicalize_aliases",
    "eliminate_dead_code",
    "fold_batch_norm",
    "fold_constants",
    "functionalize_inplace",
    "propagate_shapes",
    "remove_noop_views",
]
