// Run-time ISA dispatch for the float32 GEMM (see gemm.h).
//
// The portable kernels are compiled for the baseline ISA, so gemm<float>() and the float32
// gemm_driver*() forward to a table of entry points chosen once per process from the CPU's
// features: "avx512" (AVX-512F, gemm_f32_avx512.cpp), "avx2" (AVX2 + FMA, gemm_f32_avx2.cpp)
// or "generic" (the templates in gemm.h, also used for every other type). Each ISA file
// compiles gemm_f32_impl.inc with its own -m flags; nothing built with those flags runs unless
// the CPU has them. The environment variable EMBER_PORTABLE_ISA=generic|avx2|avx512 caps the
// choice (tests run every path that way); a path the CPU lacks falls back to the next one down.
//
// Only plain declarations live here: the header is included by baseline-ISA code.
#pragma once

#include <cstdint>

namespace ember {
namespace kernels {
namespace gemm_f32 {

// Shape of the blocks exchanged with panel providers and tile consumers: panels of at most
// kPanelKC rows (gemm_detail::kKC) and at most kMaxPanelNR columns; tiles of kPanelNR columns
// (gemm_detail::kNR).
constexpr int kPanelNR = 8;
constexpr int kMaxPanelNR = 32;
constexpr int64_t kPanelKC =
    384;  // 384 beat 256 and 512 on this project's layer shapes (bench/gemm_bench.cpp)

// The panel provider of gemm_driver (gemm.h), type-erased so the ISA files can call it:
// fn(ctx, pc, kc, jr, nr, width, buf, &ld) returns a kc x width block of B.
// Optional: resident(ctx, pc, jr, width, &ld) says where panel (pc, jr) already lies in memory
// (row stride ld), for providers that hand out panels in place (prepacked weights), so the
// GEMM can prefetch the next panel while it works on this one; null where it is built on demand.
// Where given, it must return every panel, each readable from row pc down to row K - 1: the
// GEMM then takes K up to 1024 deep in one block, deeper than kPanelKC.
struct PanelFn {
  const float* (*fn)(void* ctx, int64_t pc, int64_t kc, int64_t jr, int64_t nr, int width,
                     float* buf, int64_t* ld);
  void* ctx;
  const float* (*resident)(void* ctx, int64_t pc, int64_t jr, int width, int64_t* ld) = nullptr;
};

// The tile consumer of gemm_driver_tiles (gemm.h): fn(ctx, i0, r, j0, nr, tile) with an
// r x gemm_detail::kNR row-major tile.
struct TileFn {
  void (*fn)(void* ctx, int64_t i0, int r, int64_t j0, int64_t nr, const float* tile);
  void* ctx;
};

// What driver_epilogue adds to the product before storing it: a per-column bias (N values), a
// residual matrix of C's shape (row stride res_rs; may be C itself), then a clamp to [lo, hi].
// Null pointers and an infinite range skip the part.
struct Epilogue {
  const float* bias;
  const float* residual;
  int64_t res_rs;
  float lo, hi;
  // Then x * min(max(x + 3, 0), 6) / 6 (PyTorch's hardswish), after the clamp.
  bool hardswish = false;
  // Then 0.5 x (1 + erf(x / sqrt(2))) (PyTorch's exact GELU; gelu_erf.h), after the clamp.
  bool gelu = false;
};

struct Isa {
  const char* name;
  void (*gemm)(int64_t M, int64_t N, int64_t K, const float* A, int64_t a_rs, int64_t a_cs,
               const float* B, int64_t b_rs, int64_t b_cs, float* C, int64_t c_rs, int64_t c_cs,
               float alpha, bool accumulate);
  void (*driver)(int64_t M, int64_t N, int64_t K, const float* A, int64_t a_rs, int64_t a_cs,
                 PanelFn panel, float* C, int64_t c_rs, int64_t c_cs, float alpha, bool accumulate);
  void (*driver_tiles)(int64_t M, int64_t N, int64_t K, const float* A, int64_t a_rs, int64_t a_cs,
                       PanelFn panel, TileFn store);
  // C[M, N] (row stride c_rs, contiguous columns) = min(max(A @ B + bias + residual, lo), hi)
  // (then hardswish where ep.hardswish, GELU where ep.gelu)
  // with the epilogue applied as tiles are stored: the output is written once, never read back
  // for a separate bias, residual-add or activation pass. NaN propagates.
  void (*driver_epilogue)(int64_t M, int64_t N, int64_t K, const float* A, int64_t a_rs,
                          int64_t a_cs, PanelFn panel, float* C, int64_t c_rs, const Epilogue& ep);
  // The `width` this path passes to panel providers: callers that pack B once ahead of time
  // (e.g. constant weights) lay it out in panels of this many columns.
  int panel_width;
};

// x * min(max(x + 3, 0), 6) / 6 (PyTorch's hardswish, NaN kept), as every path's epilogue
// computes it lane by lane. Defined in the baseline-ISA dispatch file.
float hardswish(float x);
// gelu_erf.h's GELU, for the same purpose.
float gelu(float x);

// The table in use, selected on first call (CPU features, EMBER_PORTABLE_ISA).
const Isa& active();

// The named path ("generic", "avx2", "avx512"), or nullptr when it is not built or the CPU
// lacks it. For benchmarks and tests that compare the paths in one process.
const Isa* isa_named(const char* name);

// The ISA tables; each returns nullptr when its file was built without the ISA's flags.
const Isa* isa_avx2();
const Isa* isa_avx512();
const Isa& isa_generic();

}  // namespace gemm_f32
}  // namespace kernels
}  // namespace ember
