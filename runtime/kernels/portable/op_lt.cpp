// aten::lt.Tensor / lt.Scalar: self less than other, compared in the promoted dtype; bool out.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void lt_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::compare_op(ctx, "aten::lt.Tensor", args, num_args,
                 [](auto p, auto q) -> bool { return p < q; });
}
void lt_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::compare_op(ctx, "aten::lt.Scalar", args, num_args,
                 [](auto p, auto q) -> bool { return p < q; });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::lt.Tensor", lt_tensor);
EMBER_REGISTER_KERNEL("aten::lt.Scalar", lt_scalar);

}  // namespace kernels
}  // namespace ember
