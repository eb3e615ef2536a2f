// ember-gemm-bench: single-thread float32 GEMM throughput of each portable ISA path
// (generic, avx2, avx512; see runtime/kernels/portable/gemm_f32.h). A benchmark, not a test:
// prints the median GFLOP/s over several timed samples for square and skinny shapes, with B
// plain (mm, "N") and transposed (linear, "T"), and for the model layer shapes the cpu backend
// runs with prepacked weights through driver_epilogue ("P").
//
//   ember-gemm-bench [--samples N] [--min-ms T] [--quick] [--cold] [--no-prefetch] [--residual]
//                    [--isa generic|avx2|avx512] [--shape M,N,K]...
//
// --shape (repeatable) measures only the given prepacked shapes. --cold rotates each prepacked
// shape's weights through copies totalling 64 MB or more, so every call finds them out of the
// caches, as a model's layers do (each layer's weights are read once per inference).
// --no-prefetch hides from the GEMM that prepacked panels lie in memory, so it does not
// prefetch the next one (the A/B comparison for that prefetch). --residual adds a residual
// operand of C's shape to the prepacked shapes' epilogue. --isa measures only that path.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "runtime/kernels/portable/gemm_f32.h"

namespace {

using ember::kernels::gemm_f32::Isa;
using ember::kernels::gemm_f32::isa_named;

struct Shape {
  int64_t M, N, K;
  bool trans_b;
  // B (weights) packed once into the path's panels and the product taken through
  // driver_epilogue with a bias and a ReLU: the cpu backend's dense layers.
  bool prepacked = false;
};

struct PackedPanels {
  const float* packed;
  int64_t K;
  static const float* fn(void* ctx, int64_t pc, int64_t, int64_t jr, int64_t, int width, float*,
                         int64_t* ld) {
    const PackedPanels& p = *static_cast<const PackedPanels*>(ctx);
    *ld = width;
    return p.packed + (jr / width) * p.K * width + pc * width;
  }
  // Announced to the GEMM as lying in memory (it prefetches the next panel); --no-prefetch
  // leaves this out of the PanelFn.
  static const float* resident(void* ctx, int64_t pc, int64_t jr, int width, int64_t* ld) {
    return fn(ctx, pc, 0, jr, 0, width, nullptr, ld);
  }
};

double now_s() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

// Median GFLOP/s of `samples` samples, each repeating the call until it lasts >= min_ms.
double measure(const Isa& isa, const Shape& s, const std::vector<float>& A,
               const std::vector<float>& B, std::vector<float>& C, int samples, double min_ms,
               bool cold, bool prefetch, bool residual) {
  const int64_t b_rs = s.trans_b ? 1 : s.N, b_cs = s.trans_b ? s.K : 1;
  // Prepacked: B as [K, N] into ceil(N / w) panels of [K][w] (zero-padded columns).
  const int64_t w = isa.panel_width, panels = (s.N + w - 1) / w;
  std::vector<float> packed, bias(static_cast<size_t>(s.N), 0.01f);
  if (s.prepacked) {
    packed.assign(static_cast<size_t>(panels * w * s.K), 0.0f);
    for (int64_t p = 0; p < panels; ++p)
      for (int64_t k = 0; k < s.K; ++k)
        for (int64_t j = 0; j < w && p * w + j < s.N; ++j)
          packed[static_cast<size_t>((p * s.K + k) * w + j)] =
              B[static_cast<size_t>(k * s.N + p * w + j)];
  }
  // --cold: copies of the packed weights, one per call in turn.
  const size_t copies = cold && s.prepacked
                            ? std::max<size_t>(1, (64u << 20) / (packed.size() * sizeof(float)) + 1)
                            : 1;
  std::vector<std::vector<float>> rotation(copies, packed);
  size_t next = 0;
  PackedPanels pp{packed.data(), s.K};
  // --residual: a fused residual add of C's shape, as in a resnet block's last convolution.
  std::vector<float> res(residual ? static_cast<size_t>(s.M * s.N) : 0, 0.5f);
  const ember::kernels::gemm_f32::Epilogue ep{bias.data(), residual ? res.data() : nullptr, s.N,
                                              0.0f, __builtin_inff()};
  auto call = [&] {
    pp.packed = rotation[next].data();
    next = (next + 1) % copies;
    if (s.prepacked)
      isa.driver_epilogue(s.M, s.N, s.K, A.data(), s.K, 1,
                          ember::kernels::gemm_f32::PanelFn{
                              &PackedPanels::fn, &pp, prefetch ? &PackedPanels::resident : nullptr},
                          C.data(), s.N, ep);
    else
      isa.gemm(s.M, s.N, s.K, A.data(), s.K, 1, B.data(), b_rs, b_cs, C.data(), s.N, 1, 1.0f,
               false);
  };
  call();  // warm up caches and the dispatch table
  int reps = 1;
  for (;;) {
    const double t0 = now_s();
    for (int r = 0; r < reps; ++r) call();
    if ((now_s() - t0) * 1e3 >= min_ms || reps >= (1 << 20)) break;
    reps *= 2;
  }
  std::vector<double> gflops;
  for (int i = 0; i < samples; ++i) {
    const double t0 = now_s();
    for (int r = 0; r < reps; ++r) call();
    const double dt = (now_s() - t0) / reps;
    gflops.push_back(2.0 * s.M * s.N * s.K / dt * 1e-9);
  }
  std::sort(gflops.begin(), gflops.end());
  return gflops[gflops.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int samples = 7;
  double min_ms = 20.0;
  bool quick = false, cold = false, prefetch = true, residual = false;
  std::vector<Shape> only;
  const char* only_isa = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--samples") == 0 && i + 1 < argc) {
      samples = std::max(1, atoi(argv[++i]));
    } else if (strcmp(argv[i], "--min-ms") == 0 && i + 1 < argc) {
      min_ms = atof(argv[++i]);
    } else if (strcmp(argv[i], "--shape") == 0 && i + 1 < argc) {
      long long m = 0, n = 0, k = 0;
      if (sscanf(argv[++i], "%lld,%lld,%lld", &m, &n, &k) != 3 || m <= 0 || n <= 0 || k <= 0) {
        fprintf(stderr, "--shape wants M,N,K (positive integers), got '%s'\n", argv[i]);
        return 2;
      }
      only.push_back({m, n, k, false, true});
    } else if (strcmp(argv[i], "--cold") == 0) {
      cold = true;
    } else if (strcmp(argv[i], "--no-prefetch") == 0) {
      prefetch = false;
    } else if (strcmp(argv[i], "--residual") == 0) {
      residual = true;
    } else if (strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else if (strcmp(argv[i], "--isa") == 0 && i + 1 < argc) {
      only_isa = argv[++i];
    } else {
      fprintf(stderr,
              "usage: %s [--samples N] [--min-ms T] [--quick] [--cold] [--no-prefetch] "
              "[--residual] [--isa generic|avx2|avx512] [--shape M,N,K]...\n",
              argv[0]);
      return 2;
    }
  }
  std::vector<Shape> shapes;
  const int64_t sizes[] = {64, 256, 512, 1024};
  for (int64_t n : sizes)
    if (!quick || n <= 512) shapes.push_back({n, n, n, false});
  for (int64_t m : {1, 7})
    for (int64_t n : {256, 1024}) {
      shapes.push_back({m, n, n, false});
      shapes.push_back({m, n, n, true});
    }
  shapes.push_back({64, 3136, 576, false});  // resnet 3x3 conv 64->64 at 56x56 as im2col GEMM
  shapes.push_back({128, 768, 768, true});   // transformer linear, 128 tokens
  shapes.push_back({512, 512, 512, true});
  shapes.push_back({197, 3072, 768, false});  // vit_b_16 MLP up-projection, weights as [K, N]
  shapes.push_back({197, 768, 3072, false});  // and down-projection
  // Dense layers as the cpu backend runs them (prepacked weights, fused bias + ReLU):
  shapes.push_back({197, 3072, 768, false, true});  // vit_b_16 MLP up-projection
  shapes.push_back({197, 768, 3072, false, true});  // vit_b_16 MLP down-projection
  shapes.push_back({197, 2304, 768, false, true});  // vit_b_16 attention qkv
  shapes.push_back({3136, 64, 576, false, true});   // resnet50 3x3 conv at 56x56 (im2col rows)
  shapes.push_back({96, 64, 576, false, true});     // the same, one 96-row im2col block
  shapes.push_back({3136, 256, 64, false, true});   // resnet50 1x1 conv 64 -> 256 at 56x56
  shapes.push_back({784, 128, 1152, false, true});  // resnet50 3x3 conv at 28x28
  shapes.push_back({3136, 288, 96, false, true});   // swin_t stage-1 qkv
  if (!only.empty()) shapes = only;

  std::vector<const Isa*> paths;
  std::vector<const char*> names;
  for (const char* name : {"generic", "avx2", "avx512"}) {
    if (only_isa && strcmp(only_isa, name) != 0) continue;
    names.push_back(name);
    paths.push_back(isa_named(name));
  }
  if (names.empty()) {
    fprintf(stderr, "--isa wants generic, avx2 or avx512, got '%s'\n", only_isa);
    return 2;
  }
  printf(
      "float32 GEMM, single thread, median GFLOP/s of %d samples (n/a: path not built or not "
      "supported by this CPU)\n",
      samples);
  printf("%-6s %-6s %-6s %-3s", "M", "N", "K", "B");
  for (const char* n : names) printf(" %9s", n);
  printf("\n");
  for (const Shape& s : shapes) {
    std::vector<float> A(static_cast<size_t>(s.M * s.K)), B(static_cast<size_t>(s.K * s.N));
    std::vector<float> C(static_cast<size_t>(s.M * s.N));
    uint32_t x = 12345;
    for (float& v : A) v = static_cast<float>((x = x * 1664525u + 1013904223u) >> 9) * 0x1p-23f - 1;
    for (float& v : B) v = static_cast<float>((x = x * 1664525u + 1013904223u) >> 9) * 0x1p-23f - 1;
    printf("%-6lld %-6lld %-6lld %-3s", (long long)s.M, (long long)s.N, (long long)s.K,
           s.prepacked ? "P"
           : s.trans_b ? "T"
                       : "N");
    for (const Isa* isa : paths) {
      if (isa == nullptr)
        printf(" %9s", "n/a");
      else
        printf(" %9.1f", measure(*isa, s, A, B, C, samples, min_ms, cold, prefetch, residual));
      fflush(stdout);
    }
    printf("\n");
  }
  return 0;
}
