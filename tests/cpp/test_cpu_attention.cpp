// The cpu backend's fused attention (runtime/backends/cpu/attention.h) against a double-precision
// reference, through the strided layouts the exporter emits (packed qkv heads, a transposed
// output) and others (keys read column-wise, strided queries), at 1-3 threads, with empty and
// one-element extents and a scratch sized for fewer threads than run.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "runtime/backends/cpu/attention.h"
#include "runtime/threadpool/threadpool.h"

namespace {

using ember::cpu::AttentionShape;
using ember::cpu::Strided;

int64_t index(const Strided& s, size_t H, size_t b, size_t r, size_t c) {
  return s.off + static_cast<int64_t>(b / H) * s.sb + static_cast<int64_t>(b % H) * s.sh +
         static_cast<int64_t>(r) * s.sr + static_cast<int64_t>(c) * s.sd;
}

float at(const std::vector<float>& x, const Strided& s, size_t H, size_t b, size_t r, size_t c) {
  return x[static_cast<size_t>(index(s, H, b, r, c))];
}

// o = softmax(scale * q k^T) v in doubles, written through s.o into a copy of `o`.
std::vector<float> reference(const AttentionShape& s, const std::vector<float>& q,
                             const std::vector<float>& k, const std::vector<float>& v,
                             std::vector<float> o) {
  for (size_t b = 0; b < s.B; ++b)
    for (size_t m = 0; m < s.M; ++m) {
      std::vector<double> p(s.N);
      double mx = -INFINITY, sum = 0;
      for (size_t n = 0; n < s.N; ++n) {
        double d = 0;
        for (size_t i = 0; i < s.D; ++i)
          d += double(at(q, s.q, s.H, b, m, i)) * at(k, s.k, s.H, b, n, i);
        p[n] = s.scale * d;
        mx = std::max(mx, p[n]);
      }
      for (size_t n = 0; n < s.N; ++n) sum += p[n] = std::exp(p[n] - mx);
      for (size_t e = 0; e < s.Dv; ++e) {
        double acc = 0;
        for (size_t n = 0; n < s.N; ++n) acc += p[n] / sum * at(v, s.v, s.H, b, n, e);
        o[static_cast<size_t>(index(s.o, s.H, b, m, e))] = static_cast<float>(acc);
      }
    }
  return o;
}

std::vector<float> random_floats(size_t n, unsigned seed) {
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 1664525u + 1013904223u;
    x[i] = static_cast<float>(seed >> 8) / static_cast<float>(1u << 24) * 4.0f - 2.0f;
  }
  return x;
}

struct Case {
  const char* name;
  size_t B, H, M, N, D, Dv;
  // Layout: 0 packed qkv [batch, tokens, 3, heads, D] with the output [batch, tokens, heads,
  // Dv] (the exporter's transformer pattern, needs M == N, D == Dv, heads H = B / batch); 1
  // separate tensors, k [B, D, N] (read column-wise), q with stride 2 between elements, output
  // [B, M, Dv] with padded rows.
  int layout;
};

