// aten::neg.default: -x (integers wrap) (keeps the input dtype).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void neg_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op(ctx, "aten::neg.default", args, num_args, false, false,
               [](auto x) { return ew::w_neg(x); });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::neg.default", neg_default);

}  // namespace kernels
}  // namespace ember
