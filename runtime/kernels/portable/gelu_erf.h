// GELU with the exact (erf) form, PyTorch's gelu(approximate='none'), as inline functions with
// internal linkage: each ISA file that includes this gets its own copy compiled with its flags
// (see gemm_f32_impl.inc on why shared inline functions must not mix ISAs), and the branch-free
// form lets loops over it vectorize.
#pragma once

namespace ember {
namespace kernels {
namespace {

// erf(x) = x P(x^2) / Q(x^2) on |x| <= 3.92 and +-1 beyond (where float32 erf rounds to 1): a
// degree-5/5 rational fit made for Ember by tools/fit_erf.py (least squares, reweighted; max abs
// error 3.8e-7 in float32).
inline float erf_rational(float x) {
  const float c = x < -3.92f ? -3.92f : x > 3.92f ? 3.92f : x;
  const float t = c * c;
  float p = 2.090952381e-06f;
  p = p * t + 2.865259974e-04f;
  p = p * t + 3.729311497e-03f;
  p = p * t + 5.264106954e-02f;
  p = p * t + 1.892343569e-01f;
  p = p * t + 1.128379077e+00f;
  float q = 3.860168760e-05f;
  q = q * t + 1.158397799e-03f;
  q = q * t + 1.489303368e-02f;
  q = q * t + 1.136683622e-01f;
  q = q * t + 5.010368402e-01f;
  q = q * t + 1.0f;
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