void run_case(const Case& c, size_t threads, size_t scratch_threads) {
  AttentionShape s{c.B, c.H, c.M, c.N, c.D, c.Dv, {}, {}, {}, {}, 0.37f};
  const auto B = static_cast<int64_t>(c.B), H = static_cast<int64_t>(c.H),
             M = static_cast<int64_t>(c.M), N = static_cast<int64_t>(c.N),
             D = static_cast<int64_t>(c.D), Dv = static_cast<int64_t>(c.Dv);
  size_t nq, nk, nv, no;
  if (c.layout == 0) {
    const int64_t row = 3 * H * D, batch = N * row;
    s.q = {0, batch, D, row, 1};
    s.k = {H * D, batch, D, row, 1};
    s.v = {2 * H * D, batch, D, row, 1};
    s.o = {0, M * H * Dv, Dv, H * Dv, 1};
    nq = nk = nv = static_cast<size_t>(B / H * batch);
    no = static_cast<size_t>(B / H * M * H * Dv);
  } else {
    s.q = {1, H * M * D * 2, M * D * 2, D * 2, 2};
    s.k = {0, H * D * N, D * N, 1, N};
    s.v = {3, H * N * Dv, N * Dv, Dv, 1};
    s.o = {2, H * M * (Dv + 3), M * (Dv + 3), Dv + 3, 1};
    nq = static_cast<size_t>(B * M * D * 2 + 1);
    nk = static_cast<size_t>(B * D * N);
    nv = static_cast<size_t>(B * N * Dv + 3);
    no = static_cast<size_t>(B * M * (Dv + 3) + 2);
  }
  std::vector<float> q = random_floats(nq, 1), k = random_floats(nk, 2), v = random_floats(nv, 3);
  if (c.layout == 0) k = v = q;  // one projection holds all three
  std::vector<float> o(no, 123.0f);
  const std::vector<float> want = reference(s, q, k, v, o);
  std::vector<float> scratch(ember::cpu::attention_scratch_floats(s, scratch_threads));
  ember::threadpool::set_num_threads(threads);
  ember::cpu::attention(s, q.data(), k.data(), v.data(), o.data(), scratch.data(), scratch.size());
  ember::threadpool::set_num_threads(0);
  for (size_t i = 0; i < no; ++i)
    ASSERT_NEAR(o[i], want[i], 2e-5 + 2e-5 * std::fabs(want[i]))
        << c.name << " threads " << threads << " element " << i;
}

TEST(CpuAttention, MatchesReference) {
  const Case cases[] = {
      {"vit-like", 3, 3, 21, 21, 16, 16, 0},
      {"batch of 2 x 3 heads", 6, 3, 11, 11, 8, 8, 0},
      {"one head, long", 1, 1, 70, 70, 8, 8, 0},
      {"separate", 2, 1, 13, 29, 11, 7, 1},
      {"separate, 2 x 2 heads", 4, 2, 5, 7, 3, 6, 1},
      {"one query", 4, 4, 1, 9, 5, 3, 1},
      {"one key", 2, 1, 6, 1, 4, 5, 1},
      {"empty head size", 2, 2, 5, 6, 0, 3, 1},
      {"many keys", 1, 1, 9, 1500, 4, 2, 1},  // score rows over several GEMM K blocks
  };
  for (const Case& c : cases)
    for (size_t threads : {1, 2, 3}) run_case(c, threads, threads);
}

TEST(CpuAttention, ScratchForFewerThreadsThanRun) {
  run_case({"vit-like", 3, 3, 21, 21, 16, 16, 0}, 3, 1);
  run_case({"many keys", 1, 1, 9, 1500, 4, 2, 1}, 2, 1);
}

TEST(CpuAttention, EmptyExtentsLeaveOrZeroTheOutput) {
  // No keys: PyTorch's bmm of [M, 0] by [0, Dv] gives zeros.
  AttentionShape s{
      1, 1, 2, 0, 3, 2, {0, 6, 0, 3, 1}, {0, 0, 0, 3, 1}, {0, 0, 0, 2, 1}, {0, 4, 0, 2, 1}, 1.0f};
  std::vector<float> q(6, 1.0f), o(4, 5.0f),
      scratch(ember::cpu::attention_scratch_floats(s, 1) + 1);
  ember::cpu::attention(s, q.data(), q.data(), q.data(), o.data(), scratch.data(), scratch.size());
  for (float x : o) EXPECT_EQ(x, 0.0f);
  // No queries: nothing is written.
  s.M = 0;
  std::vector<float> untouched(4, 7.0f);
  ember::cpu::attention(s, q.data(), q.data(), q.data(), untouched.data(), scratch.data(),
                        scratch.size());
  for (float x : untouched) EXPECT_EQ(x, 7.0f);
}

}  // namespace
