// aten::roll.default: circular shift along dims (of the flattened tensor when dims is empty).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// Rotates each row of length n right by s (0 <= s < n): dst[j] = src[(j - s) mod n].
void roll_row(char* dst, const char* src, int64_t n, int64_t s, size_t es) {
  memcpy(dst + s * es, src, static_cast<size_t>(n - s) * es);
  memcpy(dst, src + (n - s) * es, static_cast<size_t>(s) * es);
}

// roll(Tensor self, int[1] shifts, int[1] dims=[]) -> Tensor
void roll_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::roll";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 1);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[3]->tensor();
  ArrayRef<int64_t> shifts = args[1]->int_list();
  ArrayRef<int64_t> dims = args[2]->int_list();
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, self.sizes(), self.dim())) return;
  EMBER_KCHECK(ctx, !shape::overlaps(self, out), "%s: output overlaps the input", op);
  const size_t es = element_size(self.dtype());
  const char* src = static_cast<const char*>(self.data());
  char* dst = static_cast<char*>(out.data());
  if (dims.size == 0) {
    EMBER_KCHECK(ctx, shifts.size == 1, "%s: expected one shift when dims is empty, got %zu", op,
                 shifts.size);
    int64_t n = self.numel();
    if (n == 0) return;
    int64_t s = shifts[0] % n;
    if (s < 0) s += n;
    roll_row(dst, src, n, s, es);
    return;
  }
  EMBER_KCHECK(ctx, shifts.size == dims.size, "%s: %zu shifts for %zu dims", op, shifts.size,
               dims.size);
  const int nd = self.dim();
  EMBER_KCHECK(ctx, nd > 0, "%s: cannot roll a 0-d tensor along a dim", op);
  int64_t shift[kMaxDims] = {0};
  for (size_t i = 0; i < dims.size; ++i) {
    int64_t d;
    if (!shape::wrap_dim(ctx, op, dims[i], nd, &d)) return;
    int64_t n = self.size(static_cast<int>(d));
    if (n == 0) continue;
    int64_t s = shifts[i] % n;
    shift[d] = ((shift[d] + s) % n + n) % n;
  }
  if (self.numel() == 0) return;
  const int last = nd - 1;
  const int64_t w = self.size(last);
  int64_t idx[kMaxDims] = {0};
  int64_t outer = self.numel() / w;
  for (int64_t o = 0; o < outer; ++o) {
    int64_t so = 0;
    for (int d = 0; d < last; ++d) {
      int64_t c = idx[d] - shift[d];
      if (c < 0) c += self.size(d);
      so += c * self.stride(d);
    }
    roll_row(dst + o * w * static_cast<int64_t>(es), src + so * static_cast<int64_t>(es), w,
             shift[last], es);
    for (int d = last - 1; d >= 0; --d) {
      if (++idx[d] < self.size(d)) break;
      idx[d] = 0;
    }
  }
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::roll.default", roll_out);

}  // namespace kernels
}  // namespace ember
