// aten::ne.Tensor / ne.Scalar: self not equal to other, compared in the promoted dtype; bool out.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void ne_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::compare_op(ctx, "aten::ne.Tensor", args, num_args,
                 [](auto p, auto q) -> bool { return p != q; });
}
void ne_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::compare_op(ctx, "aten::ne.Scalar", args, num_args,
                 [](auto p, auto q) -> bool { return p != q; });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::ne.Tensor", ne_tensor);
EMBER_REGISTER_KERNEL("aten::ne.Scalar", ne_scalar);

}  // namespace kernels
}  // namespace ember
