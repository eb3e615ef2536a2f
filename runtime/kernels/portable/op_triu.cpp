// aten::triu.default: keeps elements on and above the diagonal-th diagonal (j - i >= diagonal) of
// the last two dims and zeroes the rest (all-zero bytes are zero for every dtype).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// triu(Tensor self, int diagonal=0) -> Tensor
void triu_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::triu";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 2);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[2]->tensor();
  EMBER_KCHECK(ctx, self.dim() >= 2, "%s: expects a tensor with >= 2 dims, got %d", op, self.dim());
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, self.sizes(), self.dim())) return;
  EMBER_KCHECK(ctx, self.data() == out.data() || !shape::overlaps(self, out),
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
      int64_t zero = i + diag;  // columns [0, zero) are zeroed
      if (zero < 0) zero = 0;
      if (zero > n) zero = n;
      if (zero > 0) memset(dst + row, 0, static_cast<size_t>(zero) * es);
      if (zero < n)
        memmove(dst + row + zero * es, src + row + zero * es, static_cast<size_t>(n - zero) * es);
    }
  }
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::triu.default", triu_out);

}  // namespace kernels
}  // namespace ember
