"""Every float32 GEMM path (EMBER_PORTABLE_ISA=generic|avx2|avx512) through the mm / linear /
addmm / bmm / baddbmm / convolution kernels vs eager PyTorch.

The path is chosen once per process, so each runs gemm_isa_cases.py in its own subprocess. A
path the CPU lacks is skipped (forcing it would silently test the next path down).
"""
import os
import subprocess
import sys

import pytest
from cpu_features import missing as _missing

pytest.importorskip("ember._C")

HERE = os.path.dirname(os.path.abspath(__file__))
ISAS = ["generic", "avx2", "avx512"]
_runs = {}


def _run(isa):
    if isa not in _runs:
        env = dict(os.environ, EMBER_PORTABLE_ISA=isa, PYTHONPATH=os.pathsep.join(sys.path))
        _runs[isa] = subprocess.run([sys.executable, os.path.join(HERE, "gemm_isa_cases.py")],
                                    env=env, capture_output=True, text=True, timeout=600)
    return _runs[isa]


def _field(proc, key):
    for line in proc.stdout.splitlines():
        if line.startswith(key + " "):
            return line.split(" ", 1)[1]
    return None


@pytest.mark.parametrize("isa", ISAS)
def test_gemm_kernels_match_torch(isa):
    why = _missing(isa)
    if why:
        print(f"skipping EMBER_PORTABLE_ISA={isa}: {why}")
        pytest.skip(why)
    proc = _run(isa)
    assert proc.returncode == 0, f"EMBER_PORTABLE_ISA={isa}:\n{proc.stdout}\n{proc.stderr}"
    assert int(_field(proc, "cases")) > 100


def test_isa_variable_switches_path():
    # The generic path multiplies then adds, the AVX2 path fuses: with the variable honoured
    # the float32 results differ in the last bits somewhere.
    why = _missing("avx2")
    if why:
        print(f"skipping: {why}")
        pytest.skip(why)
    generic, avx2 = _run("generic"), _run("avx2")
    assert generic.returncode == 0 and avx2.returncode == 0
    assert _field(generic, "digest") != _field(avx2, "digest")
