// aten::var.correction / var.dim / var.default: two-pass (mean, then squared deviations)
// in double; divisor max(0, N - correction), correction defaulting to 1.
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

void var_impl(const char* op, int variant, KernelContext& ctx, EValue** args, size_t num_args) {
  reduce::DimMask mask;
  bool keepdim;
  double correction;
  if (!reduce::parse_var_args(ctx, op, args, num_args, variant, 1, &mask, &keepdim, &correction))
    return;
  reduce::var_into(ctx, op, args[0]->tensor(), mask, keepdim, correction, false,
                   args[num_args - 1]->tensor(), nullptr);
}

// var.correction(Tensor self, int[1]? dim, *, int? correction, bool keepdim=False) -> Tensor
void var_correction_out(KernelContext& ctx, EValue** args, size_t num_args) {
  var_impl("aten::var.correction", 0, ctx, args, num_args);
}
// var.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor
void var_dim_out(KernelContext& ctx, EValue** args, size_t num_args) {
  var_impl("aten::var.dim", 1, ctx, args, num_args);
}
// var(Tensor self, bool unbiased=True) -> Tensor
void var_default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  var_impl("aten::var", 2, ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::var.correction", var_correction_out);
EMBER_REGISTER_KERNEL("aten::var.dim", var_dim_out);
EMBER_REGISTER_KERNEL("aten::var.default", var_default_out);

}  // namespace kernels
}  // namespace ember
