"""./ember bench: Ember portable vs Ember CPU backend vs ONNX Runtime vs eager PyTorch.

Every (runtime, model, threads) configuration runs in its own worker process (so load time and
peak RSS are its own), and the configurations are interleaved round by round: round r runs
every configuration once, so slow drifts of the machine (thermal, other load) hit all runtimes
alike. Within a round, Ember's CPU backend and ONNX Runtime run back to back, in alternating
order (see round_order). Each worker run loads the model, warms up, and times a number of
iterations. The reported latency is the median over rounds of each run's median, and the spread
is (max - min) / median of those per-run medians. The ratio to ONNX Runtime is the median over
rounds of the ratio of the two runs of the same round (paired_ratio): on a host whose speed moves
by 20-40% for seconds at a time, a pair run back to back sees the same phase, while the medians
of separate runs do not; the ratio of the medians is reported beside it.

Workers: build/bin/ember-run (portable and CPU-backend programs), bench/ort_driver.js
(onnxruntime-node, model exported with torch.onnx.export), and this module with --worker torch.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional

from .binaries import REPOSITORY, binary

DEFAULT_MODELS = ["mobilenet_v2", "mobilenet_v3_large", "resnet50", "vit_b_16", "swin_t"]
RUNTIMES = ["ember-portable", "ember-cpu", "onnxruntime", "pytorch"]
ROOT = REPOSITORY

PEAK_C = r"""
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
int main(int argc, char** argv) {
  long iters = argc > 1 ? atol(argv[1]) : 200000000L;
#ifdef __AVX512F__
  typedef __m512 V; int W = 16;
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#else
  typedef __m256 V; int W = 8;
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#endif
  V a = SET1(1.0000001f), b = SET1(0.9999999f);
  V c0 = SET1(0), c1 = SET1(0), c2 = SET1(0), c3 = SET1(0), c4 = SET1(0), c5 = SET1(0),
    c6 = SET1(0), c7 = SET1(0), c8 = SET1(0), c9 = SET1(0), c10 = SET1(0), c11 = SET1(0);
  double t0 = now();
  for (long i = 0; i < iters; ++i) {
    c0 = FMA(a, b, c0); c1 = FMA(a, b, c1); c2 = FMA(a, b, c2); c3 = FMA(a, b, c3);
    c4 = FMA(a, b, c4); c5 = FMA(a, b, c5); c6 = FMA(a, b, c6); c7 = FMA(a, b, c7);
    c8 = FMA(a, b, c8); c9 = FMA(a, b, c9); c10 = FMA(a, b, c10); c11 = FMA(a, b, c11);
    /* Every accumulator opaque after every step: otherwise the compiler sees that c6..c11
       compute the same value and keeps one chain for all of them (7 FMAs counted as 12). */
    __asm__ volatile("" : "+x"(c0), "+x"(c1), "+x"(c2), "+x"(c3), "+x"(c4), "+x"(c5),
                          "+x"(c6), "+x"(c7), "+x"(c8), "+x"(c9), "+x"(c10), "+x"(c11));
  }
  double dt = now() - t0;
  float s[16]; V sum = c0;
  sum = sum + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
  __builtin_memcpy(s, &sum, sizeof(float) * W);
  printf("%.3f %d %g\n", 12.0 * 2 * W * iters / dt / 1e9, W, (double)s[0]);
  return 0;
}
"""


# ---------------------------------------------------------------------------------------------
# helpers

def _python() -> str:
    return sys.executable or "/usr/bin/python3"


def _run_measured(cmd: List[str], env: Optional[dict] = None, timeout: float = 900) -> (int, str, str, int):
    """Runs cmd; returns (rc, stdout, stderr, peak RSS bytes of the worker).

    A process forked from this (large) Python process inherits its RSS high-water mark across
    exec, so the worker is started by /usr/bin/time, a small process whose child's peak RSS is
    the worker's own; without /usr/bin/time, wait4's figure (an upper bound) is used."""
    wrap = shutil.which("time", path="/usr/bin:/bin")
    if wrap:
        cmd = [wrap, "-f", "EMBER_MAXRSS_KB=%M"] + cmd
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        t0 = time.time()
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid != 0:
                break
            if time.time() - t0 > timeout:
                p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(0.005)
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        o, e = out.read().decode(errors="replace"), err.read().decode(errors="replace")
        rss = ru.ru_maxrss * 1024
        m = re.search(r"EMBER_MAXRSS_KB=(\d+)", e)
        if m:
            rss = int(m.group(1)) * 1024
            e = e[:m.start()]
        return p.returncode, o, e, rss


def measure_peak_gflops(work: str, threads: int) -> Dict[str, float]:
    """fp32 FMA peak of one core from a tight intrinsic loop (12 independent accumulators)."""
    src = os.path.join(work, "peak.c")
    exe = os.path.join(work, "peak")
    with open(src, "w") as f:
        f.write(PEAK_C)
    flags = ["-O2", "-mfma", "-mavx2"]
    if _cpu_has("avx512f"):
        flags.append("-mavx512f")
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        return {"per_core": float("nan"), "vector_width": 0}
    subprocess.check_call([cc] + flags + [src, "-o", exe])
    best, width = 0.0, 8
    for _ in range(3):
        out = subprocess.check_output([exe, "300000000"]).decode().split()
        best, width = max(best, float(out[0])), int(out[1])
    return {"per_core": best, "vector_width": width}


def _cpu_has(flag: str) -> bool:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return flag in line.split()
    except OSError:
        pass
    return False


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def count_flops(method) -> int:
    """2 * MACs of convolution / matmul-family calls of a lowered method."""
    total = 0
    for c in method.calls:
        op, a = c.op_name, c.args
        out = c.outputs[0] if c.outputs else None
        try:
            if op == "aten::convolution":
                w = a[1].shape
                total += 2 * math.prod(out.shape) * math.prod(w[1:])
            elif op == "aten::addmm":
                total += 2 * a[1].shape[0] * a[1].shape[1] * a[2].shape[1]
            elif op == "aten::mm":
                total += 2 * a[0].shape[0] * a[0].shape[1] * a[1].shape[1]
            elif op == "aten::bmm":
                total += 2 * a[0].shape[0] * a[0].shape[1] * a[0].shape[2] * a[1].shape[2]
            elif op == "aten::linear":
                total += 2 * math.prod(out.shape) * a[1].shape[1]
            elif op in ("aten::matmul",):
                total += 2 * math.prod(out.shape) * a[0].shape[-1]
        except (AttributeError, IndexError, TypeError):
            pass
    return total


# ---------------------------------------------------------------------------------------------
# model preparation

def exporter_digest() -> str:
    """A digest of Ember's Python sources (the exporter, its passes and backends): a cached
    export made by other code is stale, e.g. made before a fusion was added to the backend. This
    module itself is left out: it does not export, and editing it should not re-export the zoo."""
    import hashlib

    root = os.path.dirname(os.path.abspath(__file__))
    h = hashlib.sha256()
    for d, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".py") and os.path.join(d, f) != os.path.abspath(__file__):
                h.update(os.path.relpath(os.path.join(d, f), root).encode())
                with open(os.path.join(d, f), "rb") as fh:
                    h.update(fh.read())
    return h.hexdigest()[:16]


def _cached_meta(meta_path: str, digest: str) -> Optional[dict]:
    """The metadata of a cached export, or None when there is none or other code made it."""
    try:
        with open(meta_path) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return None
    return meta if meta.get("exporter") == digest else None


def prepare(models: List[str], res: int, work: str, runtimes: List[str], log) -> Dict[str, dict]:
    """Exports each model for each runtime into `work` (cached by name and resolution, and
    re-exported when Ember's Python sources changed since; see exporter_digest)."""
    import torch

    from .cli import build_model
    from .export import export

    info: Dict[str, dict] = {}
    digest = exporter_digest()
    for name in models:
        torch.manual_seed(0)
        model = build_model("torchvision:" + name)
        x = torch.randn(1, 3, res, res)
        base = os.path.join(work, f"{name}_{res}")
        entry = {"shape": [1, 3, res, res], "state": base + ".pt"}
        if not os.path.exists(entry["state"]):
            torch.save(model.state_dict(), entry["state"])
        for rt, backends in (("ember-portable", None), ("ember-cpu", ["cpu"])):
            path = f"{base}.{rt}.ember"
            meta_path = path + ".json"
            if rt in runtimes or "flops" not in entry:
                meta = _cached_meta(meta_path, digest) if os.path.exists(path) else None
                if meta is None:
                    t0 = time.time()
                    prog = export(model, (x,), backends=backends)
                    prog.save(path)
                    meta = {"flops": count_flops(prog.method) if backends is None else None,
                            "instructions": len(prog.method.calls),
                            "delegated_calls": sum(len(r) for _, r in prog.delegated),
                            "delegates": len(prog.delegate_blobs),
                            "exporter": digest}
                    with open(meta_path, "w") as f:
                        json.dump(meta, f)
                    log(f"exported {name} for {rt} in {time.time() - t0:.1f}s")
                entry[rt] = path
                entry[rt + ":meta"] = meta
                if meta.get("flops"):
                    entry["flops"] = meta["flops"]
        if "onnxruntime" in runtimes:
            onnx_path = base + ".onnx"
            if not os.path.exists(onnx_path):
                t0 = time.time()
                # With gradients enabled, nn.MultiheadAttention takes its ONNX-exportable path
                # (the no-grad fast path calls _native_multi_head_attention, which has no ONNX op).
                try:
                    with torch.enable_grad():
                        torch.onnx.export(model, (x,), onnx_path + ".tmp", opset_version=14, input_names=["input"],
                                          output_names=["output"], do_constant_folding=True)
                    os.replace(onnx_path + ".tmp", onnx_path)
                    log(f"exported {name} to ONNX in {time.time() - t0:.1f}s")
                except Exception as e:  # noqa: BLE001 - reported per model, the bench goes on
                    log(f"ONNX export of {name} failed: {e}")
            entry["onnxruntime"] = onnx_path
        info[name] = entry
    return info


# ---------------------------------------------------------------------------------------------
# workers

def run_worker(rt: str, entry: dict, name: str, threads: int, warmup: int, iters: int) -> dict:
    env = dict(os.environ)
    env["EMBER_NUM_THREADS"] = str(threads)
    env["OMP_NUM_THREADS"] = str(threads)
    if rt.startswith("ember"):
        cmd = [binary("ember-run"), "--model", entry[rt], "--warmup", str(warmup), "--iterations", str(iters)]
    elif rt == "onnxruntime":
        cmd = ["node", os.path.join(ROOT, "bench", "ort_driver.js"), "--model", entry[rt], "--shape",
               json.dumps(entry["shape"]), "--threads", str(threads), "--warmup", str(warmup), "--iterations",
               str(iters)]
    else:
        cmd = [_python(), "-m", "ember.bench", "--worker", "pytorch", "--model-name", name, "--state", entry["state"],
               "--shape", ",".join(map(str, entry["shape"])), "--threads", str(threads), "--warmup", str(warmup),
               "--iterations", str(iters)]
        env["PYTHONPATH"] = os.path.join(ROOT, "python") + os.pathsep + env.get("PYTHONPATH", "")
    rc, out, err, rss = _run_measured(cmd, env)
    if rc != 0:
        return {"error": (err or out).strip().splitlines()[-1] if (err or out).strip() else f"exit {rc}"}
    if rt.startswith("ember"):
        load = float(re.search(r"load: ([\d.]+) ms", out).group(1))
        lat = re.search(r"median ([\d.]+) ms, min ([\d.]+) ms, max ([\d.]+) ms", out)
        return {"load_ms": load, "median_ms": float(lat.group(1)), "min_ms": float(lat.group(2)),
                "max_rss_bytes": rss}
    res = json.loads(out.strip().splitlines()[-1])
    res["max_rss_bytes"] = rss
    return res


def torch_worker(args) -> int:
    import torch

    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    from .cli import build_model

    model = build_model("torchvision:" + args.model_name)
    model.load_state_dict(torch.load(args.state))
    load_ms = (time.perf_counter() - t0) * 1e3
    torch.manual_seed(0)
    x = torch.randn(*[int(s) for s in args.shape.split(",")])
    times = []
    with torch.inference_mode():
        for i in range(args.warmup + args.iterations):
            s = time.perf_counter()
            model(x)
            e = time.perf_counter()
            if i >= args.warmup:
                times.append((e - s) * 1e3)
    print(json.dumps({"load_ms": load_ms, "times_ms": times, "version": torch.__version__}))
    return 0


# ---------------------------------------------------------------------------------------------
# reporting

def _quantile(xs: List[float], q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def _run_median(r: dict) -> float:
    return r["median_ms"] if "median_ms" in r else statistics.median(r["times_ms"])


def summarize(results: Dict, peak: float) -> List[dict]:
    rows = []
    for (name, threads, rt), runs in results.items():
        ok = [r for r in runs if "error" not in r]
        row = {"model": name, "threads": threads, "runtime": rt}
        if not ok:
            row["error"] = runs[-1].get("error", "failed") if runs else "not run"
            rows.append(row)
            continue
        meds = [_run_median(r) for r in ok]
        med = statistics.median(meds)
        row.update(median_ms=med, lo_ms=min(meds), hi_ms=max(meds),
                   spread_pct=100.0 * (max(meds) - min(meds)) / med,
                   min_ms=min(r.get("min_ms", min(r.get("times_ms", [med]))) for r in ok), runs=len(meds),
                   load_ms=statistics.median(r["load_ms"] for r in ok),
                   peak_rss_mb=max(r["max_rss_bytes"] for r in ok) / 2 ** 20)
        rows.append(row)
    return rows


def round_order(runtimes: List[str], rnd: int) -> List[str]:
    """The order of the runtimes in round rnd: Ember's CPU backend and ONNX Runtime first and
    back to back (Ember first in even rounds, ONNX Runtime in odd ones), then the others rotated
    by the round."""
    pair = [rt for rt in ("ember-cpu", "onnxruntime") if rt in runtimes]
    if rnd % 2 == 1:
        pair.reverse()
    others = [rt for rt in runtimes if rt not in pair]
    k = rnd % len(others) if others else 0
    return pair + others[k:] + others[:k]


def paired_ratio(runs: List[dict], ref_runs: List[dict]) -> Optional[float]:
    """Median over rounds of run median / reference run median of the same round; rounds where
    either failed (or did not run) are left out. None without a common round."""
    ref = {r["round"]: _run_median(r) for r in ref_runs if "error" not in r and "round" in r}
    ratios = [_run_median(r) / ref[r["round"]] for r in runs
              if "error" not in r and r.get("round") in ref and ref[r["round"]] > 0]
    return statistics.median(ratios) if ratios else None


def attach_ratios(rows: List[dict], flops: Dict[str, int], peak_per_core: float,
                  results: Optional[Dict] = None) -> None:
    """Adds to each row its ratio to ONNX Runtime (paired by round where the runs are in
    results, else the ratio of the medians; ratio_of_medians always), GFLOP/s and % of peak."""
    by = {(r["model"], r["threads"], r["runtime"]): r for r in rows}
    for r in rows:
        if "median_ms" not in r:
            continue
        key = (r["model"], r["threads"])
        ort = by.get(key + ("onnxruntime",))
        if ort and "median_ms" in ort:
            r["ratio_of_medians"] = r["median_ms"] / ort["median_ms"]
            paired = None
            if results is not None:
                paired = paired_ratio(results.get(key + (r["runtime"],), []),
                                      results.get(key + ("onnxruntime",), []))
            r["ratio_vs_ort"] = paired if paired is not None else r["ratio_of_medians"]
        f = flops.get(r["model"])
        if f:
            r["gflops"] = f / (r["median_ms"] * 1e-3) / 1e9
            r["pct_peak"] = 100.0 * r["gflops"] / (peak_per_core * r["threads"])


def format_table(rows: List[dict]) -> str:
    hdr = ("| model | threads | runtime | median ms | spread % | vs ORT | ratio of medians | GFLOP/s | % peak | load ms "
           "| peak RSS MB |\n"
           "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    lines = [hdr]
    order = {rt: i for i, rt in enumerate(RUNTIMES)}
    for r in sorted(rows, key=lambda r: (r["model"], r["threads"], order.get(r["runtime"], 9))):
        if "median_ms" not in r:
            lines.append(f"| {r['model']} | {r['threads']} | {r['runtime']} | failed: {r.get('error', '')[:60]} "
                         f"| | | | | | | |")
            continue
        ratio = f"{r['ratio_vs_ort']:.2f}" if "ratio_vs_ort" in r else ""
        rom = f"{r['ratio_of_medians']:.2f}" if "ratio_of_medians" in r else ""
        gf = f"{r['gflops']:.1f}" if "gflops" in r else ""
        pp = f"{r['pct_peak']:.0f}" if "pct_peak" in r else ""
        lines.append(f"| {r['model']} | {r['threads']} | {r['runtime']} | {r['median_ms']:.2f} | "
                     f"{r['spread_pct']:.1f} | {ratio} | {rom} | {gf} | {pp} | {r['load_ms']:.1f} | {r['peak_rss_mb']:.0f} |")
    return "\n".join(lines)


def draw_chart(rows: List[dict], path: str) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    configs = sorted({(r["model"], r["threads"]) for r in rows})
    rts = [rt for rt in RUNTIMES if any(r["runtime"] == rt for r in rows)]
    by = {(r["model"], r["threads"], r["runtime"]): r for r in rows}
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(configs)), 4.5))
    width = 0.8 / max(1, len(rts))
    for k, rt in enumerate(rts):
        xs, ys, errs = [], [], []
        for i, (m, t) in enumerate(configs):
            r = by.get((m, t, rt))
            if r and "median_ms" in r:
                xs.append(i + k * width)
                ys.append(r["median_ms"])
                errs.append([[r["median_ms"] - r["lo_ms"]], [r["hi_ms"] - r["median_ms"]]])
        if xs:
            lo = [e[0][0] for e in errs]
            hi = [e[1][0] for e in errs]
            ax.bar(xs, ys, width, label=rt, yerr=[lo, hi], capsize=2)
    ax.set_xticks([i + width * (len(rts) - 1) / 2 for i in range(len(configs))])
    ax.set_xticklabels([f"{m}\n{t} thr" for m, t in configs], fontsize=8)
    ax.set_ylabel("median latency, ms (log)")
    ax.set_yscale("log")
    ax.set_title("Ember vs ONNX Runtime vs PyTorch (batch 1, fp32, lower is better)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write_docs(path: str, table: str, command: str, meta: dict) -> None:
    ratios = [r for r in meta["rows"] if r["runtime"] == "ember-cpu" and "ratio_vs_ort" in r]
    with open(path, "w") as f:
        f.write("# Performance\n\n")
        f.write("Latest `./ember bench` results (written by the bench itself with `--write-docs`).\n\n")
        f.write(f"Command:\n\n```\n{command}\n```\n\n")
        f.write(f"Machine: {meta['cpu']}, {meta['cores']} cores; measured fp32 peak "
                f"{meta['peak_gflops_per_core']:.1f} GFLOP/s per core ({meta['vector_width'] * 32}-bit FMA loop). "
                f"ONNX Runtime {meta.get('ort_version', '?')} (onnxruntime-node), PyTorch {meta['torch_version']}. "
                f"Batch 1, fp32, {meta['resolution']}x{meta['resolution']}, random weights; "
                f"{meta['rounds']} interleaved rounds of {meta['warmup']} warm-up + up to {meta['iterations']} timed "
                f"runs per configuration, each in a fresh process.\n\n")
        f.write("Columns: median over rounds of each run's median latency; spread = (max - min) / median of those; "
                "vs ORT = median over rounds of the ratio to ONNX Runtime's run of the same round at the same "
                "thread count (Ember's CPU backend and ONNX Runtime run back to back, in alternating order; "
                "<= 1.00 means Ember is as fast or faster); ratio of medians = the median latencies' ratio; "
                "GFLOP/s from the model's "
                "conv/matmul FLOPs; % of the measured peak times the thread count; load time (open + verify + "
                "backend init, i.e. weight packing); peak RSS of the worker process.\n\n")
        f.write(table + "\n\n")
        if ratios:
            met = [r for r in ratios if r["ratio_vs_ort"] <= 1.0]
            met_medians = [r for r in ratios if r["ratio_of_medians"] <= 1.0]
            f.write(f"Ember CPU backend at or below ONNX Runtime latency: {len(met)} of {len(ratios)} "
                    f"model/thread configurations by the paired ratio, {len(met_medians)} of {len(ratios)} "
                    f"by the ratio of medians.\n\n")
        f.write("Chart: `bench.png` in the output directory.\n")


# ---------------------------------------------------------------------------------------------
# main

def timed_iterations(run_ms: float, budget_s: float, max_iterations: int) -> int:
    """Timed runs per worker: as many as fit the budget, at most max_iterations and at least 3,
    except for a worker whose single run outlasts the whole budget (eager PyTorch takes 16 s for
    vit_b_16 here): that one gets 1, so more interleaved rounds fit the time."""
    budget_ms = budget_s * 1e3
    if run_ms > budget_ms:
        return 1
    return max(3, min(max_iterations, int(budget_ms / run_ms)))


def build_parser(p: Optional[argparse.ArgumentParser] = None) -> argparse.ArgumentParser:
    p = p or argparse.ArgumentParser(prog="ember bench", description=__doc__.splitlines()[0])
    p.add_argument("--models", default=",".join(DEFAULT_MODELS), help="comma-separated torchvision model names")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    p.add_argument("--runtimes", default=",".join(RUNTIMES), help="subset of " + ",".join(RUNTIMES))
    p.add_argument("--resolution", type=int, default=224)
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--iterations", type=int, default=10,
                   help="timed runs per worker (capped by --budget; at least 3, or 1 for a run longer than the budget)")
    p.add_argument("--budget", type=float, default=3.0, help="seconds of timed runs per worker at most")
    p.add_argument("--output-dir", default="out/bench")
    p.add_argument("--write-docs", action="store_true", help="also write docs/performance.md")
    # worker mode (internal)
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--model-name", help=argparse.SUPPRESS)
    p.add_argument("--state", help=argparse.SUPPRESS)
    p.add_argument("--shape", help=argparse.SUPPRESS)
    return p


