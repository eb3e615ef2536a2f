"""Registers the tokenizer fixtures; the shared helpers live in tok_support (a unique module
name, so test modules never pick up another directory's conftest by accident)."""
from tok_support import *  # noqa: F401,F403  (fixtures must be visible to pytest here)
