// aten::exp.default: e^x (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void exp_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::exp.default", args, num_args, true, true, [](auto x) {
    using T = decltype(x);
    return static_cast<T>(std::exp(x));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::exp.default", exp_default);

}  // namespace kernels
}  // namespace ember
