// Shared body of aten::tril / aten::triu: keep one side of the diagonal-th diagonal of the last two
// dims and zero the rest (all-zero bytes are zero for every dtype, so elements move by size).
#pragma once

#include <cstring>

#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace shape {

// (Tensor self, int diagonal, Tensor out). `lower`: keep j - i <= diagonal (tril), else keep
// j - i >= diagonal (triu).
inline void triangle_out(KernelContext& ctx, const char* op, EValue** args, size_t num_args,
                         bool lower) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[2]->tensor();
  EMBER_KCHECK(ctx, self.dim() >= 2, "%s: expects a tensor with >= 2 dims, got %d", op, self.dim());
  if (!check_same_dtype(ctx, op, self, out)) return;
  if (!check_out_shape(ctx, op, out, self.sizes(), self.dim())) return;
  EMBER_KCHECK(ctx, self.data() == out.data() || !overlaps(self, out),
               "%s: output partially overlaps the input", op);
  if (out.numel() == 0) return;
  const int64_t m = self.size(-2), n = self.size(-1);
  const int64_t batch = self.numel() / (m * n);
  int64_t diag = args[1]->to_int();
  // Clamp so that i + diag cannot overflow.
  if (diag > n) diag = n;
  if (diag < -m) diag = -m;
  const size_t es = element_size(self.dtype());
  const char* src = static_cast<const char*>(self.data());
  char* dst = static_cast<char*>(out.data());
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t i = 0; i < m; ++i) {
      const size_t row = static_cast<size_t>((b * m + i) * n) * es;
      // Row i splits at column `cut`: tril keeps [0, cut), triu keeps [cut, n).
      int64_t cut = lower ? i + diag + 1 : i + diag;
      if (cut < 0) cut = 0;
      if (cut > n) cut = n;
      const int64_t k0 = lower ? 0 : cut, k1 = lower ? cut : n;  // kept columns [k0, k1)
      if (k0 > 0) memset(dst + row, 0, static_cast<size_t>(k0) * es);
      if (k1 > k0)
        memmove(dst + row + k0 * es, src + row + k0 * es, static_cast<size_t>(k1 - k0) * es);
      if (k1 < n) memset(dst + row + k1 * es, 0, static_cast<size_t>(n - k1) * es);
    }
  }
}

}  // namespace shape
}  // namespace kernels
}  // namespace ember
