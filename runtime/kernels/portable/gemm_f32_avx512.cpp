// The float32 GEMM with AVX-512F: 8 x 32 micro-tiles (16 zmm accumulators) and mask registers
// for ragged edges. Built with -mavx512f -mavx2 -mfma where the target and compiler allow it
// (runtime/CMakeLists.txt); only called when the CPU has them (gemm_f32_dispatch.cpp).
#include "runtime/kernels/portable/gemm_f32.h"

#if defined(__x86_64__) && defined(__AVX512F__) && defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

namespace ember {
namespace kernels {
namespace gemm_f32 {
namespace avx512 {
namespace {

using V = __m512;
constexpr int VL = 16;

inline V vzero() {
  return _mm512_setzero_ps();
}
inline V vload(const float* p) {
  return _mm512_loadu_ps(p);
}
inline void vstore(float* p, V v) {
  _mm512_storeu_ps(p, v);
}
inline V vset1(float x) {
  return _mm512_set1_ps(x);
}
inline V vfma(V a, V b, V c) {
  return _mm512_fmadd_ps(a, b, c);
}
inline V vmul(V a, V b) {
  return _mm512_mul_ps(a, b);
}
inline V vadd(V a, V b) {
  return _mm512_add_ps(a, b);
}
inline V vdiv(V a, V b) {
  return _mm512_div_ps(a, b);
}
// The second operand when either is NaN: vmax(lo, x) and vmin(hi, x) keep a NaN x. (The
// zero-masked forms avoid GCC 12's false maybe-uninitialized warning, as in vsum.)
inline V vmax(V a, V b) {
  return _mm512_maskz_max_ps(0xFFFF, a, b);
}
inline V vmin(V a, V b) {
  return _mm512_maskz_min_ps(0xFFFF, a, b);
}
// Lanes 0..n-1 (n in 0..16): masked-off lanes are neither read nor written (nor fault).
inline __mmask16 lane_mask(int n) {
  return static_cast<__mmask16>((1u << n) - 1u);
}
inline V vload_n(const float* p, int n) {
  return _mm512_maskz_loadu_ps(lane_mask(n), p);
}
// Non-temporal store of a full vector (p aligned to the vector size): bypasses the cache and
// its read-for-ownership; vfence orders such stores before later ones.
inline void vstream(float* p, V v) {
  _mm512_stream_ps(p, v);
}
inline void vfence() {
  _mm_sfence();
}
inline void vstore_n(float* p, V v, int n) {
  _mm512_mask_storeu_ps(p, lane_mask(n), v);
}
// Folds 256- then 128-bit halves (the zero-masked forms avoid GCC 12's false
// maybe-uninitialized warning in _mm512_reduce_add_ps), then sums four lanes.
inline float vsum(V v) {
  v = _mm512_add_ps(v, _mm512_maskz_shuffle_f32x4(0xFFFF, v, v, 0x4E));
  v = _mm512_add_ps(v, _mm512_maskz_shuffle_f32x4(0xFFFF, v, v, 0xB1));
  __m128 s = _mm512_maskz_extractf32x4_ps(0xF, v, 0);
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

}  // namespace
}  // namespace avx512
}  // namespace gemm_f32
}  // namespace kernels
}  // namespace ember

#define EMBER_GEMM_ISA_NS avx512
#define EMBER_GEMM_ISA_NAME "avx512"
#define EMBER_GEMM_ISA_TABLE isa_avx512
#define EMBER_GEMM_MR 8
#define EMBER_GEMM_NV 2
#define EMBER_GEMM_DOT_ROWS 4
#include "runtime/kernels/portable/gemm_f32_impl.inc"

#else

const ember::kernels::gemm_f32::Isa* ember::kernels::gemm_f32::isa_avx512() {
  return nullptr;
}

#endif
