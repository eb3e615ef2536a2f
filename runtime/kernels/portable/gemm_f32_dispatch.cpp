// Chooses the float32 GEMM path once per process (see gemm_f32.h) and defines the generic
// table, which forwards to the templates in gemm.h.
#include <cstdlib>
#include <cstring>

#include "runtime/kernels/portable/gelu_erf.h"
#include "runtime/kernels/portable/gemm.h"

namespace ember {
namespace kernels {
namespace gemm_f32 {

float hardswish(float x) {
  float t = x + 3.0f;
  t = t < 0.0f ? 0.0f : t > 6.0f ? 6.0f : t;
  return x * t * (1.0f / 6.0f);
}

float gelu(float x) {
  return gelu_erf(x);
}

namespace {

void generic_driver(int64_t M, int64_t N, int64_t K, const float* A, int64_t a_rs, int64_t a_cs,
                    PanelFn panel, float* C, int64_t c_rs, int64_t c_cs, float alpha,
                    bool accumulate) {
  auto p = [&](int64_t pc, int64_t kc, int64_t jr, int64_t nr, int width, float* buf, int64_t* ld) {
    return panel.fn(panel.ctx, pc, kc, jr, nr, width, buf, ld);
  };
  gemm_detail::gemm_driver_generic<float>(M, N, K, A, a_rs, a_cs, p, C, c_rs, c_cs, alpha,
                                          accumulate);
}

void generic_driver_tiles(int64_t M, int64_t N, int64_t K, const float* A, int64_t a_rs,
                          int64_t a_cs, PanelFn panel, TileFn store) {
  auto p = [&](int64_t pc, int64_t kc, int64_t jr, int64_t nr, int width, float* buf, int64_t* ld) {
    return panel.fn(panel.ctx, pc, kc, jr, nr, width, buf, ld);
  };
  auto s = [&](int64_t i0, int r, int64_t j0, int64_t nr, const float* tile) {
    store.fn(store.ctx, i0, r, j0, nr, tile);
  };
  gemm_detail::gemm_driver_tiles_generic<float>(M, N, K, A, a_rs, a_cs, p, s);
}

// Reference-speed epilogue for the generic path: the product into a zeroed C, then bias,
// residual, clamp and hardswish or GELU in a second pass (the residual may be C itself, so it is
// read before C is written).
void generic_driver_epilogue(int64_t M, int64_t N, int64_t K, const float* A, int64_t a_rs,
                             int64_t a_cs, PanelFn panel, float* C, int64_t c_rs,
                             const Epilogue& ep) {
  const bool in_place = ep.residual == C;
  if (!in_place)
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j) C[i * c_rs + j] = 0.0f;
  // In place, the residual already sits in C: accumulate onto it.
  generic_driver(M, N, K, A, a_rs, a_cs, panel, C, c_rs, 1, 1.0f, true);
  const bool clamp = !(ep.lo == -__builtin_inff() && ep.hi == __builtin_inff());
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      float& x = C[i * c_rs + j];
      if (ep.bias) x += ep.bias[j];
      if (ep.residual && !in_place) x += ep.residual[i * ep.res_rs + j];
      if (clamp) x = x < ep.lo ? ep.lo : x > ep.hi ? ep.hi : x;  // NaN stays NaN
      if (ep.hardswish) x = hardswish(x);
      if (ep.gelu) x = gelu(x);
    }
}

#if defined(__x86_64__)
bool cpu_has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
bool cpu_has_avx512() {
  __builtin_cpu_init();
  return cpu_has_avx2() && __builtin_cpu_supports("avx512f");
}
#else
bool cpu_has_avx2() {
  return false;
}
bool cpu_has_avx512() {
  return false;
}
#endif

const Isa& select() {
  // EMBER_PORTABLE_ISA caps the choice; unknown values are ignored.
  const char* force = getenv("EMBER_PORTABLE_ISA");
  int cap = 2;
  if (force != nullptr && strcmp(force, "generic") == 0) cap = 0;
  if (force != nullptr && strcmp(force, "avx2") == 0) cap = 1;
  if (cap >= 2)
    if (const Isa* isa = isa_named("avx512")) return *isa;
  if (cap >= 1)
    if (const Isa* isa = isa_named("avx2")) return *isa;
  return isa_generic();
}

}  // namespace

const Isa& isa_generic() {
  static const Isa table = {"generic",
                            &gemm_generic<float>,
                            &generic_driver,
                            &generic_driver_tiles,
                            &generic_driver_epilogue,
                            static_cast<int>(gemm_detail::kNR)};
  return table;
}

const Isa* isa_named(const char* name) {
  if (strcmp(name, "generic") == 0) return &isa_generic();
  if (strcmp(name, "avx2") == 0) return cpu_has_avx2() ? isa_avx2() : nullptr;
  if (strcmp(name, "avx512") == 0) return cpu_has_avx512() ? isa_avx512() : nullptr;
  return nullptr;
}

const Isa& active() {
  static const Isa& isa = select();
  return isa;
}

}  // namespace gemm_f32
}  // namespace kernels
}  // namespace ember
