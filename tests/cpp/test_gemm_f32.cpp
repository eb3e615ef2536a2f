// Every float32 GEMM path the CPU supports (generic, avx2, avx512; see gemm_f32.h) against a
// double-precision reference: odd sizes around the tile and block edges, row-/column-major
// and strided A, plain and transposed B, strided C, alpha, accumulation, K == 0, and the
// panel-provider drivers used by convolution.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include "runtime/kernels/portable/gemm.h"

// The AVX-512 configuration (16 lanes, 8 x 32 micro-tiles, 4-row dot blocks) compiled on plain
// C++ lanes, so its blocking and edge handling are checked on CPUs without AVX-512 too; only
// the intrinsic wrappers in gemm_f32_avx512.cpp are left to the real path.
namespace ember {
namespace kernels {
namespace gemm_f32 {
namespace emu16 {
namespace {

constexpr int VL = 16;
struct V {
  float x[VL];
};
inline V vset1(float a) {
  V v;
  for (float& x : v.x) x = a;
  return v;
}
inline V vzero() {
  return vset1(0.0f);
}
inline V vload(const float* p) {
  V v;
  memcpy(v.x, p, sizeof(v.x));
  return v;
}
inline void vstore(float* p, V v) {
  memcpy(p, v.x, sizeof(v.x));
}
inline V vfma(V a, V b, V c) {
  for (int i = 0; i < VL; ++i) c.x[i] = std::fma(a.x[i], b.x[i], c.x[i]);
  return c;
}
inline V vmul(V a, V b) {
  for (int i = 0; i < VL; ++i) a.x[i] *= b.x[i];
  return a;
}
inline V vadd(V a, V b) {
  for (int i = 0; i < VL; ++i) a.x[i] += b.x[i];
  return a;
}
inline V vdiv(V a, V b) {
  for (int i = 0; i < VL; ++i) a.x[i] /= b.x[i];
  return a;
}
// As x86 max/min: the second operand when either is NaN.
inline V vmax(V a, V b) {
  for (int i = 0; i < VL; ++i) b.x[i] = a.x[i] > b.x[i] ? a.x[i] : b.x[i];
  return b;
}
inline V vmin(V a, V b) {
  for (int i = 0; i < VL; ++i) b.x[i] = a.x[i] < b.x[i] ? a.x[i] : b.x[i];
  return b;
}
inline void vstream(float* p, V v) {
  memcpy(p, v.x, sizeof(v.x));
}
inline void vfence() {}
inline V vload_n(const float* p, int n) {
  V v = vzero();
  for (int i = 0; i < n; ++i) v.x[i] = p[i];
  return v;
}
inline void vstore_n(float* p, V v, int n) {
  for (int i = 0; i < n; ++i) p[i] = v.x[i];
}
inline float vsum(V v) {
  float s = 0.0f;
  for (float x : v.x) s += x;
  return s;
}

}  // namespace
}  // namespace emu16
}  // namespace gemm_f32
}  // namespace kernels
}  // namespace ember

#define EMBER_GEMM_ISA_NS emu16
#define EMBER_GEMM_ISA_NAME "avx512-layout-emulated"
#define EMBER_GEMM_ISA_TABLE isa_emu16_for_test
#define EMBER_GEMM_MR 8
#define EMBER_GEMM_NV 2
#define EMBER_GEMM_DOT_ROWS 4
#include "runtime/kernels/portable/gemm_f32_impl.inc"

namespace {

using ember::kernels::gemm_f32::Isa;
using ember::kernels::gemm_f32::isa_named;
using ember::kernels::gemm_f32::PanelFn;
using ember::kernels::gemm_f32::TileFn;

const int64_t kSizes[] = {1, 3, 7, 17, 33, 65, 129, 257};

struct Rng {
  uint64_t s = 0x9E3779B97F4A7C15ull;
  float next() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<float>(static_cast<int64_t>(s >> 40) % 2001 - 1000) / 1000.0f;
  }
};

