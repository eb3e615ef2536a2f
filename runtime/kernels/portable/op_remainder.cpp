// aten::remainder.Tensor / remainder.Scalar: Python-style modulus (result has the divisor's sign).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void remainder_impl(KernelContext& ctx, const char* op, EValue** args, size_t num_args) {
  division_binary_op(
      ctx, op, args, num_args, [](auto p, auto q) { return int_remainder(p, q); },
      [](auto p, auto q) { return float_remainder(p, q); });
}
void remainder_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  remainder_impl(ctx, "aten::remainder.Tensor", args, num_args);
}
void remainder_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  remainder_impl(ctx, "aten::remainder.Scalar", args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::remainder.Tensor", remainder_tensor);
EMBER_REGISTER_KERNEL("aten::remainder.Scalar", remainder_scalar);

}  // namespace kernels
}  // namespace ember
