// aten::eq.Tensor / eq.Scalar: self equal to other, compared in the promoted dtype; bool out.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void eq_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::compare_op(ctx, "aten::eq.Tensor", args, num_args,
                 [](auto p, auto q) -> bool { return p == q; });
}
void eq_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::compare_op(ctx, "aten::eq.Scalar", args, num_args,
                 [](auto p, auto q) -> bool { return p == q; });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::eq.Tensor", eq_tensor);
EMBER_REGISTER_KERNEL("aten::eq.Scalar", eq_scalar);

}  // namespace kernels
}  // namespace ember
