// aten::rsqrt.default: 1 / sqrt(x) (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void rsqrt_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::rsqrt.default", args, num_args, true, true, [](auto x) {
    using T = decltype(x);
    return static_cast<T>(T(1) / std::sqrt(x));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::rsqrt.default", rsqrt_default);

}  // namespace kernels
}  // namespace ember
