// aten::mean.dim / mean.default: the sum (accumulated in double) divided by the count. The
// optional dtype argument is reflected in the (floating) output dtype fixed at export.
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// mean.dim(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)
void mean_dim_out(KernelContext& ctx, EValue** args, size_t num_args) {
  reduce::sum_dim_kernel(ctx, "aten::mean.dim", args, num_args, /*mean=*/true);
}

// mean(Tensor self, *, ScalarType? dtype=None) -> Tensor
void mean_default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  reduce::sum_all_kernel(ctx, "aten::mean", args, num_args, /*mean=*/true);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::mean.dim", mean_dim_out);
EMBER_REGISTER_KERNEL("aten::mean.default", mean_default_out);

}  // namespace kernels
}  // namespace ember
