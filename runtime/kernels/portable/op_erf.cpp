// aten::erf.default: error function (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void erf_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::erf.default", args, num_args, true, true, [](auto x) {
    using T = decltype(x);
    return static_cast<T>(std::erf(x));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::erf.default", erf_default);

}  // namespace kernels
}  // namespace ember
