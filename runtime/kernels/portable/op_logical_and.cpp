// aten::logical_and.default: truthiness of any dtype (non-zero, NaN counts as true); bool out.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void logical_and_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::logical_binary_op(ctx, "aten::logical_and.default", args, num_args,
                        [](bool p, bool q) -> bool { return p && q; });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::logical_and.default", logical_and_default);

}  // namespace kernels
}  // namespace ember
