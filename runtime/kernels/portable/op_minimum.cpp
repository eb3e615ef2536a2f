// aten::minimum.default: elementwise minimum of self and other (NaN propagates).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void minimum_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::same_type_binary_op(ctx, "aten::minimum.default", args, num_args, true, true,
                          [](auto p, auto q) { return ew::nan_min(p, q); });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::minimum.default", minimum_default);

}  // namespace kernels
}  // namespace ember
