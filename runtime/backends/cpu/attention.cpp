#include "runtime/backends/cpu/attention.h"

#include <algorithm>

#include "runtime/backends/cpu/dense.h"
#include "runtime/backends/cpu/kernels.h"
#include "runtime/threadpool/threadpool.h"

namespace ember {
namespace cpu {
namespace {

// A worker's score block is at most this many floats (256 KB: half of this machine's L2), so
// it is still cached when the softmax and the product with v read it back.
constexpr size_t kMaxScoreFloats = 64 * 1024;

// Query rows per block: as many as the score budget allows, but enough blocks for every worker
// when there are fewer heads than workers.
size_t block_rows(const AttentionShape& s, size_t threads) {
  if (s.M == 0) return 1;
  const size_t budget = std::max<size_t>(8, kMaxScoreFloats / std::max<size_t>(s.N, 1));
  size_t blocks = (s.M + budget - 1) / budget;
  if (s.B < threads) blocks = std::max(blocks, (threads + s.B - 1) / s.B);
  blocks = std::min(blocks, s.M);
  return (s.M + blocks - 1) / blocks;
}

// Where batch b of operand x starts.
int64_t batch_offset(const Strided& x, size_t b, size_t H) {
  return x.off + static_cast<int64_t>(b / H) * x.sb + static_cast<int64_t>(b % H) * x.sh;
}

// A worker's slot: the score block, then one head's k^T and v packed into GEMM panels (packed
// once per head, used by every row block of it).
struct Slot {
  size_t scores, kpack, vpack;
  size_t floats() const { return scores + kpack + vpack; }
};
Slot slot_size(const AttentionShape& s, size_t rows) {
  return Slot{rows * s.N, packed_weight_floats(s.D, s.N), packed_weight_floats(s.N, s.Dv)};
}

}  // namespace

size_t attention_scratch_floats(const AttentionShape& s, size_t threads) {
  threads = std::max<size_t>(threads, 1);
  return threads * slot_size(s, block_rows(s, threads)).floats();
}

void attention(const AttentionShape& s, const float* q, const float* k, const float* v, float* o,
               float* scratch, size_t scratch_floats) {
  if (s.B == 0 || s.M == 0 || s.Dv == 0) return;
  if (s.N == 0) {  // softmax over no keys: PyTorch's product is empty, so zeros
    for (size_t b = 0; b < s.B; ++b)
      for (size_t m = 0; m < s.M; ++m) {
        float* row = o + batch_offset(s.o, b, s.H) + static_cast<int64_t>(m) * s.o.sr;
        for (size_t e = 0; e < s.Dv; ++e) row[static_cast<int64_t>(e) * s.o.sd] = 0.0f;
      }
    return;
  }
  const size_t threads = std::max<size_t>(threadpool::num_threads(), 1);
  size_t rows = block_rows(s, threads);
  // The scratch was sized at load for some thread count: never use more slots than it has.
  Slot slot = slot_size(s, rows);
  size_t slots = scratch_floats / slot.floats();
  if (slots == 0) {  // sized for fewer rows per block: use what fits
    const size_t packs = slot.kpack + slot.vpack;
    rows = std::max<size_t>(1, (scratch_floats - std::min(scratch_floats, packs)) / s.N);
    slot = slot_size(s, rows);
    slots = 1;
  }
  const size_t blocks_per_head = (s.M + rows - 1) / rows, tasks = s.B * blocks_per_head;
  const Kernels& kern = kernels();
  // Tasks go to whichever worker is free (a slowed-down worker takes fewer), each in a slot
  // claimed for it; a slot keeps the head it packed last, so consecutive blocks of one head
  // on the same slot pack it once.
  threadpool::SlotPool slot_pool(std::min(slots, threads));
  size_t packed_head[64];
  for (size_t& h : packed_head) h = s.B;  // none
  threadpool::parallel_for(tasks, 1, [&](size_t t0, size_t t1) {
    for (size_t t = t0; t < t1; ++t) {
      const size_t w = slot_pool.acquire();
      float* scores = scratch + w * slot.floats();
      float* kpack = scores + slot.scores;
      float* vpack = kpack + slot.kpack;
      const size_t b = t / blocks_per_head;
      const size_t m0 = (t % blocks_per_head) * rows, r = std::min(rows, s.M - m0);
      const auto m = static_cast<int64_t>(m0);
      if (b != packed_head[w]) {
        // k^T [D, N] (column n = key n) and v [N, Dv] as GEMM weights: W(n, d) = k[n, d] and
        // W(e, n) = v[n, e].
        pack_weights_strided(k + batch_offset(s.k, b, s.H), s.N, s.D, s.k.sr, s.k.sd, kpack);
        pack_weights_strided(v + batch_offset(s.v, b, s.H), s.Dv, s.N, s.v.sd, s.v.sr, vpack);
        packed_head[w] = b;
      }
      // scores[r, N] = q_rows @ k^T; the softmax applies the scale.
      dense_product(q + batch_offset(s.q, b, s.H) + m * s.q.sr, static_cast<size_t>(s.q.sr), kpack,
                    scores, s.N, r, s.D, s.N, s.q.sd);
      kern.softmax(scores, s.N, 0, r, s.scale);
      dense_product(scores, s.N, vpack, o + batch_offset(s.o, b, s.H) + m * s.o.sr,
                    static_cast<size_t>(s.o.sr), r, s.N, s.Dv, 1);
      slot_pool.release(w);
    }
  });
}

}  // namespace cpu
}  // namespace ember
