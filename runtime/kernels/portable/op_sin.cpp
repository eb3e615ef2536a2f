// aten::sin.default: sine (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void sin_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::sin.default", args, num_args, true, true, [](auto x) {
    using T = decltype(x);
    return static_cast<T>(std::sin(x));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::sin.default", sin_default);

}  // namespace kernels
}  // namespace ember
