// aten::rsub.Tensor / aten::rsub.Scalar: out = other - alpha * self.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void rsub_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::add_like_op(ctx, "aten::rsub.Tensor", args, num_args, true, true);
}
void rsub_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::add_like_op(ctx, "aten::rsub.Scalar", args, num_args, true, true);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::rsub.Tensor", rsub_tensor);
EMBER_REGISTER_KERNEL("aten::rsub.Scalar", rsub_scalar);

}  // namespace kernels
}  // namespace ember