// A strided view: element (i, j) at data[i * rs + j * cs].
struct Mat {
  std::vector<float> data;
  int64_t rs, cs;
  float at(int64_t i, int64_t j) const { return data[i * rs + j * cs]; }
};

// rows x cols filled with random values; transposed storage when col_major; `pad` extra
// elements per leading dimension so strides differ from the sizes.
Mat make(int64_t rows, int64_t cols, bool col_major, int64_t pad, Rng& rng) {
  Mat m;
  const int64_t ld = (col_major ? rows : cols) + pad;
  m.data.resize(static_cast<size_t>((col_major ? cols : rows) * ld));
  for (float& x : m.data) x = rng.next();
  m.rs = col_major ? 1 : ld;
  m.cs = col_major ? ld : 1;
  return m;
}

// A @ B in double, and sum |A(i,k) B(k,j)| for the error bound; computed once per operand pair
// and shared by all paths.
struct Ref {
  int64_t M, N, K;
  std::vector<double> ab, mag;
  Ref(int64_t m, int64_t n, int64_t k, const Mat& A, const Mat& B) : M(m), N(n), K(k) {
    ab.assign(static_cast<size_t>(M * N), 0.0);
    mag.assign(static_cast<size_t>(M * N), 0.0);
    for (int64_t i = 0; i < M; ++i)
      for (int64_t kk = 0; kk < K; ++kk) {
        const double a = A.at(i, kk);
        for (int64_t j = 0; j < N; ++j) {
          const double p = a * B.at(kk, j);
          ab[static_cast<size_t>(i * N + j)] += p;
          mag[static_cast<size_t>(i * N + j)] += std::fabs(p);
        }
      }
  }
};

// Checks C (strided, c_rs/c_cs) == alpha * A @ B + (accumulate ? C0 : 0).
void expect_product(const char* what, const Ref& r, const std::vector<float>& C0,
                    const std::vector<float>& C, int64_t c_rs, int64_t c_cs, float alpha,
                    bool accumulate) {
  int bad = 0;
  for (int64_t i = 0; i < r.M && bad < 5; ++i)
    for (int64_t j = 0; j < r.N && bad < 5; ++j) {
      double ref = alpha * r.ab[static_cast<size_t>(i * r.N + j)];
      double mag = std::fabs(alpha) * r.mag[static_cast<size_t>(i * r.N + j)];
      const size_t idx = static_cast<size_t>(i * c_rs + j * c_cs);
      if (accumulate) {
        ref += C0[idx];
        mag += std::fabs(C0[idx]);
      }
      const double got = C[idx];
      if (!(std::fabs(got - ref) <= 1e-5 * mag + 1e-6)) {
        ADD_FAILURE() << what << " M=" << r.M << " N=" << r.N << " K=" << r.K << " alpha=" << alpha
                      << " acc=" << accumulate << " at (" << i << ", " << j << "): got " << got
                      << ", expected " << ref;
        ++bad;
      }
    }
}

std::vector<const Isa*> paths() {
  std::vector<const Isa*> out;
  for (const char* name : {"generic", "avx2", "avx512"}) {
    const Isa* isa = isa_named(name);
    if (isa != nullptr)
      out.push_back(isa);
    else
      printf("[ gemm_f32 ] skipping %s: not built or not supported by this CPU\n", name);
  }
  out.push_back(ember::kernels::gemm_f32::isa_emu16_for_test());
  return out;
}

// Output buffer for an M x N C with strides; NaN where the product overwrites, so a path that
// reads C when it must not shows up.
std::vector<float> make_c(int64_t M, int64_t N, int64_t c_rs, int64_t c_cs, bool accumulate,
                          Rng& rng) {
  std::vector<float> c(static_cast<size_t>((M - 1) * c_rs + (N - 1) * c_cs + 1));
  for (float& x : c) x = accumulate ? rng.next() : std::numeric_limits<float>::quiet_NaN();
  return c;
}

