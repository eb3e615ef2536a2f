// aten::maximum.default: elementwise maximum of self and other (NaN propagates).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void maximum_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::same_type_binary_op(ctx, "aten::maximum.default", args, num_args, true, true,
                          [](auto p, auto q) { return ew::nan_max(p, q); });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::maximum.default", maximum_default);

}  // namespace kernels
}  // namespace ember
