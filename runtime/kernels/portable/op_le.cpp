// aten::le.Tensor / le.Scalar: self less than or equal to other, compared in the promoted dtype;
// bool out.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void le_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::compare_op(ctx, "aten::le.Tensor", args, num_args,
                 [](auto p, auto q) -> bool { return p <= q; });
}
void le_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::compare_op(ctx, "aten::le.Scalar", args, num_args,
                 [](auto p, auto q) -> bool { return p <= q; });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::le.Tensor", le_tensor);
EMBER_REGISTER_KERNEL("aten::le.Scalar", le_scalar);

}  // namespace kernels
}  // namespace ember
