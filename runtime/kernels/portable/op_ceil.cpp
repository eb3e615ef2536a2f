// aten::ceil.default: rounds up; integers are copied (keeps the input dtype).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void ceil_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::ceil.default", args, num_args, false, false, [](auto x) {
    using T = decltype(x);
    if constexpr (std::is_floating_point<T>::value) {
      return std::ceil(x);
    } else {
      return x;
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::ceil.default", ceil_default);

}  // namespace kernels
}  // namespace ember
