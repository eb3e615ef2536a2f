// aten::clamp_min.default (Scalar min) and aten::clamp_min.Tensor (Tensor min, broadcast with
// self).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void clamp_min_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::clamp_op(ctx, "aten::clamp_min.default", args, num_args, 1, -1);
}
void clamp_min_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::clamp_op(ctx, "aten::clamp_min.Tensor", args, num_args, 1, -1);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::clamp_min.default", clamp_min_default);
EMBER_REGISTER_KERNEL("aten::clamp_min.Tensor", clamp_min_tensor);

}  // namespace kernels
}  // namespace ember
