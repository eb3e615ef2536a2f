// aten::sqrt.default: square root (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void sqrt_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::sqrt.default", args, num_args, true, true, [](auto x) {
    using T = decltype(x);
    return static_cast<T>(std::sqrt(x));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::sqrt.default", sqrt_default);

}  // namespace kernels
}  // namespace ember
