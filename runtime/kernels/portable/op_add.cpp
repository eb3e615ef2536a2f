// aten::add.Tensor / aten::add.Scalar: out = self + alpha * other (broadcasting, type promotion).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void add_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::add_like_op(ctx, "aten::add.Tensor", args, num_args, false, false);
}
void add_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::add_like_op(ctx, "aten::add.Scalar", args, num_args, false, false);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::add.Tensor", add_tensor);
EMBER_REGISTER_KERNEL("aten::add.Scalar", add_scalar);

}  // namespace kernels
}  // namespace ember
