// The float32 GEMM with AVX2 + FMA: 6 x 16 micro-tiles (12 ymm accumulators). Built with
// -mavx2 -mfma where the target and compiler allow it (runtime/CMakeLists.txt); only called
// when the CPU has both (gemm_f32_dispatch.cpp).
#include "runtime/kernels/portable/gemm_f32.h"

#if defined(__x86_64__) && defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

namespace ember {
namespace kernels {
namespace gemm_f32 {
namespace avx2 {
namespace {

using V = __m256;
constexpr int VL = 8;

inline V vzero() {
  return _mm256_setzero_ps();
}
inline V vload(const float* p) {
  return _mm256_loadu_ps(p);
}
inline void vstore(float* p, V v) {
  _mm256_storeu_ps(p, v);
}
inline V vset1(float x) {
  return _mm256_set1_ps(x);
}
inline V vfma(V a, V b, V c) {
  return _mm256_fmadd_ps(a, b, c);
}
inline V vmul(V a, V b) {
  return _mm256_mul_ps(a, b);
}
inline V vadd(V a, V b) {
  return _mm256_add_ps(a, b);
}
inline V vdiv(V a, V b) {
  return _mm256_div_ps(a, b);
}
// The second operand when either is NaN: vmax(lo, x) and vmin(hi, x) keep a NaN x.
inline V vmax(V a, V b) {
  return _mm256_max_ps(a, b);
}
inline V vmin(V a, V b) {
  return _mm256_min_ps(a, b);
}
// All-ones in lanes 0..n-1: masked-off lanes are neither read nor written.
inline __m256i lane_mask(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
inline V vload_n(const float* p, int n) {
  return _mm256_maskload_ps(p, lane_mask(n));
}
// Non-temporal store of a full vector (p aligned to the vector size): bypasses the cache and
// its read-for-ownership; vfence orders such stores before later ones.
inline void vstream(float* p, V v) {
  _mm256_stream_ps(p, v);
}
inline void vfence() {
  _mm_sfence();
}
inline void vstore_n(float* p, V v, int n) {
  _mm256_maskstore_ps(p, lane_mask(n), v);
}
inline float vsum(V v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

}  // namespace
}  // namespace avx2
}  // namespace gemm_f32
}  // namespace kernels
}  // namespace ember

#define EMBER_GEMM_ISA_NS avx2
#define EMBER_GEMM_ISA_NAME "avx2"
#define EMBER_GEMM_ISA_TABLE isa_avx2
#define EMBER_GEMM_MR 6
#define EMBER_GEMM_NV 2
#define EMBER_GEMM_DOT_ROWS 2
#include "runtime/kernels/portable/gemm_f32_impl.inc"

#else

const ember::kernels::gemm_f32::Isa* ember::kernels::gemm_f32::isa_avx2() {
  return nullptr;
}

#endif
