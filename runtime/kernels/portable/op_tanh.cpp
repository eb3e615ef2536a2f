// aten::tanh.default: hyperbolic tangent (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void tanh_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::tanh.default", args, num_args, true, true, [](auto x) {
    using T = decltype(x);
    return static_cast<T>(std::tanh(x));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::tanh.default", tanh_default);

}  // namespace kernels
}  // namespace ember
