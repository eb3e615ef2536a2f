"""Loader robustness from the outside: damaged program files through the Python API, the
libFuzzer target over the loader, and the ASan+UBSan build of ember-run on good and bad files.

Every damaged file must give a clean error (RuntimeError in Python, `error:` and exit 1 from
ember-run), never a crash, a hang or a sanitizer report. The sanitizer/fuzzer parts need the
second build made by scripts/test.sh (EMBER_SAN_BUILD_DIR / EMBER_FUZZ_BUILD_DIR, default
build-san/) and are skipped, with the reason, when it is missing.
"""
import json
import os
import random
import re
import struct
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch
import torch.nn as nn

import ember
from ember_summary import record_summary

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAN_BUILD = os.environ.get("EMBER_SAN_BUILD_DIR", os.path.join(ROOT, "build-san"))
FUZZ_BUILD = os.environ.get("EMBER_FUZZ_BUILD_DIR", SAN_BUILD)
SAN_RUN = os.path.join(SAN_BUILD, "bin", "ember-run")
FUZZER = os.path.join(FUZZ_BUILD, "bin", "fuzz_program_load")
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:", "SUMMARY: ")
# Sanitizer failures exit with 86, distinct from ember-run's own error exit (1). Huge
# allocations requested by a corrupt file must fail like they do without ASan (return null).
SAN_ENV = {
    "ASAN_OPTIONS": "allocator_may_return_null=1:detect_leaks=1:exitcode=86:abort_on_error=0",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:exitcode=86",
}


# ---- Models -------------------------------------------------------------------------------

class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(8, 16), nn.Linear(16, 4)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


class SmallConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, stride=2)
        self.fc = nn.Linear(8, 5)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv1(x)))
        x = nn.functional.max_pool2d(x, 2)
        x = torch.relu(self.conv2(x))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


