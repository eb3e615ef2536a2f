// aten::clamp.default (optional Scalar min / max) and aten::clamp.Tensor (optional Tensor
// min / max, broadcast with self). NaN propagates; min > max gives max.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void clamp_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::clamp_op(ctx, "aten::clamp.default", args, num_args, 1, 2);
}
void clamp_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::clamp_op(ctx, "aten::clamp.Tensor", args, num_args, 1, 2);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::clamp.default", clamp_default);
EMBER_REGISTER_KERNEL("aten::clamp.Tensor", clamp_tensor);

}  // namespace kernels
}  // namespace ember
