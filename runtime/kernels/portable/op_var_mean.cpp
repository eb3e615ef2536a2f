// aten::var_mean.correction / var_mean.dim / var_mean.default: (var, mean) from one two-pass
// reduction in double.
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

void var_mean_impl(const char* op, int variant, KernelContext& ctx, EValue** args,
                   size_t num_args) {
  reduce::DimMask mask;
  bool keepdim;
  double correction;
  if (!reduce::parse_var_args(ctx, op, args, num_args, variant, 2, &mask, &keepdim, &correction))
    return;
  reduce::var_into(ctx, op, args[0]->tensor(), mask, keepdim, correction, false,
                   args[num_args - 2]->tensor(), &args[num_args - 1]->tensor());
}

// var_mean.correction(Tensor self, int[1]? dim, *, int? correction, bool keepdim=False)
void var_mean_correction_out(KernelContext& ctx, EValue** args, size_t num_args) {
  var_mean_impl("aten::var_mean.correction", 0, ctx, args, num_args);
}
// var_mean.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False)
void var_mean_dim_out(KernelContext& ctx, EValue** args, size_t num_args) {
  var_mean_impl("aten::var_mean.dim", 1, ctx, args, num_args);
}
// var_mean(Tensor self, bool unbiased=True) -> (Tensor, Tensor)
void var_mean_default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  var_mean_impl("aten::var_mean", 2, ctx, args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::var_mean.correction", var_mean_correction_out);
EMBER_REGISTER_KERNEL("aten::var_mean.dim", var_mean_dim_out);
EMBER_REGISTER_KERNEL("aten::var_mean.default", var_mean_default_out);

}  // namespace kernels
}  // namespace ember
