// aten::min.dim (values and int64 indices along a dim; first index on ties, NaN wins) and
// aten::min.default (full reduction of a non-empty tensor).
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// min.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)
void min_dim_out(KernelContext& ctx, EValue** args, size_t num_args) {
  reduce::minmax_dim_kernel</*kMax=*/false>(ctx, "aten::min.dim", args, num_args);
}

// min(Tensor self) -> Tensor
void min_default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  reduce::minmax_all_kernel</*kMax=*/false>(ctx, "aten::min", args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::min.dim", min_dim_out);
EMBER_REGISTER_KERNEL("aten::min.default", min_default_out);

}  // namespace kernels
}  // namespace ember
