// aten::sign.default: -1, 0 or 1 (NaN gives 0; bool is copied) (keeps the input dtype).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void sign_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::sign.default", args, num_args, false, true, [](auto x) {
    using T = decltype(x);
    if constexpr (std::is_same<T, bool>::value) {
      return x;
    } else {
      return static_cast<T>((T(0) < x) - (x < T(0)));
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::sign.default", sign_default);

}  // namespace kernels
}  // namespace ember
