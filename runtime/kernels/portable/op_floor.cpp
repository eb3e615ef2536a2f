// aten::floor.default: rounds down; integers are copied (keeps the input dtype).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void floor_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::floor.default", args, num_args, false, false, [](auto x) {
    using T = decltype(x);
    if constexpr (std::is_floating_point<T>::value) {
      return std::floor(x);
    } else {
      return x;
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::floor.default", floor_default);

}  // namespace kernels
}  // namespace ember