class TinyTransformerLayer(nn.Module):
    """Pre-norm self-attention + GELU MLP, written with ops the portable kernels provide."""

    def __init__(self, d=16, heads=2):
        super().__init__()
        self.heads, self.d = heads, d
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.fc1, self.fc2 = nn.Linear(d, 2 * d), nn.Linear(2 * d, d)

    def forward(self, x):
        b, t, d = x.shape
        h = self.heads
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=-1)
        q, k, v = [z.reshape(b, t, h, d // h).transpose(1, 2) for z in (q, k, v)]
        att = torch.softmax(q @ k.transpose(-2, -1) / (d // h) ** 0.5, dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.fc2(nn.functional.gelu(self.fc1(self.ln2(x))))


def _models():
    torch.manual_seed(0)
    conv = SmallConvNet().eval()
    with torch.no_grad():  # non-trivial batch-norm statistics
        conv.bn.running_mean.uniform_(-0.5, 0.5)
        conv.bn.running_var.uniform_(0.5, 2.0)
    return [
        ("mlp", Mlp().eval(), torch.randn(3, 8)),
        ("convnet", conv, torch.randn(1, 3, 12, 12)),
        ("transformer", TinyTransformerLayer().eval(), torch.randn(2, 5, 16)),
    ]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """name -> (path, input, eager output) for each model."""
    d = tmp_path_factory.mktemp("robust_models")
    out = {}
    for name, model, x in _models():
        path = str(d / f"{name}.ember")
        ember.export(model, (x,)).save(path)
        with torch.no_grad():
            ref = model(x)
        np.save(str(d / f"{name}_input.npy"), x.numpy())
        out[name] = (path, x, ref, str(d / f"{name}_input.npy"))
    return out


def _header(data: bytes):
    magic, version, header_size, fb_off, fb_size, seg_base, seg_size = struct.unpack_from("<4sIQQQQQ", data)
    return dict(magic=magic, version=version, header_size=header_size, fb_off=fb_off, fb_size=fb_size,
                seg_base=seg_base, seg_size=seg_size)


def _truncation_lengths(n):
    return sorted(set(list(range(0, min(n, 512))) + list(range(512, n, 37)) + [n - 1]))


# ---- (a) The Python API ---------------------------------------------------------------------

def test_valid_models_run_through_the_python_api(exported):
    for name, (path, x, ref, _) in exported.items():
        out = ember.load(path).forward(x)
        torch.testing.assert_close(out, ref, rtol=1e-4, atol=1e-4, msg=lambda m: f"{name}: {m}")


def test_empty_missing_and_directory_paths_raise(tmp_path):
    empty = tmp_path / "empty.ember"
    empty.write_bytes(b"")
    for mmap in (True, False):
        with pytest.raises(RuntimeError, match="InvalidProgram|empty|too small"):
            ember.load(str(empty), mmap=mmap)
        with pytest.raises(RuntimeError, match="does_not_exist.ember"):
            ember.load(str(tmp_path / "does_not_exist.ember"), mmap=mmap)
        with pytest.raises(RuntimeError, match="AccessFailed"):
            ember.load(str(tmp_path), mmap=mmap)


def test_every_truncation_raises(exported, tmp_path):
    path = exported["mlp"][0]
    data = open(path, "rb").read()
    p = str(tmp_path / "t.ember")
    lengths = _truncation_lengths(len(data))
    assert len(lengths) > 512
    for i, n in enumerate(lengths):
        with open(p, "wb") as f:
            f.write(data[:n])
        with pytest.raises(RuntimeError, match="InvalidProgram|AccessFailed") as e:
            ember.load(p, mmap=(i % 2 == 0))
        assert len(str(e.value)) > len("InvalidProgram: "), f"length {n}: empty message"


def test_random_and_header_corrupted_files_raise(exported, tmp_path):
    rng = random.Random(7)
    p = str(tmp_path / "r.ember")
    good = open(exported["mlp"][0], "rb").read()
    cases = [bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 4096))) for _ in range(40)]
    cases.append(b"EMBR" + bytes(60))                         # magic only
    cases.append(good[:4] + struct.pack("<I", 99) + good[8:])  # future format version
    cases.append(b"XMBR" + good[4:])                          # bad magic
    h = _header(good)
    cases.append(good[:32] + struct.pack("<Q", h["seg_base"] + 8) + good[40:])  # misaligned segments
    cases.append(good[:24] + struct.pack("<Q", h["fb_size"] + 10**6) + good[32:])  # flatbuffer past EOF
    cases.append(good[:40] + struct.pack("<Q", 2**63) + good[48:])  # segment area past EOF
    fb = bytearray(good)
    fb[h["fb_off"] + 4:h["fb_off"] + 8] = b"NOPE"  # FlatBuffers file identifier
    cases.append(bytes(fb))
    for i, data in enumerate(cases):
        with open(p, "wb") as f:
            f.write(data)
        with pytest.raises(RuntimeError, match="InvalidProgram") as e:
            ember.load(p)
        assert re.search(r"magic|version|flatbuffer|segment|too small|outside|verification", str(e.value)), \
            f"case {i}: unexpected message {e.value}"


_SWEEP = textwrap.dedent(r"""
    import json, os, struct, sys
    import numpy as np
    import ember
    src, work, x_path = sys.argv[1], sys.argv[2], sys.argv[3]
    data = open(src, "rb").read()
    seg_base = struct.unpack_from("<Q", data, 32)[0]
    x = np.load(x_path)
    # region -> outcome -> count; header = the 64-byte file header, program = the flatbuffer
    # (and padding), weights = the constant segment.
    stats = {r: {"rejected_at_load": 0, "rejected_at_run": 0, "ran": 0} for r in ("header", "program", "weights")}
    header_loaded = []
    p = os.path.join(work, "flip.ember")
    for pos in range(len(data)):
        region = "header" if pos < 64 else ("program" if pos < seg_base else "weights")
        for bit in (pos % 8, (pos + 5) % 8):
            d = bytearray(data)
            d[pos] ^= 1 << bit
            with open(p, "wb") as f:
                f.write(d)
            try:
                m = ember.load(p, mmap=(pos % 2 == 0))
            except RuntimeError:
                stats[region]["rejected_at_load"] += 1
                continue
            if region == "header":
                header_loaded.append((pos, bit))
            try:
                m.run("forward", x)
                stats[region]["ran"] += 1
            except (RuntimeError, ValueError, TypeError):
                stats[region]["rejected_at_run"] += 1
    print(json.dumps({"stats": stats, "header_loaded": header_loaded}))
""")


@pytest.mark.parametrize("name", ["mlp", "convnet"])
def test_bit_flip_sweep_never_crashes(exported, tmp_path, name):
    """Every byte, two single-bit flips each, loaded and run in a child process: a crash would
    show as a signal exit, a hang as a timeout. Flips in the header's fields are all rejected;
    flips in the weights cannot be detected (no checksum) and must still run; flips in the
    flatbuffer are rejected or harmless (names, padding, values that stay valid)."""
    path, _, _, x_path = exported[name]
    script = tmp_path / "sweep.py"
    script.write_text(_SWEEP)
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    r = subprocess.run([sys.executable, str(script), path, str(tmp_path), x_path], capture_output=True,
                       text=True, timeout=300, env=env)
    assert r.returncode == 0, f"bit-flip sweep died (exit {r.returncode}):\n{r.stderr[-3000:]}"
    result = json.loads(r.stdout.strip().splitlines()[-1])
    stats = result["stats"]
    total = 2 * os.path.getsize(path)
    assert sum(sum(v.values()) for v in stats.values()) == total
    # The header's 48 bytes of fields (magic .. segment size) are checked exactly; the rest is
    # reserved padding that a reader ignores.
    accepted_fields = [pb for pb in result["header_loaded"] if pb[0] < 48]
    assert accepted_fields == [], f"corrupted header fields accepted (byte, bit): {accepted_fields}"
    assert stats["weights"]["rejected_at_load"] == 0 and stats["weights"]["rejected_at_run"] == 0, stats
    assert stats["weights"]["ran"] > 0
    assert stats["program"]["rejected_at_load"] > 0, stats
    print(f"{name}: {total} flips: {stats}")


# ---- (b) The libFuzzer target ---------------------------------------------------------------

def test_fuzz_program_load_bounded_run(tmp_path):
    if not os.path.exists(FUZZER):
        pytest.skip(f"no fuzzer at {FUZZER}: build it with scripts/test.sh (clang, "
                    "-DEMBER_SANITIZE=ON -DEMBER_BUILD_FUZZERS=ON) or set EMBER_FUZZ_BUILD_DIR")
    seeds = tmp_path / "seeds"
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "fuzz", "make_corpus.py"), str(seeds)],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    nseeds = len(os.listdir(seeds))
    assert nseeds >= 1
    corpus = tmp_path / "corpus"  # new inputs go here; the seeds stay as they are
    corpus.mkdir()
    artifacts = str(tmp_path / "artifacts") + os.sep
    os.makedirs(artifacts)
    r = subprocess.run([FUZZER, str(corpus), str(seeds), "-max_total_time=30", "-timeout=10",
                        "-rss_limit_mb=2048", "-print_final_stats=1", f"-artifact_prefix={artifacts}"],
                       capture_output=True, text=True, timeout=150)
    log = r.stdout + r.stderr
    runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
    assert r.returncode == 0, f"fuzzer found a problem (exit {r.returncode}); artifacts {os.listdir(artifacts)}:" \
                              f"\n{log[-6000:]}"
    assert runs is not None, log[-3000:]
    assert int(runs.group(1)) > nseeds
    assert not os.listdir(artifacts)
    line = f"fuzz_program_load: {runs.group(1)} executions in 30 s from {nseeds} seeds, no findings"
    print(line)
    record_summary(line)


