// aten::flatten.using_ints: a copy with dims [start_dim, end_dim] merged.
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// flatten.using_ints(Tensor self, int start_dim=0, int end_dim=-1) -> Tensor
void flatten_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::flatten.using_ints";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  const Tensor& self = args[0]->tensor();
  int64_t start, end;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), self.dim(), &start)) return;
  if (!shape::wrap_dim(ctx, op, args[2]->to_int(), self.dim(), &end)) return;
  EMBER_KCHECK(ctx, start <= end, "%s: start_dim %lld comes after end_dim %lld", op,
               static_cast<long long>(start), static_cast<long long>(end));
  int64_t sizes[kMaxDims];
  int n = 0;
  if (self.dim() == 0) {
    sizes[n++] = 1;
  } else {
    for (int i = 0; i < start; ++i) sizes[n++] = self.size(i);
    int64_t merged = 1;
    for (int64_t i = start; i <= end; ++i) merged *= self.size(static_cast<int>(i));
    sizes[n++] = merged;
    for (int i = static_cast<int>(end) + 1; i < self.dim(); ++i) sizes[n++] = self.size(i);
  }
  shape::view_copy_into(ctx, op, self, args[3]->tensor(), sizes, n);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::flatten.using_ints", flatten_out);

}  // namespace kernels
}  // namespace ember
