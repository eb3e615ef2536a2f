// aten::sum.dim_IntList / sum.default: sums in double (floating outputs) or int64 (integer
// outputs). The optional dtype argument is reflected in the output dtype fixed at export.
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)
void sum_dim_out(KernelContext& ctx, EValue** args, size_t num_args) {
  reduce::sum_dim_kernel(ctx, "aten::sum.dim_IntList", args, num_args, /*mean=*/false);
}

// sum(Tensor self, *, ScalarType? dtype=None) -> Tensor
void sum_default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  reduce::sum_all_kernel(ctx, "aten::sum", args, num_args, /*mean=*/false);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::sum.dim_IntList", sum_dim_out);
EMBER_REGISTER_KERNEL("aten::sum.default", sum_default_out);

}  // namespace kernels
}  // namespace ember
