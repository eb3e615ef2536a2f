"""Command line: ./ember export | inspect | run | demo."""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import subprocess
import sys
import time
from typing import List, Optional

import torch

from . import binaries
from .errors import ExportError


def _shape(s: str) -> List[int]:
    try:
        return [int(v) for v in s.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad shape '{s}': expected comma-separated integers like 1,3,224,224")


def build_model(spec: str, weights: Optional[str] = None) -> torch.nn.Module:
    """'torchvision:NAME' or 'path/to/file.py:FACTORY' -> an eval-mode module.

    torchvision models get random weights unless `weights` names a state_dict file."""
    if ":" not in spec:
        raise SystemExit(f"error: model spec '{spec}' must be torchvision:NAME or FILE.py:FUNCTION")
    kind, name = spec.split(":", 1)
    if kind == "torchvision":
        import torchvision

        for ns in (torchvision.models, torchvision.models.segmentation):
            if hasattr(ns, name):
                kwargs = {"weights": None}
                if ns is torchvision.models.segmentation:
                    kwargs.update(weights_backbone=None, aux_loss=False)
                model = getattr(ns, name)(**kwargs)
                break
        else:
            raise SystemExit(f"error: torchvision has no model '{name}'")
    else:
        if not os.path.exists(kind):
            raise SystemExit(f"error: no such file '{kind}'")
        mod_spec = importlib.util.spec_from_file_location("ember_user_model", kind)
        mod = importlib.util.module_from_spec(mod_spec)
        mod_spec.loader.exec_module(mod)
        if not hasattr(mod, name):
            raise SystemExit(f"error: '{kind}' defines no '{name}'")
        model = getattr(mod, name)()
    if weights:
        state = torch.load(weights, map_location="cpu")
        model.load_state_dict(state)
    return model.eval()


def cmd_export(args) -> int:
    torch.manual_seed(0)  # random weights and example inputs are reproducible
    model = build_model(args.model, args.weights)
    from . import export

    shapes = args.input_shape or [[1, 3, 224, 224]]
    inputs = tuple(torch.randn(*s) for s in shapes)
    print(f"exporting {args.model} with input shape(s) {shapes} "
          f"({'weights from ' + args.weights if args.weights else 'random weights'})", file=sys.stderr)
    t0 = time.time()
    try:
        program = export(model, inputs, backends=args.backend or None, verbose=True)
    except ExportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    program.save(args.output)
    size = os.path.getsize(args.output)
    print(f"wrote {args.output}: {size / 1e6:.2f} MB, {len(program.method.calls)} kernel calls, "
          f"planned arena {program.planned_arena_bytes / 1e6:.2f} MB "
          f"(no-reuse sum {program.unshared_activation_bytes / 1e6:.2f} MB), {time.time() - t0:.1f}s")
    return 0


def cmd_inspect(args) -> int:
    from .inspect import inspect_program

    try:
        info = inspect_program(args.program)
    except (ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    print(f"{info['path']}: {info['file_bytes']} bytes, format v{info['format_version']}, "
          f"weights {info['weight_bytes']} bytes in {len(info['segments'])} segment(s)")
    for m in info["methods"]:
        print(f"method {m['name']}: {m['num_instructions']} instructions, {m['num_values']} values")
        for kind in ("inputs", "outputs"):
            for i, t in enumerate(m[kind]):
                print(f"  {kind[:-1]} {i}: {t['dtype']}{t['shape']}")
        print(f"  planned arena bytes: {sum(m['arena_bytes'])}  scratch bytes: {m['scratch_bytes']}")
        print("  op histogram:")
        for op, n in m["op_histogram"].items():
            print(f"    {n:5d}  {op}")
        if m["delegates"]:
            taken = sum(len(d["nodes"]) for d in m["delegates"])
            portable = sum(n for op, n in m["op_histogram"].items() if op != "delegate")
            # A backend runs a delegate's activations in the method's scratch when it fits
            # (runtime/backend/backend.h); the others allocate their arena at load.
            outside = sum(d.get("arena_bytes", 0) for d in m["delegates"]
                          if d.get("arena_bytes", 0) > m["scratch_bytes"])
            print(f"  backends: {taken} calls in {len(m['delegates'])} delegate(s), "
                  f"{portable} calls on portable kernels; delegate arenas share the {m['scratch_bytes']} "
                  f"scratch bytes, {outside} bytes allocated at load beyond the plan")
            for d in m["delegates"]:
                extra = f", backend arena {d['arena_bytes']} bytes" if "arena_bytes" in d else ""
                print(f"    delegate {d['index']} -> {d['backend']} ({len(d['nodes'])} calls, "
                      f"blob {d['blob_bytes']} bytes{extra}):")
                if d.get("backend_ops"):
                    ops = ", ".join(f"{op} x{n}" for op, n in d["backend_ops"].items())
                    print(f"      compiled to {d.get('backend_nodes', '?')} backend nodes: {ops}")
                for node in (d["nodes"] if args.verbose else d["nodes"][:8]):
                    print(f"      {node}")
                if not args.verbose and len(d["nodes"]) > 8:
                    print(f"      ... {len(d['nodes']) - 8} more (--verbose lists all)")
    return 0


def _binary(name: str) -> str:
    try:
        return binaries.binary(name)
    except FileNotFoundError as e:
        raise SystemExit(f"error: {e}")


def cmd_run(args, extra: List[str]) -> int:
    cmd = [_binary("ember-run"), "--model", args.program] + extra
    return subprocess.call(cmd)


def cmd_demo(args) -> int:
    """Exports torchvision mobilenet_v2, runs it in C++, and compares with eager PyTorch."""
    import numpy as np

    from . import export, load

    out_dir = args.output_dir
    os.makedirs(out_dir, exist_ok=True)
    model = build_model("torchvision:" + args.model, args.weights)
    print(f"[demo] model: torchvision {args.model} with "
          f"{'weights from ' + args.weights if args.weights else 'RANDOM weights (pass --weights FILE for trained ones)'}")
    torch.manual_seed(0)
    x = torch.randn(1, 3, 224, 224)
    program = export(model, (x,), verbose=True)
    path = os.path.join(out_dir, f"{args.model}.ember")
    program.save(path)
    print(f"[demo] wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB); planned activation memory "
          f"{program.planned_arena_bytes / 1e6:.2f} MB (without reuse: {program.unshared_activation_bytes / 1e6:.2f} MB)")
    np.save(os.path.join(out_dir, "input.npy"), x.numpy())
    print("[demo] running with the C++ runtime (build/bin/ember-run):", flush=True)
    rc = subprocess.call([_binary("ember-run"), "--model", path, "--input", os.path.join(out_dir, "input.npy"),
                          "--output-dir", out_dir, "--iterations", str(args.iterations)])
    if rc != 0:
        return rc
    y = torch.from_numpy(np.load(os.path.join(out_dir, "output_0.npy")))
    with torch.no_grad():
        ref = model(x)
    err = (y - ref).abs().max().item()
    scale = ref.abs().max().item()
    print(f"[demo] max |ember - eager PyTorch| = {err:.3g} (output scale {scale:.3g}, relative {err / scale:.3g})")
    same_top1 = int(y.argmax()) == int(ref.argmax())
    print(f"[demo] top-1 class agrees with PyTorch: {same_top1}")
    ok = err <= 1e-4 * max(1.0, scale)
    print("[demo] PASS" if ok else "[demo] FAIL: output differs from PyTorch beyond 1e-4")
    return 0 if ok else 1


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="ember", description="Export PyTorch models and run them with Ember.")
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export", help="export a model to a program file")
    e.add_argument("model", help="torchvision:NAME or path/to/file.py:FACTORY")
    e.add_argument("--input-shape", type=_shape, action="append", help="e.g. 1,3,224,224 (repeat per input)")
    e.add_argument("-o", "--output", required=True)
    e.add_argument("--weights", help="state_dict file to load (default: random weights)")
    e.add_argument("--backend", action="append", help="delegate supported subgraphs to this backend")
    i = sub.add_parser("inspect", help="describe a program file")
    i.add_argument("program")
    i.add_argument("--json", action="store_true")
    i.add_argument("-v", "--verbose", action="store_true", help="list every call each backend took")
    r = sub.add_parser("run", help="run a program with the C++ runtime (ember-run flags pass through)")
    r.add_argument("program")
    d = sub.add_parser("demo", help="export torchvision mobilenet_v2, run it in C++, compare with PyTorch")
    d.add_argument("--model", default="mobilenet_v2")
    d.add_argument("--weights")
    d.add_argument("--output-dir", default="out/demo")
    d.add_argument("--iterations", type=int, default=20)
    from . import bench
    bench.build_parser(sub.add_parser("bench", help="benchmark Ember (portable, cpu backend) vs ONNX Runtime and PyTorch"))
    args, extra = p.parse_known_args(argv)
    if args.cmd == "bench" and not extra:
        return bench.main(args)
    if args.cmd == "run":
        return cmd_run(args, extra)
    if extra:
        p.error(f"unrecognized arguments: {' '.join(extra)}")
    return {"export": cmd_export, "inspect": cmd_inspect, "demo": cmd_demo}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
