#!/usr/bin/env python3
"""Fits the rational erf used by the cpu backend's GELU (runtime/backends/cpu/kernels_impl.inc):
erf(x) ~ x * P(x^2) / Q(x^2) on |x| <= 3.92 (beyond it float32 erf rounds to +-1), P and Q of
degree 5, Q(0) = 1. Linear least squares on the relative error, reweighted by 1 / |Q| a few
times (Sanathanan-Koerner), then checked in float32 on a dense sweep of [-6, 6].

  /usr/bin/python3 tools/fit_erf.py
"""
from math import erf

import numpy as np

X = 3.92


def fit(dp: int, dq: int, iters: int = 8):
    xs = np.linspace(1e-6, X, 20000)
    f = np.array([erf(v) for v in xs]) / xs
    t = xs * xs
    w = np.ones_like(t)
    for _ in range(iters):
        A = np.hstack([np.vstack([t ** i for i in range(dp + 1)]).T,
                       -(f[:, None] * np.vstack([t ** j for j in range(1, dq + 1)]).T)])
        coef, *_ = np.linalg.lstsq(A * w[:, None], f * w, rcond=None)
        p, q = coef[:dp + 1], np.concatenate([[1.0], coef[dp + 1:]])
        w = xs / np.abs(sum(q[j] * t ** j for j in range(dq + 1)))
    return p, q


def erf_f32(p, q, x):
    c = np.clip(x.astype(np.float32), -X, X)
    t = c * c
    P, Q = np.float32(p[-1]), np.float32(q[-1])
    for k in p[-2::-1]:
        P = P * t + np.float32(k)
    for k in q[-2::-1]:
        Q = Q * t + np.float32(k)
    return np.clip(c * P / Q, -1, 1)


def main() -> None:
    p, q = fit(5, 5)
    xt = np.linspace(-6, 6, 400001)
    err = np.max(np.abs(erf_f32(p, q, xt) - np.array([erf(v) for v in xt])))
    print("P (t^0 first):", ", ".join(f"{c:.9e}" for c in p))
    print("Q (t^0 first):", ", ".join(f"{c:.9e}" for c in q))
    print(f"max abs error in float32 on [-6, 6]: {err:.2g}")


if __name__ == "__main__":
    main()
