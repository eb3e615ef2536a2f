// aten::log2.default: base-2 logarithm (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void log2_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::log2.default", args, num_args, true, true, [](auto x) {
    using T = decltype(x);
    return static_cast<T>(std::log2(x));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::log2.default", log2_default);

}  // namespace kernels
}  // namespace ember
