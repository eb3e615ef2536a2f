// aten::reciprocal.default: 1 / x (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void reciprocal_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::reciprocal.default", args, num_args, true, true, [](auto x) {
    using T = decltype(x);
    return static_cast<T>(T(1) / x);
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::reciprocal.default", reciprocal_default);

}  // namespace kernels
}  // namespace ember
