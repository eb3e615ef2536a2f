"""GEMM-backed portable kernels vs eager PyTorch over odd shapes, run as a script.

test_gemm_isa.py runs this once per EMBER_PORTABLE_ISA value (generic, avx2, avx512) in a
subprocess, since the float32 GEMM path is chosen once per process. Prints one line per
failure, then "digest <hex>" (a hash of a few float32 outputs, which differ between paths
through FMA rounding) and "cases <n>"; exits 1 if any case failed.
"""
import hashlib
import sys

import torch

import ember._C as C

aten = torch.ops.aten
SIZES = [1, 3, 7, 17, 33, 65, 129, 257]


def kernel(name, args, ref):
    out = torch.full_like(ref, float("nan"))
    C.call_kernel("aten::" + name, args, [out], 0)
    return out


def close(out, ref, k):
    # Float32 sums of k products of unit-variance values: error grows with k and the output scale.
    scale = max(ref.abs().max().item(), 1.0) if ref.numel() else 1.0
    return torch.allclose(out, ref, rtol=1e-4, atol=2e-6 * max(k, 1) * scale)


def cases():
    g = torch.Generator().manual_seed(0)

    def rnd(*shape):
        return torch.randn(*shape, generator=g)

    i = 0
    for m in SIZES:
        for n in SIZES:
            for k in (SIZES[i % 8], SIZES[(i + 3) % 8]):
                i += 1
                a, b = rnd(m, k), rnd(k, n)
                yield f"mm {m}x{k}x{n}", "mm.default", [a, b], aten.mm(a, b), k
                w = rnd(n, k)  # linear: transposed B, and bias = accumulate
                bias = rnd(n) if i % 2 else None
                yield (f"linear {m}x{k}x{n} bias={bias is not None}", "linear.default",
                       [a, w, bias], aten.linear(a, w, bias), k)
                if i % 3 == 0:
                    s = rnd(m, n)
                    alpha, beta = (-1.5, 0.5) if i % 2 else (2.0, 0.0)
                    yield (f"addmm {m}x{k}x{n} alpha={alpha} beta={beta}", "addmm.default",
                           [s, a, b, beta, alpha], aten.addmm(s, a, b, beta=beta, alpha=alpha), k)
    for bsz, m, k, n in [(3, 7, 17, 33), (2, 65, 3, 129), (2, 1, 257, 7), (4, 33, 65, 1)]:
        a, b = rnd(bsz, m, k), rnd(bsz, k, n)
        yield f"bmm {bsz}x{m}x{k}x{n}", "bmm.default", [a, b], aten.bmm(a, b), k
        s = rnd(bsz, m, n)
        yield (f"baddbmm {bsz}x{m}x{k}x{n}", "baddbmm.default", [s, a, b, 0.25, -3.0],
               aten.baddbmm(s, a, b, beta=0.25, alpha=-3.0), k)
    # (input, weight, stride, padding, dilation, transposed, output_padding, groups)
    convs = [
        ((1, 3, 17, 17), (7, 3, 3, 3), [1, 1], [1, 1], [1, 1], False, [0, 0], 1),  # im2col
        ((2, 17, 9, 33), (33, 17, 3, 3), [2, 1], [1, 0], [1, 2], False, [0, 0], 1),
        ((1, 65, 7, 7), (129, 65, 1, 1), [1, 1], [0, 0], [1, 1], False, [0, 0], 1),  # pointwise
        ((1, 6, 13, 11), (18, 3, 5, 3), [1, 2], [2, 1], [1, 1], False, [0, 0], 2),  # groups
        ((1, 33, 5, 5), (33, 7, 3, 3), [2, 2], [1, 1], [1, 1], True, [1, 1], 1),  # transposed
        ((2, 4, 17), (4, 65, 5), [3], [2], [2], True, [1], 1),  # transposed 1-D, tiles
        ((1, 64, 28, 28), (64, 64, 3, 3), [1, 1], [1, 1], [1, 1], False, [0, 0], 1),  # resnet
        ((1, 7, 3, 5, 9), (17, 7, 3, 3, 3), [1, 1, 2], [1, 1, 1], [1, 1, 1], False,
         [0, 0, 0], 1),
    ]
    for xs, ws, st, pd, dl, tr, op, gr in convs:
        x, w = rnd(*xs), rnd(*ws)
        cout = ws[1] * gr if tr else ws[0]
        b = rnd(cout)
        k = (ws[0] // gr if tr else ws[1]) * int(torch.tensor(ws[2:]).prod())
        ref = aten.convolution(x, w, b, st, pd, dl, tr, op, gr)
        yield (f"conv {xs} {ws} stride={st} transposed={tr}", "convolution.default",
               [x, w, b, st, pd, dl, tr, op, gr], ref, k)


def main():
    torch.set_num_threads(1)
    failures, count, digest = 0, 0, hashlib.sha256()
    for label, name, args, ref, k in cases():
        count += 1
        out = kernel(name, args, ref)
        if count % 17 == 0:
            digest.update(out.numpy().tobytes())
        if not close(out, ref, k):
            failures += 1
            err = (out - ref).abs().max().item()
            print(f"FAIL {label}: max abs error {err:.3g}", flush=True)
    print(f"digest {digest.hexdigest()}")
    print(f"cases {count}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
