#!/usr/bin/env python3
"""Per-layer time of the cpu backend against ONNX Runtime, for finding where a model loses.

Runs `build/bin/ember-run` with EMBER_CPU_PROFILE=2 and `bench/ort_driver.js --profile`
alternately (ROUNDS times each, so both see the same host noise), takes each layer's median
and lines up the two runtimes' convolution / linear layers in graph order (a layer the backend
fused into the next one shows as 0). A development tool, not a benchmark: `./ember bench` is
the benchmark.

  /usr/bin/python3 tools/layer_compare.py M.ember M.onnx [--shape 1,3,224,224] [--threads N]
      [--rounds R] [--min-diff MS]
"""
import argparse
import collections
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
from ember.binaries import binary  # noqa: E402 (needs the path above)
EMBER_LINE = re.compile(r"\s+#(\d+)\s+([\d.]+) ms (conv|fully_connected)(.*)")
ORT_OPS = ("Conv", "FusedConv", "Gemm", "MatMul", "FusedMatMul")


def ember_layers(model: str, threads: int, iterations: int):
    env = dict(os.environ, EMBER_NUM_THREADS=str(threads), EMBER_CPU_PROFILE="2")
    r = subprocess.run([binary("ember-run"), "--model", model, "--iterations", str(iterations)], env=env,
                       capture_output=True, text=True, check=True)
    layers = []
    for line in (r.stdout + r.stderr).splitlines():
        m = EMBER_LINE.match(line)
        if m:
            layers.append((float(m.group(2)), m.group(3) + m.group(4)))
        elif "(computed by node" in line and " conv " in line:
            layers.append((0.0, "conv (fused into a later node)"))
    return layers


def ort_layers(onnx: str, shape: str, threads: int, iterations: int):
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "ort")
        r = subprocess.run(["node", os.path.join(ROOT, "bench", "ort_driver.js"), "--model", onnx, "--shape",
                            json.dumps([int(d) for d in shape.split(",")]), "--threads", str(threads), "--warmup",
                            "3", "--iterations", str(iterations), "--profile", prefix],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"ONNX Runtime failed: {r.stderr.strip()[-2000:]}")
        with open(glob.glob(prefix + "*.json")[0]) as f:
            events = json.load(f)
    per = collections.OrderedDict()
    for e in events:
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time") and e["args"].get("op_name") in ORT_OPS:
            per.setdefault(e["name"], []).append(e["dur"] / 1000.0)
    return [(statistics.median(v), name[:-len("_kernel_time")]) for name, v in per.items()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ember_model")
    ap.add_argument("onnx_model")
    ap.add_argument("--shape", default="1,3,224,224", help="the ONNX model's input shape")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--iterations", type=int, default=30)
    ap.add_argument("--min-diff", type=float, default=0.0, help="only print layers differing by this many ms")
    args = ap.parse_args()
    ours, theirs = collections.defaultdict(list), collections.defaultdict(list)
    labels, ort_names = {}, {}
    for _ in range(args.rounds):
        for i, (ms, label) in enumerate(ember_layers(args.ember_model, args.threads, args.iterations)):
            ours[i].append(ms)
            labels[i] = label
        for i, (ms, name) in enumerate(ort_layers(args.onnx_model, args.shape, args.threads, args.iterations)):
            theirs[i].append(ms)
            ort_names[i] = name
    print(f"{'#':>3} {'ember ms':>9} {'ORT ms':>9} {'diff':>8}  ember layer / ORT node")
    total_e = total_o = 0.0
    for i in range(max(len(ours), len(theirs))):
        e = statistics.median(ours[i]) if i in ours else 0.0
        o = statistics.median(theirs[i]) if i in theirs else 0.0
        total_e, total_o = total_e + e, total_o + o
        if abs(e - o) >= args.min_diff:
            print(f"{i:3d} {e:9.3f} {o:9.3f} {e - o:+8.3f}  {labels.get(i, '')[:60]} / {ort_names.get(i, '')[-40:]}")
    print(f"sum {total_e:9.3f} {total_o:9.3f} {total_e - total_o:+8.3f}")
    if len(ours) != len(theirs):
        print(f"note: {len(ours)} Ember layers against {len(theirs)} ORT nodes; the alignment drifts after a mismatch")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
