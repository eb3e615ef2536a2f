// Scaled dot-product attention in one pass per block of query rows: scores = scale * q k^T for a
// block of rows, softmax over them and the product with v, the block's scores staying in a
// worker's slot of the scratch (L2-sized) instead of a [B, M, N] tensor written to memory and
// read twice. q, k, v and the output are read and written through strides, so the heads of a
// packed qkv projection and a transposed output need no copies (cpu.py, ATTENTION).
#pragma once

#include <cstddef>
#include <cstdint>

namespace ember {
namespace cpu {

// Element (b, r, d) of a strided operand is data[off + (b / H) * sb + (b % H) * sh + r * sr +
// d * sd]: the batch of a multi-head attention is (batch, head), and the two need not share a
// stride (heads of a packed qkv projection lie side by side within each token's row).
struct Strided {
  int64_t off, sb, sh, sr, sd;
};

// o[b, m, :] = softmax_n(scale * q[b, m, :] . k[b, n, :]) @ v[b, n, :] for b < B, m < M, n < N;
// q and k rows have D elements, v and o rows Dv; H divides B.
struct AttentionShape {
  size_t B, H, M, N, D, Dv;
  Strided q, k, v, o;
  float scale;
};

// Scratch for the score blocks of `threads` workers.
size_t attention_scratch_floats(const AttentionShape& s, size_t threads);

// Runs on the shared pool with at most as many workers as the scratch has slots. The output
// must not overlap q, k or v, and its rows must be contiguous (o.sd == 1).
void attention(const AttentionShape& s, const float* q, const float* k, const float* v, float* o,
               float* scratch, size_t scratch_floats);

}  // namespace cpu
}  // namespace ember