TEST(GemmF32, StridedMatchesReference) {
  Rng rng;
  const std::vector<const Isa*> isas = paths();
  int variant = 0;
  for (int64_t M : kSizes)
    for (int64_t N : kSizes)
      for (int64_t K : kSizes) {
        // Cycle through the layouts so every size triple is covered by some of them.
        const int v = variant++;
        const bool a_col = v % 3 == 1, b_trans = (v / 3) % 2 == 1;
        const bool accumulate = v % 5 == 2;
        const float alpha = v % 7 == 3 ? -1.5f : 1.0f;
        const Mat A = make(M, K, a_col, v % 2, rng), B = make(K, N, b_trans, v % 3, rng);
        const Ref ref(M, N, K, A, B);
        const int64_t c_rs = N + v % 4, c_cs = 1;
        const std::vector<float> C0 = make_c(M, N, c_rs, c_cs, accumulate, rng);
        for (const Isa* isa : isas) {
          std::vector<float> C = C0;
          isa->gemm(M, N, K, A.data.data(), A.rs, A.cs, B.data.data(), B.rs, B.cs, C.data(), c_rs,
                    c_cs, alpha, accumulate);
          expect_product(isa->name, ref, C0, C, c_rs, c_cs, alpha, accumulate);
        }
      }
}

TEST(GemmF32, SkinnyAndStridedOperands) {
  Rng rng;
  const std::vector<const Isa*> isas = paths();
  struct Case {
    int64_t M, N, K;
  } cases[] = {{1, 1, 1},    {1, 1000, 300}, {2, 65, 513}, {7, 300, 129}, {300, 1, 33},
               {3, 3, 1000}, {260, 40, 70},  {513, 33, 5}, {4, 257, 17},  {5, 4, 257}};
  for (const Case& cs : cases)
    for (int layout = 0; layout < 6; ++layout) {
      const int64_t M = cs.M, N = cs.N, K = cs.K;
      const bool accumulate = layout % 2 == 1;
      Mat A = make(M, K, layout / 2 == 1, 1, rng), B = make(K, N, layout / 2 == 2, 0, rng);
      if (layout == 5) {  // general strides: every other element of a wider matrix
        A = make(M, 2 * K, false, 0, rng);
        A.cs = 2;
      }
      const Ref ref(M, N, K, A, B);
      // Column-major C on odd layouts.
      const int64_t c_rs = layout % 2 ? 1 : N, c_cs = layout % 2 ? M : 1;
      const std::vector<float> C0 = make_c(M, N, c_rs, c_cs, accumulate, rng);
      for (const Isa* isa : isas) {
        std::vector<float> C = C0;
        isa->gemm(M, N, K, A.data.data(), A.rs, A.cs, B.data.data(), B.rs, B.cs, C.data(), c_rs,
                  c_cs, 0.5f, accumulate);
        expect_product(isa->name, ref, C0, C, c_rs, c_cs, 0.5f, accumulate);
      }
    }
}

TEST(GemmF32, EmptyK) {
  for (const Isa* isa : paths()) {
    std::vector<float> C(12, 3.0f);
    isa->gemm(3, 4, 0, nullptr, 0, 1, nullptr, 4, 1, C.data(), 4, 1, 1.0f, true);
    for (float x : C) EXPECT_EQ(x, 3.0f) << isa->name;
    isa->gemm(3, 4, 0, nullptr, 0, 1, nullptr, 4, 1, C.data(), 4, 1, 1.0f, false);
    for (float x : C) EXPECT_EQ(x, 0.0f) << isa->name;
  }
}

