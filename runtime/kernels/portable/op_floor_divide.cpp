// aten::floor_divide.default / floor_divide.Scalar: floor(self / other) in the common dtype.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void floor_divide_impl(KernelContext& ctx, const char* op, EValue** args, size_t num_args) {
  division_binary_op(
      ctx, op, args, num_args, [](auto p, auto q) { return int_div_floor(p, q); },
      [](auto p, auto q) { return float_div_floor(p, q); });
}
void floor_divide_default(KernelContext& ctx, EValue** args, size_t num_args) {
  floor_divide_impl(ctx, "aten::floor_divide.default", args, num_args);
}
void floor_divide_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  floor_divide_impl(ctx, "aten::floor_divide.Scalar", args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::floor_divide.default", floor_divide_default);
EMBER_REGISTER_KERNEL("aten::floor_divide.Scalar", floor_divide_scalar);

}  // namespace kernels
}  // namespace ember
