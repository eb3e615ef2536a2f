// aten::logical_xor.default: truthiness of any dtype (non-zero, NaN counts as true); bool out.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void logical_xor_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::logical_binary_op(ctx, "aten::logical_xor.default", args, num_args,
                        [](bool p, bool q) -> bool { return p != q; });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::logical_xor.default", logical_xor_default);

}  // namespace kernels
}  // namespace ember
