// aten::expm1.default: exp(x) - 1 (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void expm1_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::expm1.default", args, num_args, true, true, [](auto x) {
    using T = decltype(x);
    return static_cast<T>(std::expm1(x));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::expm1.default", expm1_default);

}  // namespace kernels
}  // namespace ember
