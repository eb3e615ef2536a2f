// aten::max.dim (values and int64 indices along a dim; first index on ties, NaN wins) and
// aten::max.default (full reduction of a non-empty tensor).
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)
void max_dim_out(KernelContext& ctx, EValue** args, size_t num_args) {
  reduce::minmax_dim_kernel</*kMax=*/true>(ctx, "aten::max.dim", args, num_args);
}

// max(Tensor self) -> Tensor
void max_default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  reduce::minmax_all_kernel</*kMax=*/true>(ctx, "aten::max", args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::max.dim", max_dim_out);
EMBER_REGISTER_KERNEL("aten::max.default", max_default_out);

}  // namespace kernels
}  // namespace ember
