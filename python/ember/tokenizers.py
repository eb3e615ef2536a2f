"""Ember tokenizers: Python front end of the C++ library in extension/tokenizers.

    from ember import tokenizers
    tok = tokenizers.load("tokenizer.json")      # or a tiktoken / .model / encoder.json file
    ids = tok.encode("Hello world", add_bos=tok.default_add_bos)
    text = tok.decode(ids)
    stream = tok.stream_decoder()
    for i in ids:
        print(stream.step(i), end="")           # only complete UTF-8 is printed
    print(stream.flush())

Errors (unreadable file: OSError; corrupt/unsupported file, unknown id: ValueError) come from
the C++ library's error values.
"""
from __future__ import annotations

try:
    from . import _tokenizers as _impl
except ImportError as e:  # pragma: no cover - depends on the build
    raise ImportError(
        "ember._tokenizers is not built: configure with -DEMBER_BUILD_PYTHON=ON and build the "
        "ember_tokenizers_py target (it is placed in python/ember/)") from e

Tokenizer = _impl.Tokenizer
StreamDecoder = _impl.StreamDecoder


def load(path, encoding: str = "") -> Tokenizer:
    """Loads a tokenizer file; the format is detected from its contents.

    `encoding` names the tiktoken encoding (cl100k_base, o200k_base, p50k_base, r50k_base) when
    neither the file name nor the vocabulary size tells it.
    """
    return _impl.load(str(path), encoding)


def detect_format(data: bytes) -> str:
    return _impl.detect_format(bytes(data))


__all__ = ["load", "detect_format", "Tokenizer", "StreamDecoder"]
