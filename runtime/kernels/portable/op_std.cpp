// aten::std.correction / std.dim / std.default: two-pass (mean, then squared deviations)
// in double; divisor max(0, N - correction), correction defaulting to 1.
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

void std_impl(const char* op, int variant, KernelContext& ctx, EValue** args, size_t num_args) {
  reduce::DimMask mask;
  bool keepdim;
  double correction;
  if (!reduce::parse_var_args(ctx, op, args, num_args, variant, 1, &mask, &keepdim, &correction))
    return;
  reduce::var_into(ctx, op, args[0]->tensor(), mask, keepdim, correction, true,
                   args[num_args - 1]->tensor(), nullptr);
}

// std.correction(Tensor self, int[1]? dim, *, int? correction, bool keepdim=False) -> Tensor
void std_correction_out(KernelContext& ctx, EValue** args, size_t num_args) {
  std_impl("aten::std.correction", 0, ctx, args, num_args);
}
// std.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor
void std_dim_out(KernelContext& ctx, EValue** args, size_t num_args) {
  std_impl("aten::std.dim", 1, ctx, args, num_args);
}
// std(Tensor self, bool unbiased=True) -> Tensor
void std_default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  std_impl("aten::std", 2, ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::std.correction", std_correction_out);
EMBER_REGISTER_KERNEL("aten::std.dim", std_dim_out);
EMBER_REGISTER_KERNEL("aten::std.default", std_default_out);

}  // namespace kernels
}  // namespace ember