// Provider over a row-major B that packs panels (as the im2col provider does) and returns
// full panels in place every other call (as the transposed-convolution provider may).
struct Provider {
  const Mat* B;
  int64_t calls = 0;
  static const float* fn(void* ctx, int64_t pc, int64_t kc, int64_t jr, int64_t nr, int width,
                         float* buf, int64_t* ld) {
    Provider& p = *static_cast<Provider*>(ctx);
    EXPECT_LE(kc, ember::kernels::gemm_f32::kPanelKC);
    EXPECT_LE(width, ember::kernels::gemm_f32::kMaxPanelNR);
    EXPECT_LE(nr, width);
    if (nr == width && p.calls++ % 2 == 0) {
      *ld = p.B->rs;
      return p.B->data.data() + pc * p.B->rs + jr;
    }
    for (int64_t k = 0; k < kc; ++k)
      for (int64_t c = 0; c < width; ++c)
        buf[k * width + c] = c < nr ? p.B->at(pc + k, jr + c) : 0.0f;
    *ld = width;
    return buf;
  }
};

// B packed once into panels of `width` columns ([K][width] each, zero-padded), returned in
// place: a stable provider that never touches the driver's buffer.
struct Prepacked {
  std::vector<float> data;
  int64_t K, width;
  Prepacked(const Mat& B, int64_t K_, int64_t N, int w) : K(K_), width(w) {
    const int64_t panels = (N + w - 1) / w;
    data.assign(static_cast<size_t>(panels * w * (K > 0 ? K : 1)), 0.0f);
    for (int64_t p = 0; p < panels; ++p)
      for (int64_t k = 0; k < K; ++k)
        for (int64_t j = 0; j < w && p * w + j < N; ++j)
          data[static_cast<size_t>((p * K + k) * w + j)] = B.at(k, p * w + j);
  }
  static const float* fn(void* ctx, int64_t pc, int64_t kc, int64_t jr, int64_t, int w, float*,
                         int64_t* ld) {
    const Prepacked& p = *static_cast<const Prepacked*>(ctx);
    EXPECT_EQ(w, p.width);
    EXPECT_LE(pc + kc, p.K);
    *ld = w;
    return p.data.data() + (jr / w) * p.K * w + pc * w;
  }
  // Announces the panels as lying in memory: the GEMM may then prefetch them and take several
  // at once (panel groups, when K is one block).
  static const float* resident(void* ctx, int64_t pc, int64_t jr, int w, int64_t* ld) {
    const Prepacked& p = *static_cast<const Prepacked*>(ctx);
    EXPECT_EQ(w, p.width);
    EXPECT_LT(pc, p.K);
    *ld = w;
    return p.data.data() + (jr / w) * p.K * w + pc * w;
  }
};

struct TileSum {
  std::vector<float>* C;
  int64_t ldc, N;
  static void fn(void* ctx, int64_t i0, int r, int64_t j0, int64_t nr, const float* tile) {
    TileSum& t = *static_cast<TileSum*>(ctx);
    constexpr int W = ember::kernels::gemm_f32::kPanelNR;
    EXPECT_LE(nr, W);
    EXPECT_LE(j0 + nr, t.N);
    for (int i = 0; i < r; ++i)
      for (int64_t c = 0; c < nr; ++c) (*t.C)[(i0 + i) * t.ldc + j0 + c] += tile[i * W + c];
  }
};

TEST(GemmF32, DriversMatchReference) {
  Rng rng;
  const std::vector<const Isa*> isas = paths();
  const int64_t sizes[] = {1, 7, 17, 65, 257};
  for (int64_t M : sizes)
    for (int64_t N : sizes)
      for (int64_t K : sizes) {
        const bool a_col = (M + N + K) % 2 == 0;
        const Mat A = make(M, K, a_col, 0, rng), B = make(K, N, false, 1, rng);
        const Ref ref(M, N, K, A, B);
        const std::vector<float> C0 = make_c(M, N, N, 1, true, rng);
        const std::vector<float> T0(static_cast<size_t>(M * N), 0.0f);
        for (const Isa* isa : isas) {
          Provider prov{&B};
          const PanelFn pf{&Provider::fn, &prov};
          std::vector<float> C = C0;
          isa->driver(M, N, K, A.data.data(), A.rs, A.cs, pf, C.data(), N, 1, 1.0f, true);
          expect_product(isa->name, ref, C0, C, N, 1, 1.0f, true);

          std::vector<float> T = T0;
          TileSum sum{&T, N, N};
          isa->driver_tiles(M, N, K, A.data.data(), A.rs, A.cs, pf, TileFn{&TileSum::fn, &sum});
          expect_product(isa->name, ref, T0, T, N, 1, 1.0f, false);
        }
      }
}

