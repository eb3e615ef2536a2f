// aten::cos.default: cosine (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void cos_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::cos.default", args, num_args, true, true, [](auto x) {
    using T = decltype(x);
    return static_cast<T>(std::cos(x));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::cos.default", cos_default);

}  // namespace kernels
}  // namespace ember
