// aten::triu.default: keeps elements on and above the diagonal-th diagonal (j - i >= diagonal) of
// the last two dims and zeroes the rest.
#include "runtime/kernels/portable/triangle_utils.h"

namespace ember {
namespace kernels {
namespace {

// triu(Tensor self, int diagonal=0) -> Tensor
void triu_out(KernelContext& ctx, EValue** args, size_t num_args) {
  shape::triangle_out(ctx, "aten::triu", args, num_args, /*lower=*/false);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::triu.default", triu_out);

}  // namespace kernels
}  // namespace ember
