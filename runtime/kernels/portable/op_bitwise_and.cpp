// aten::bitwise_and.Tensor / bitwise_and.Scalar: integer and bool tensors only.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void bitwise_and_impl(KernelContext& ctx, const char* op, EValue** args, size_t num_args) {
  same_type_binary_op(ctx, op, args, num_args, true, false, [](auto p, auto q) {
    using T = decltype(p);
    if constexpr (std::is_same<T, bool>::value) {
      return static_cast<bool>(p && q);
    } else if constexpr (std::is_integral<T>::value) {
      return static_cast<T>(p & q);
    } else {
      return p;  // unreachable: floating dtypes are rejected
    }
  });
}
void bitwise_and_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  bitwise_and_impl(ctx, "aten::bitwise_and.Tensor", args, num_args);
}
void bitwise_and_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  bitwise_and_impl(ctx, "aten::bitwise_and.Scalar", args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::bitwise_and.Tensor", bitwise_and_tensor);
EMBER_REGISTER_KERNEL("aten::bitwise_and.Scalar", bitwise_and_scalar);

}  // namespace kernels
}  // namespace ember
