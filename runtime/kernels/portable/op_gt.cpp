// aten::gt.Tensor / gt.Scalar: self greater than other, compared in the promoted dtype; bool out.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void gt_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::compare_op(ctx, "aten::gt.Tensor", args, num_args,
                 [](auto p, auto q) -> bool { return p > q; });
}
void gt_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::compare_op(ctx, "aten::gt.Scalar", args, num_args,
                 [](auto p, auto q) -> bool { return p > q; });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::gt.Tensor", gt_tensor);
EMBER_REGISTER_KERNEL("aten::gt.Scalar", gt_scalar);

}  // namespace kernels
}  // namespace ember
