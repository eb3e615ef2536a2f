// aten::relu.default: max(x, 0), NaN propagates (keeps the input dtype).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void relu_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::relu.default", args, num_args, false, false, [](auto x) {
    using T = decltype(x);
    return ew::nan_max(x, T(0));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::relu.default", relu_default);

}  // namespace kernels
}  // namespace ember
