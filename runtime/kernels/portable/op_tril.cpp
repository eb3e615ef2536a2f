// aten::tril.default: keeps elements on and below the diagonal-th diagonal (j - i <= diagonal) of
// the last two dims and zeroes the rest.
#include "runtime/kernels/portable/triangle_utils.h"

namespace ember {
namespace kernels {
namespace {

// tril(Tensor self, int diagonal=0) -> Tensor
void tril_out(KernelContext& ctx, EValue** args, size_t num_args) {
  shape::triangle_out(ctx, "aten::tril", args, num_args, /*lower=*/true);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::tril.default", tril_out);

}  // namespace kernels
}  // namespace ember
