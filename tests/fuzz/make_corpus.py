"""Writes the seed corpus for fuzz_program_load: a few tiny models exported with the Python
exporter (so the fuzzer starts from well-formed programs and mutates them field by field).

    PYTHONPATH=python /usr/bin/python3 tests/fuzz/make_corpus.py OUT_DIR

Needs the normal build (build/), since export checks the runtime's kernel registry. A model
whose ops have no kernel yet is skipped with a note; at least one seed must be written.
"""
from __future__ import annotations

import os
import sys

import torch
import torch.nn as nn


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(8, 16), nn.Linear(16, 4)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        return torch.relu(self.conv(x)) + 1.0


class Elementwise(nn.Module):
    def forward(self, x, y):
        return torch.where(x > y, x * 2.0, torch.sigmoid(y)) - x


class CatSplit(nn.Module):
    def forward(self, x):
        a, b = torch.split(x, 2, dim=1)
        return torch.cat([b, a, b], dim=1).transpose(0, 1)


def models():
    torch.manual_seed(0)
    return [
        ("mlp", Mlp().eval(), (torch.randn(2, 8),)),
        ("conv", ConvNet().eval(), (torch.randn(1, 3, 6, 6),)),
        ("elementwise", Elementwise().eval(), (torch.randn(3, 4), torch.randn(3, 4))),
        ("cat_split", CatSplit().eval(), (torch.randn(3, 4),)),
    ]


def main(out_dir: str) -> int:
    import ember

    os.makedirs(out_dir, exist_ok=True)
    written = 0
    for name, model, inputs in models():
        try:
            program = ember.export(model, inputs)
        except Exception as e:  # noqa: BLE001 (a model the runtime cannot run yet: skip it)
            print(f"skip {name}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
            continue
        path = os.path.join(out_dir, f"{name}.ember")
        program.save(path)
        print(f"wrote {path} ({os.path.getsize(path)} bytes)")
        written += 1
    if written == 0:
        print("error: no seed could be exported", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