def main(args, argv: Optional[List[str]] = None) -> int:
    if getattr(args, "worker", None) == "pytorch":
        args.threads = int(args.threads)
        args.iterations = int(args.iterations)
        return torch_worker(args)
    import torch

    def log(msg):
        print(f"[bench] {msg}", file=sys.stderr, flush=True)

    models = [m for m in args.models.split(",") if m]
    threads = [int(t) for t in args.threads.split(",") if t]
    runtimes = [r for r in args.runtimes.split(",") if r]
    for r in runtimes:
        if r not in RUNTIMES:
            raise SystemExit(f"error: unknown runtime '{r}' (choose from {RUNTIMES})")
    os.makedirs(args.output_dir, exist_ok=True)
    work = os.path.join(args.output_dir, "models")
    os.makedirs(work, exist_ok=True)
    if "onnxruntime" in runtimes:
        if not os.path.exists(os.path.join(ROOT, ".deps", "npm", "node_modules", "onnxruntime-node")) and \
                not os.environ.get("EMBER_ORT_NODE_MODULES"):
            log("onnxruntime-node missing; running scripts/setup_bench.sh")
            subprocess.check_call([os.path.join(ROOT, "scripts", "setup_bench.sh")])
    peak = measure_peak_gflops(work, 1)
    log(f"measured fp32 peak: {peak['per_core']:.1f} GFLOP/s per core ({peak['vector_width']}-wide FMA)")
    info = prepare(models, args.resolution, work, runtimes, log)

    # Iterations per worker: calibrate with one short run, then fit the time budget.
    configs = [(m, t, rt) for m in models for t in threads for rt in runtimes]
    iters: Dict[tuple, int] = {}
    results: Dict[tuple, List[dict]] = {c: [] for c in configs}
    for c in configs:
        m, t, rt = c
        r = run_worker(rt, info[m], m, t, 1, 1)
        if "error" in r:
            log(f"{rt} {m} {t} thread(s): FAILED: {r['error']}")
            results[c].append(r)
            continue
        per = max(1e-3, _run_median(r))
        iters[c] = timed_iterations(per, args.budget, args.iterations)
        log(f"calibrated {rt} {m} {t} thread(s): {per:.2f} ms -> {iters[c]} iterations")
    for rnd in range(args.rounds):
        for mi, m in enumerate(models):
            for t in threads:
                for rt in round_order(runtimes, rnd):
                    c = (m, t, rt)
                    if c not in iters:
                        continue
                    r = run_worker(rt, info[m], m, t, args.warmup, iters[c])
                    r["round"] = rnd
                    results[c].append(r)
                    if "error" in r:
                        log(f"round {rnd}: {rt} {m} {t}: FAILED {r['error']}")
                    else:
                        log(f"round {rnd}: {rt:15s} {m:20s} {t} thr  median {_run_median(r):9.2f} ms")
    rows = summarize(results, peak["per_core"])
    attach_ratios(rows, {m: info[m].get("flops", 0) for m in models}, peak["per_core"], results)
    table = format_table(rows)
    print(table)
    ort_version = None
    for (m, t, rt), runs in results.items():
        for r in runs:
            if rt == "onnxruntime" and "version" in r:
                ort_version = r["version"]
    command = "./ember bench " + " ".join(sys.argv[2:] if argv is None else argv)
    meta = {"command": command.strip(), "cpu": _cpu_name(), "cores": os.cpu_count(),
            "peak_gflops_per_core": peak["per_core"], "vector_width": peak["vector_width"],
            "torch_version": torch.__version__, "ort_version": ort_version, "resolution": args.resolution,
            "rounds": args.rounds, "warmup": args.warmup, "iterations": args.iterations,
            "flops": {m: info[m].get("flops", 0) for m in models}, "rows": rows,
            "raw": [{"model": m, "threads": t, "runtime": rt, "runs": runs} for (m, t, rt), runs in results.items()]}
    with open(os.path.join(args.output_dir, "bench.json"), "w") as f:
        json.dump(meta, f, indent=1)
    png = os.path.join(args.output_dir, "bench.png")
    if draw_chart(rows, png):
        log(f"wrote {png}")
    log(f"wrote {os.path.join(args.output_dir, 'bench.json')}")
    if args.write_docs:
        write_docs(os.path.join(ROOT, "docs", "performance.md"), table, meta["command"], meta)
        log("wrote docs/performance.md")
    failed = [r for r in rows if "error" in r]
    return 1 if failed and len(failed) == len(rows) else 0


if __name__ == "__main__":
    ns = build_parser().parse_args()
    sys.exit(main(ns, sys.argv[1:]))
