"""Where the C++ programs built from this checkout are: `$EMBER_BUILD_DIR/bin` (default
`<repository>/build/bin`), shared by the command line, the benchmark and the tools."""
from __future__ import annotations

import os

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def binary(name: str) -> str:
    """The path of the built program `name` (e.g. "ember-run"); FileNotFoundError, with how to
    build it, where it is missing."""
    build = os.environ.get("EMBER_BUILD_DIR", os.path.join(REPOSITORY, "build"))
    path = os.path.join(build, "bin", name)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path} not found; build first (bash scripts/build.sh)")
    return path
