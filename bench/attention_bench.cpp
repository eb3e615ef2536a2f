// ember-attention-bench: single-thread time of the cpu backend's fused attention
// (runtime/backends/cpu/attention.h) on the heads of a packed qkv projection, against the
// unfused sequence it replaces (copy q, k^T and v out of the projection, batched q k^T, row
// softmax, batched product with v, copy the heads back together), interleaved in one process.
// A benchmark, not a test: prints the median ms and GFLOP/s of each, and checks that both give
// the same output.
//
//   ember-attention-bench [--rounds N] [--shape B,M,D]...   (default: vit_b_16's 12,197,64)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "bench/timing.h"
#include "runtime/backends/cpu/attention.h"
#include "runtime/backends/cpu/kernels.h"
#include "runtime/kernels/portable/gemm.h"

namespace {

using ember_bench::median;
using ember_bench::now_ms;

struct Shape {
  size_t heads, tokens, dim;
};

// The unfused path, self-attention over x = qkv [tokens, 3 * heads * dim]: out [tokens, heads *
// dim].
void unfused(const Shape& s, const float* qkv, float* q, float* kt, float* v, float* scores,
             float* o, float* out, float scale) {
  const size_t T = s.tokens, H = s.heads, D = s.dim, W = 3 * H * D;
  for (size_t h = 0; h < H; ++h)
    for (size_t t = 0; t < T; ++t)
      for (size_t d = 0; d < D; ++d) {
        q[(h * T + t) * D + d] = qkv[t * W + h * D + d] * scale;
        kt[(h * D + d) * T + t] = qkv[t * W + H * D + h * D + d];
        v[(h * T + t) * D + d] = qkv[t * W + 2 * H * D + h * D + d];
      }
  const auto Ti = static_cast<int64_t>(T), Di = static_cast<int64_t>(D);
  for (size_t h = 0; h < H; ++h) {
    ember::kernels::gemm<float>(Ti, Ti, Di, q + h * T * D, Di, 1, kt + h * D * T, Ti, 1,
                                scores + h * T * T, Ti, 1, 1.0f, false);
    ember::cpu::kernels().softmax(scores + h * T * T, T, 0, T, 1.0f);
    ember::kernels::gemm<float>(Ti, Di, Ti, scores + h * T * T, Ti, 1, v + h * T * D, Di, 1,
                                o + h * T * D, Di, 1, 1.0f, false);
  }
  for (size_t t = 0; t < T; ++t)
    for (size_t h = 0; h < H; ++h)
      memcpy(out + (t * H + h) * D, o + (h * T + t) * D, D * sizeof(float));
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 15;
  std::vector<Shape> shapes;
  for (int i = 1; i < argc; ++i) {
    unsigned long b = 0, m = 0, d = 0;
    if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = std::max(1, atoi(argv[++i]));
    } else if (strcmp(argv[i], "--shape") == 0 && i + 1 < argc &&
               sscanf(argv[++i], "%lu,%lu,%lu", &b, &m, &d) == 3 && b && m && d) {
      shapes.push_back({b, m, d});
    } else {
      fprintf(stderr, "usage: %s [--rounds N] [--shape HEADS,TOKENS,DIM]...\n", argv[0]);
      return 2;
    }
  }
  if (shapes.empty()) shapes.push_back({12, 197, 64});
  printf("attention, one thread, median of %d rounds (ms; GFLOP/s of the two products)\n", rounds);
  printf("heads tokens dim     fused  GFLOP/s   unfused  GFLOP/s   ratio  max diff\n");
  for (const Shape& s : shapes) {
    const size_t T = s.tokens, H = s.heads, D = s.dim, W = 3 * H * D;
    std::vector<float> qkv(T * W), q(H * T * D), kt(H * T * D), v(H * T * D), sc(H * T * T),
        o(H * T * D), out_ref(T * H * D), out(T * H * D);
    for (size_t i = 0; i < qkv.size(); ++i)
      qkv[i] = static_cast<float>((i * 7919) % 2001) / 1000.f - 1.f;
    const float scale = 1.0f / std::sqrt(static_cast<float>(D));
    const auto Di = static_cast<int64_t>(D), Wi = static_cast<int64_t>(W);
    // q, k, v: the heads of the projection; the output goes straight to [tokens, heads, dim].
    const auto Hi = static_cast<int64_t>(H);
    ember::cpu::AttentionShape a{H,
                                 H,
                                 T,
                                 T,
                                 D,
                                 D,
                                 {0, 0, Di, Wi, 1},
                                 {Hi * Di, 0, Di, Wi, 1},
                                 {2 * Hi * Di, 0, Di, Wi, 1},
                                 {0, 0, Di, Hi * Di, 1},
                                 scale};
    std::vector<float> scratch(ember::cpu::attention_scratch_floats(a, 1));
    std::vector<double> tf, tu;
    for (int r = 0; r < rounds; ++r) {
      double t0 = now_ms();
      ember::cpu::attention(a, qkv.data(), qkv.data(), qkv.data(), out.data(), scratch.data(),
                            scratch.size());
      double t1 = now_ms();
      unfused(s, qkv.data(), q.data(), kt.data(), v.data(), sc.data(), o.data(), out_ref.data(),
              scale);
      double t2 = now_ms();
      tf.push_back(t1 - t0);
      tu.push_back(t2 - t1);
    }
    float diff = 0.f;
    for (size_t i = 0; i < out.size(); ++i) diff = std::max(diff, std::fabs(out[i] - out_ref[i]));
    const double gflop = 4.0 * H * T * T * D * 1e-9;
    printf("%5zu %6zu %3zu %9.3f %8.1f %9.3f %8.1f %7.2f %9.2g\n", H, T, D, median(tf),
           gflop / median(tf) * 1e3, median(tu), gflop / median(tu) * 1e3, median(tf) / median(tu),
           diff);
  }
  return 0;
}
