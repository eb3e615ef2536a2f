// aten::log1p.default: log(1 + x) (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void log1p_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::log1p.default", args, num_args, true, true, [](auto x) {
    using T = decltype(x);
    return static_cast<T>(std::log1p(x));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::log1p.default", log1p_default);

}  // namespace kernels
}  // namespace ember
