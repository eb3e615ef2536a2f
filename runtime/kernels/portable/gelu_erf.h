// GELU with the exact (erf) form, PyTorch's gelu(approximate='none'), as inline functions with
// internal linkage: each ISA file that includes this gets its own copy compiled with its flags
// (see gemm_f32_impl.inc on why shared inline functions must not mix ISAs), and the branch-free
// form lets loops over it vectorize.
#pragma once

namespace ember {
namespace kernels {
namespace {

// erf(x) = x P(x^2) / Q(x^2) on |x| <= kErfClip and +-1 beyond (where float32 erf rounds to 1):
// a degree-5/5 rational fit made for Ember by tools/fit_erf.py (least squares, reweighted; max
// abs error 3.8e-7 in float32). Coefficients highest power first; vector forms (the GEMM's
// epilogue) evaluate the same ones.
constexpr float kErfClip = 3.92f;
constexpr float kErfP[6] = {2.090952381e-06f, 2.865259974e-04f, 3.729311497e-03f,
                            5.264106954e-02f, 1.892343569e-01f, 1.128379077e+00f};
constexpr float kErfQ[6] = {3.860168760e-05f, 1.158397799e-03f, 1.489303368e-02f,
                            1.136683622e-01f, 5.010368402e-01f, 1.0f};

inline float erf_rational(float x) {
  const float c = x < -kErfClip ? -kErfClip : x > kErfClip ? kErfClip : x;
  const float t = c * c;
  float p = kErfP[0], q = kErfQ[0];
  for (int i = 1; i < 6; ++i) {
    p = p * t + kErfP[i];
    q = q * t + kErfQ[i];
  }
  const float r = c * p / q;
  return r < -1.0f ? -1.0f : r > 1.0f ? 1.0f : r;
}

// 0.5 x (1 + erf(x / sqrt(2))).
inline float gelu_erf(float x) {
  return 0.5f * x * (1.0f + erf_rational(x * 0.7071067811865476f));
}

}  // namespace
}  // namespace kernels
}  // namespace ember