# ---- (c) ember-run built with ASan + UBSan ------------------------------------------------

def _require_san_run():
    if not os.path.exists(SAN_RUN):
        pytest.skip(f"no sanitizer build of ember-run at {SAN_RUN}: build it with scripts/test.sh "
                    "(clang, -DEMBER_SANITIZE=ON) or set EMBER_SAN_BUILD_DIR")


def _san_run(model, x_path, out_dir=None):
    cmd = [SAN_RUN, "--model", model, "--input", x_path, "--iterations", "1", "--warmup", "0"]
    if out_dir:
        cmd += ["--output-dir", out_dir]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=dict(os.environ, **SAN_ENV))
    for mark in SANITIZER_MARKS:
        assert mark not in r.stderr, f"sanitizer report running {model}:\n{r.stderr[-4000:]}"
    assert r.returncode in (0, 1), f"ember-run died (exit {r.returncode}) on {model}:\n{r.stderr[-3000:]}"
    return r


def test_sanitized_ember_run_matches_eager(exported, tmp_path):
    _require_san_run()
    for name, (path, _, ref, x_path) in exported.items():
        out_dir = str(tmp_path / name)
        r = _san_run(path, x_path, out_dir)
        assert r.returncode == 0, f"{name}: {r.stderr}"
        got = torch.from_numpy(np.load(os.path.join(out_dir, "output_0.npy")))
        torch.testing.assert_close(got, ref, rtol=1e-4, atol=1e-4, msg=lambda m: f"{name}: {m}")


def test_sanitized_ember_run_rejects_corrupt_files_cleanly(exported, tmp_path):
    _require_san_run()
    path, _, _, x_path = exported["convnet"]
    data = open(path, "rb").read()
    h = _header(data)
    rng = random.Random(11)
    must_fail = {
        "empty": b"",
        "truncated_header": data[:40],
        "truncated_flatbuffer": data[:h["fb_off"] + h["fb_size"] // 2],
        "truncated_weights": data[:len(data) - 100],
        "random": bytes(rng.getrandbits(8) for _ in range(2048)),
        "bad_magic": b"XMBR" + data[4:],
        "bad_version": data[:4] + struct.pack("<I", 2) + data[8:],
        "segment_outside_file": data[:40] + struct.pack("<Q", 2**40) + data[48:],
        "flatbuffer_garbage": data[:h["fb_off"] + 64] + bytes(rng.getrandbits(8) for _ in range(256)) +
                              data[h["fb_off"] + 320:],
    }
    for label, bad in must_fail.items():
        p = str(tmp_path / f"{label}.ember")
        with open(p, "wb") as f:
            f.write(bad)
        r = _san_run(p, x_path)
        assert r.returncode == 1, f"{label}: expected a clean failure, got exit {r.returncode}"
        assert "error:" in r.stderr, f"{label}: no error message: {r.stderr}"
    # Bit flips through the structure: each either runs or fails cleanly, never a sanitizer report.
    positions = rng.sample(range(16, h["fb_off"] + h["fb_size"]), 24)
    failed = 0
    for pos in positions:
        d = bytearray(data)
        d[pos] ^= 1 << rng.randrange(8)
        p = str(tmp_path / f"flip_{pos}.ember")
        with open(p, "wb") as f:
            f.write(d)
        r = _san_run(p, x_path)
        if r.returncode == 1:
            assert "error:" in r.stderr, r.stderr
            failed += 1
    print(f"sanitized ember-run: {len(must_fail)} corrupt files rejected, {failed}/{len(positions)} bit flips "
          "rejected, the rest ran; no sanitizer reports")
