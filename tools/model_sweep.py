"""Exports and runs every torchvision classification and segmentation model with random
weights and reports which match eager PyTorch (rtol 1e-4, atol 1e-4 x output scale).

    PYTHONPATH=python /usr/bin/python3 tools/model_sweep.py --json out/sweep.json
"""
import argparse
import json
import os
import sys
import tempfile
import time
import traceback

import torch
import torchvision

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "tests", "python"))

import ember  # noqa: E402
from helpers import randomize_norm_statistics  # noqa: E402

# Models whose architecture fixes the input size.
FIXED_224 = ("vit_", "swin_", "maxvit", "regnet_y_128gf")
SKIP = {"regnet_y_128gf": "too large for a CI-class machine (644M parameters)",
        "vit_h_14": "too large for a CI-class machine (632M parameters)"}


def models():
    from torchvision.models import list_models  # type: ignore[attr-defined]
    return list_models(module=torchvision.models), list_models(module=torchvision.models.segmentation)


def sweep(names, segmentation):
    results = []
    for name in names:
        row = {"model": name, "kind": "segmentation" if segmentation else "classification"}
        if name in SKIP:
            row.update(status="skipped", reason=SKIP[name])
            results.append(row)
            continue
        t0 = time.time()
        try:
            kwargs = {"weights": None}
            if segmentation:
                kwargs.update(weights_backbone=None, aux_loss=False)
            torch.manual_seed(0)
            model = randomize_norm_statistics(torchvision.models.get_model(name, **kwargs)).eval()
            size = 224 if name.startswith(FIXED_224) or segmentation else 160
            if name.startswith("inception") or name.startswith("googlenet"):
                size = 299 if name.startswith("inception") else 224
            x = torch.randn(1, 3, size, size)
            program = ember.export(model, (x,))
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "m.ember")
                program.save(path)
                outs = ember.load(path).run("forward", x)
            with torch.no_grad():
                refs = torch.utils._pytree.tree_flatten(model(x))[0]
            errs = [((o - r).abs().max() / r.abs().max().clamp_min(1e-30)).item() for o, r in zip(outs, refs)]
            ok = all(torch.allclose(o, r, rtol=1e-4, atol=1e-4 * max(r.abs().max().item(), 1e-30))
                     for o, r in zip(outs, refs))
            row.update(status="ok" if ok else "mismatch", max_rel_err=max(errs), input=[1, 3, size, size],
                       kernel_calls=len(program.method.calls), arena_bytes=program.planned_arena_bytes)
        except ember.MissingKernelsError as e:
            row.update(status="missing kernels", reason=", ".join(sorted(e.missing)))
        except Exception as e:  # noqa: BLE001 - report, go on
            row.update(status="error", reason=f"{type(e).__name__}: {str(e).splitlines()[0][:200]}")
            traceback.print_exc()
        row["seconds"] = round(time.time() - t0, 1)
        print(json.dumps(row), flush=True)
        results.append(row)
    return results


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--json", default="out/model_sweep.json")
    p.add_argument("--only", nargs="*")
    args = p.parse_args()
    cls, seg = models()
    if args.only:
        cls, seg = [m for m in cls if m in args.only], [m for m in seg if m in args.only]
    results = sweep(cls, False) + sweep(seg, True)
    os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(results, f, indent=1)
    ok = sum(r["status"] == "ok" for r in results)
    print(f"{ok}/{len(results)} models match eager PyTorch")


if __name__ == "__main__":
    main()
