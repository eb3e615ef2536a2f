// aten::sigmoid.default: 1 / (1 + exp(-x)) (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void sigmoid_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::sigmoid.default", args, num_args, true, true, [](auto x) {
    using T = decltype(x);
    return static_cast<T>(T(1) / (T(1) + std::exp(-x)));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::sigmoid.default", sigmoid_default);

}  // namespace kernels
}  // namespace ember
