"""Bad input never crashes: corrupt/truncated files, invalid UTF-8, unknown ids; streaming
decoder; CLI; and the libFuzzer target when it has been built."""
import os
import random
import subprocess
from pathlib import Path

import pytest

from tok_support import GPT2_ENCODER, HF, TIKTOKEN, cli_path, need_file
import corpus as corpus_mod
import seeds


def _all_real_files():
    return [("cl100k", TIKTOKEN["cl100k_base"]), ("o200k", TIKTOKEN["o200k_base"]),
            ("llama3", HF["llama3"]), ("qwen3", HF["qwen3"]), ("llama2", HF["llama2"]),
            ("gemma3", HF["gemma3"]), ("gpt2", GPT2_ENCODER)]


def test_missing_file_is_oserror(ember_tok, tmp_path):
    with pytest.raises(OSError, match="cannot read"):
        ember_tok.load(tmp_path / "nope.json")


@pytest.mark.parametrize("blob", [b"", b"\x00\x01\x02garbage", b"{", b'{"model": 3}', b"[1,2,3]",
                                  b"QUJD 12\nnot base64!! 3\n", b"\x0a\x05\x0a\x03abc\x12",
                                  b'{"version": "1.0", "model": {"type": "WordPiece", "vocab": {}}}',
                                  b'{"version":"1.0","model":{"type":"BPE","vocab":{"a":99999999999},"merges":[]}}'])
def test_garbage_is_a_clear_error(ember_tok, tmp_path, blob):
    p = tmp_path / "bad.bin"
    p.write_bytes(blob)
    with pytest.raises(ValueError) as e:
        ember_tok.load(p)
    assert any(k in str(e.value) for k in ("parse_error", "unsupported", "invalid_argument"))


@pytest.mark.parametrize("name,path", _all_real_files()[:5])
def test_truncated_real_files(ember_tok, tmp_path, name, path):
    data = need_file(path).read_bytes()
    rng = random.Random(name)
    cuts = [1, 7, len(data) // 3, len(data) // 2, len(data) - 2] + [rng.randrange(len(data)) for _ in range(3)]
    for cut in cuts:
        p = tmp_path / path.name  # keep the name: it tells the tiktoken encoding
        p.write_bytes(data[:cut])
        try:
            tok = ember_tok.load(p)
        except ValueError as e:
            assert str(e)  # a message, not a crash
            continue
        # A tiktoken file cut at a line boundary is a smaller valid file; it must still work.
        assert tok.decode(tok.encode("hello world")) == "hello world"


@pytest.mark.parametrize("name,path", _all_real_files())
def test_unknown_ids_and_invalid_utf8(ember_tok, name, path):
    tok = ember_tok.load(need_file(path))
    for bad in (-1, tok.vocab_size, 2**31 - 1):
        with pytest.raises(ValueError, match="unknown token id"):
            tok.decode([bad])
        with pytest.raises(ValueError):
            tok.stream_decoder().step(bad)
    for b in corpus_mod.INVALID:
        assert tok.encode(b) == tok.encode(corpus_mod.repaired(b))
        assert tok.decode(tok.encode(b)) in (corpus_mod.repaired(b), corpus_mod.repaired(b).strip())


@pytest.mark.parametrize("name,path", _all_real_files())
def test_stream_decoder_emits_complete_utf8(ember_tok, corpus_items, name, path):
    tok = ember_tok.load(need_file(path))
    n = 0
    for _, t in corpus_items:
        ids = tok.encode(t)
        sd = tok.stream_decoder()
        pieces = [sd.step(i) for i in ids]
        pieces.append(sd.flush())
        full = tok.decode(ids)
        assert "".join(pieces) == full
        # No replacement character appears unless the full decode has one at that point.
        if "\ufffd" not in full:
            assert all("\ufffd" not in p for p in pieces)
        n += len(ids)
    print(f"\n[{name}] stream-decoded {len(corpus_items)} texts, {n} tokens")


def test_tiny_seed_files_against_sentencepiece(ember_tok, tmp_path):
    spm = pytest.importorskip("sentencepiece", reason="python3-sentencepiece not installed")
    blob = seeds.tiny_sentencepiece()
    sp = spm.SentencePieceProcessor(model_proto=blob)
    p = tmp_path / "tiny.model"
    p.write_bytes(blob)
    tok = ember_tok.load(p)
    for text in ["ab", "ab ab", "abba", "a b", "ba c"]:
        assert tok.encode(text) == sp.encode(text), text
        assert tok.decode(sp.encode(text)) == sp.decode(sp.encode(text))


def test_tiny_seed_files_load(ember_tok, tmp_path):
    for name in ("hf.json", "tiktoken"):
        blob = seeds.all_seeds()[name]
        p = tmp_path / name
        p.write_bytes(blob)
        tok = ember_tok.load(p, "r50k_base")
        assert tok.decode(tok.encode("hello")) == "hello"


def _cli(args, stdin: bytes):
    exe = cli_path()
    if not exe.exists():
        pytest.skip(f"CLI not built: {exe} (set EMBER_BUILD_DIR)")
    return subprocess.run([str(exe)] + args, input=stdin, capture_output=True, timeout=120)


@pytest.mark.parametrize("name,path", [_all_real_files()[0], _all_real_files()[4]])
def test_cli_encode_decode(ember_tok, corpus_items, name, path):
    need_file(path)
    tok = ember_tok.load(path)
    text = "\n".join(corpus_mod.repaired(t) for _, t in corpus_items[:80]).encode()
    r = _cli(["--tokenizer", str(path), "encode"], text)
    assert r.returncode == 0, r.stderr
    ids = [int(x) for x in r.stdout.split()]
    assert ids == tok.encode(text)
    r = _cli(["--tokenizer", str(path), "decode"], r.stdout)
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == tok.decode(ids)
    r = _cli(["--tokenizer", str(path), "decode"], b"1 2 999999999")
    assert r.returncode == 1 and b"unknown token id" in r.stderr


def test_cli_bad_file(tmp_path):
    p = tmp_path / "x.json"
    p.write_bytes(b'{"model": ')
    r = _cli(["--tokenizer", str(p), "encode"], b"hi")
    assert r.returncode == 1 and b"parse_error" in r.stderr
    r = _cli(["encode"], b"hi")
    assert r.returncode == 2 and b"usage" in r.stderr


def test_fuzz_target(tmp_path):
    d = os.environ.get("EMBER_FUZZ_BUILD_DIR")
    exe = Path(d) / "bin" / "fuzz_tokenizer_load" if d else None
    if exe is None or not exe.exists():
        pytest.skip("fuzzer not built: configure extension/tokenizers with clang and "
                    "-DEMBER_BUILD_FUZZERS=ON, then set EMBER_FUZZ_BUILD_DIR")
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for name, blob in seeds.all_seeds().items():
        for hint in range(8):
            (corpus_dir / f"{name}.{hint}").write_bytes(bytes([hint]) + blob + b"\x00hello <|end|> ab")
    r = subprocess.run([str(exe), "-max_total_time=20", "-rss_limit_mb=4096", str(corpus_dir)],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path)
    print(r.stderr[-1500:])
    assert r.returncode == 0, r.stderr[-3000:]
