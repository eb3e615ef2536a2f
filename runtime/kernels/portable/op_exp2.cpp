// aten::exp2.default: 2^x (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void exp2_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::exp2.default", args, num_args, true, true, [](auto x) {
    using T = decltype(x);
    return static_cast<T>(std::exp2(x));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::exp2.default", exp2_default);

}  // namespace kernels
}  // namespace ember
