// aten::abs.default: |x| (integers wrap at the minimum) (keeps the input dtype).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void abs_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::abs.default", args, num_args, false, false, [](auto x) {
    using T = decltype(x);
    if constexpr (std::is_floating_point<T>::value) {
      return std::abs(x);
    } else if constexpr (ew::is_int_v<T> && std::is_signed<T>::value) {
      return x < T(0) ? ew::w_neg(x) : x;
    } else {
      return x;
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::abs.default", abs_default);

}  // namespace kernels
}  // namespace ember