// driver_epilogue: bias, residual, clamp and hardswish or GELU fused into the store, on every path.
// C starts as NaN (unless it holds the residual in place) so a path that reads the output before
// its first write shows up; one input row holds a NaN to check it propagates through the clamp.
TEST(GemmF32, DriverEpilogueMatchesReference) {
  using ember::kernels::gemm_f32::Epilogue;
  Rng rng;
  const std::vector<const Isa*> isas = paths();
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  struct Clamp {
    float lo, hi;
  } clamps[] = {{-inf, inf}, {0.0f, inf}, {0.0f, 6.0f}, {-0.25f, 0.25f}};
  const int64_t sizes[] = {1, 7, 17, 40, 65, 257};
  int variant = 0;
  for (int64_t M : sizes)
    for (int64_t N : sizes)
      // 520 and 1000 are one K block with resident panels (several M blocks at M = 257 for
      // 1000), 1100 is three.
      for (int64_t K : {int64_t(0), int64_t(1), int64_t(16), int64_t(257), int64_t(520),
                        int64_t(1000), int64_t(1100)}) {
        const int v = variant++;
        const Clamp cl = clamps[v % 4];
        const bool with_bias = v % 3 != 1;
        const bool with_hardswish = v % 5 == 2;
        const bool with_gelu = v % 5 == 4;
        const int residual_mode = (v / 3) % 3;  // 0 none, 1 separate buffer, 2 in place (C itself)
        Mat A = make(M, K, false, v % 2, rng);
        if (K > 0 && M > 2) A.data[static_cast<size_t>(2 * A.rs)] = nan;
        const Mat B = make(K, N, false, 1, rng);
        std::vector<float> bias(static_cast<size_t>(N));
        for (float& b : bias) b = rng.next();
        const int64_t c_rs = N + v % 3;
        std::vector<float> res(static_cast<size_t>(M * c_rs));
        for (float& r : res) r = rng.next();
        for (const Isa* isa : isas) {
          Provider prov{&B};
          // Every other case reads B as the cpu backend does: prepacked panels returned in
          // place, half of them announced as resident (prefetched, and grouped when K is one
          // block).
          const Prepacked pre(B, K, N, isa->panel_width);
          Prepacked* const pp = const_cast<Prepacked*>(&pre);
          const PanelFn pf = v % 2 == 0         ? PanelFn{&Provider::fn, &prov}
                             : (v / 7) % 2 == 0 ? PanelFn{&Prepacked::fn, pp}
                                                : PanelFn{&Prepacked::fn, pp, &Prepacked::resident};
          std::vector<float> C = residual_mode == 2 ? res : std::vector<float>(res.size(), nan);
          const float* residual = residual_mode == 0   ? nullptr
                                  : residual_mode == 1 ? res.data()
                                                       : C.data();
          const Epilogue ep{with_bias ? bias.data() : nullptr,
                            residual,
                            c_rs,
                            cl.lo,
                            cl.hi,
                            with_hardswish,
                            with_gelu};
          isa->driver_epilogue(M, N, K, A.data.data(), A.rs, A.cs, pf, C.data(), c_rs, ep);
          int bad = 0;
          for (int64_t i = 0; i < M && bad < 5; ++i)
            for (int64_t j = 0; j < N && bad < 5; ++j) {
              double ref = with_bias ? bias[static_cast<size_t>(j)] : 0.0, mag = std::fabs(ref);
              if (residual_mode != 0) {
                ref += res[static_cast<size_t>(i * c_rs + j)];
                mag += std::fabs(res[static_cast<size_t>(i * c_rs + j)]);
              }
              for (int64_t k = 0; k < K; ++k) {
                ref += static_cast<double>(A.at(i, k)) * B.at(k, j);
                mag += std::fabs(static_cast<double>(A.at(i, k)) * B.at(k, j));
              }
              const double got = C[static_cast<size_t>(i * c_rs + j)];
              bool ok;
              if (std::isnan(ref)) {
                ok = std::isnan(got);
              } else {
                double want = std::min<double>(std::max<double>(ref, cl.lo), cl.hi);
                if (with_hardswish) {
                  want = want * std::min(std::max(want + 3.0, 0.0), 6.0) / 6.0;
                  mag *= 1.0 + std::fabs(want);  // the error scales with the gain (up to |x|)
                }
                if (with_gelu) {  // exact GELU: slope <= 1.13, and the rational erf is within
                                  // 4e-7 (0.5 |x| 4e-7 more)
                  want = 0.5 * want * (1.0 + std::erf(want / std::sqrt(2.0)));
                  mag = mag * 1.2 + 0.05 * std::fabs(want);
                }
                ok = std::fabs(got - want) <= 1e-5 * mag + 1e-6;
              }
              if (!ok) {
                ADD_FAILURE() << isa->name << " M=" << M << " N=" << N << " K=" << K
                              << " bias=" << with_bias << " hardswish=" << with_hardswish
                              << " gelu=" << with_gelu << " residual=" << residual_mode
                              << " clamp=[" << cl.lo << ", " << cl.hi << "] at (" << i << ", " << j
                              << "): got " << got << ", expected " << ref << " before the clamp";
                ++bad;
              }
            }
        }
      }
}

