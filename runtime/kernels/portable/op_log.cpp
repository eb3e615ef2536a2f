// aten::log.default: natural logarithm (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void log_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::log.default", args, num_args, true, true, [](auto x) {
    using T = decltype(x);
    return static_cast<T>(std::log(x));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::log.default", log_default);

}  // namespace kernels
}  // namespace ember
