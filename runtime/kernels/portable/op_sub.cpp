// aten::sub.Tensor / aten::sub.Scalar: out = self - alpha * other.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void sub_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::add_like_op(ctx, "aten::sub.Tensor", args, num_args, true, false);
}
void sub_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::add_like_op(ctx, "aten::sub.Scalar", args, num_args, true, false);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::sub.Tensor", sub_tensor);
EMBER_REGISTER_KERNEL("aten::sub.Scalar", sub_scalar);

}  // namespace kernels
}  // namespace ember
