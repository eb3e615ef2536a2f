// aten::mul.Tensor / aten::mul.Scalar (bool: logical and; integers wrap).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void mul_impl(KernelContext& ctx, const char* op, EValue** args, size_t num_args) {
  ew::same_type_binary_op(ctx, op, args, num_args, true, true,
                          [](auto p, auto q) { return ew::w_mul(p, q); });
}
void mul_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  mul_impl(ctx, "aten::mul.Tensor", args, num_args);
}
void mul_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  mul_impl(ctx, "aten::mul.Scalar", args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::mul.Tensor", mul_tensor);
EMBER_REGISTER_KERNEL("aten::mul.Scalar", mul_scalar);

}  // namespace kernels
}  // namespace ember
