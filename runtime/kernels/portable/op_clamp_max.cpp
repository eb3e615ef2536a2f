// aten::clamp_max.default (Scalar max) and aten::clamp_max.Tensor (Tensor max, broadcast with
// self).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void clamp_max_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::clamp_op(ctx, "aten::clamp_max.default", args, num_args, -1, 1);
}
void clamp_max_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::clamp_op(ctx, "aten::clamp_max.Tensor", args, num_args, -1, 1);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::clamp_max.default", clamp_max_default);
EMBER_REGISTER_KERNEL("aten::clamp_max.Tensor", clamp_max_tensor);

}  // namespace kernels
}  // namespace ember