// An output big enough (>= 16 MB, one K block) for driver_epilogue to stream it past the caches,
// in a 64-byte-aligned buffer so the non-temporal stores are taken: same results as the
// reference, ragged column and row edges included (several M blocks, resident panels taken in
// groups).
TEST(GemmF32, DriverEpilogueStreamsLargeOutputs) {
  using ember::kernels::gemm_f32::Epilogue;
  Rng rng;
  const int64_t M = 8201, N = 520, K = 24;  // 17 MB of output
  const Mat A = make(M, K, false, 0, rng), B = make(K, N, false, 0, rng);
  std::vector<float> bias(static_cast<size_t>(N));
  for (float& b : bias) b = rng.next();
  const size_t bytes = (static_cast<size_t>(M * N) * sizeof(float) + 63) / 64 * 64;
  float* C = static_cast<float*>(aligned_alloc(64, bytes));
  ASSERT_NE(C, nullptr);
  for (const Isa* isa : paths()) {
    for (int64_t i = 0; i < M * N; ++i) C[i] = std::numeric_limits<float>::quiet_NaN();
    const Prepacked pre(B, K, N, isa->panel_width);
    const Epilogue ep{bias.data(), nullptr, N, 0.0f, std::numeric_limits<float>::infinity()};
    isa->driver_epilogue(
        M, N, K, A.data.data(), A.rs, A.cs,
        PanelFn{&Prepacked::fn, const_cast<Prepacked*>(&pre), &Prepacked::resident}, C, N, ep);
    int bad = 0;
    for (int64_t i = 0; i < M && bad < 5; ++i)
      for (int64_t j = 0; j < N && bad < 5; ++j) {
        double ref = bias[static_cast<size_t>(j)], mag = std::fabs(ref);
        for (int64_t k = 0; k < K; ++k) {
          ref += static_cast<double>(A.at(i, k)) * B.at(k, j);
          mag += std::fabs(static_cast<double>(A.at(i, k)) * B.at(k, j));
        }
        ref = std::max(ref, 0.0);
        const double got = C[i * N + j];
        if (!(std::fabs(got - ref) <= 1e-5 * mag + 1e-6)) {
          ADD_FAILURE() << isa->name << " at (" << i << ", " << j << "): got " << got
                        << ", expected " << ref;
          ++bad;
        }
      }
  }
  free(C);
}

}  // namespace
