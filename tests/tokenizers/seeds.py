"""Small valid tokenizer files (seeds for the fuzzer and inputs for the robustness tests)."""
import base64
import json


def _byte_level_chars():
    bs = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


def tiny_tokenizer_json() -> bytes:
    m = _byte_level_chars()
    vocab = {m[b]: b for b in range(256)}
    merges = []
    for a, b in [("h", "e"), ("l", "l"), ("he", "ll"), ("hell", "o"), ("Ġ", "w")]:
        vocab.setdefault(a + b, len(vocab))
        merges.append(f"{a} {b}")
    return json.dumps({
        "version": "1.0", "added_tokens": [{"id": 300, "content": "<|end|>", "special": True}],
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "use_regex": True},
        "decoder": {"type": "ByteLevel"},
        "model": {"type": "BPE", "vocab": vocab, "merges": merges, "ignore_merges": False},
    }, ensure_ascii=False).encode()


def tiny_tiktoken() -> bytes:
    toks = [bytes([b]) for b in range(256)] + [b"he", b"ll", b"hell", b"hello", b" w"]
    return b"".join(base64.b64encode(t) + b" %d\n" % i for i, t in enumerate(toks))


def tiny_sentencepiece() -> bytes:
    """A hand-assembled SentencePiece ModelProto (unigram) using the protobuf wire format."""
    def varint(v):
        out = b""
        while True:
            b = v & 0x7F
            v >>= 7
            out += bytes([b | (0x80 if v else 0)])
            if not v:
                return out

    def field(num, wire, payload):
        key = varint((num << 3) | wire)
        if wire == 2:
            return key + varint(len(payload)) + payload
        return key + payload

    import struct
    pieces = [("<unk>", 0.0, 2), ("<s>", 0.0, 3), ("</s>", 0.0, 3), ("\u2581", -1.0, 1),
              ("a", -2.0, 1), ("b", -2.0, 1), ("\u2581ab", -1.5, 1), ("ab", -2.5, 1)]
    body = b""
    for p, score, typ in pieces:
        sp = field(1, 2, p.encode()) + field(2, 5, struct.pack("<f", score)) + field(3, 0, varint(typ))
        body += field(1, 2, sp)
    trainer = field(3, 0, varint(1))
    normalizer = field(1, 2, b"identity") + field(3, 0, varint(1))
    return body + field(2, 2, trainer) + field(3, 2, normalizer)


def all_seeds():
    return {"hf.json": tiny_tokenizer_json(), "tiktoken": tiny_tiktoken(),
            "sp.model": tiny_sentencepiece()}
