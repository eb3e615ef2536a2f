// aten::ge.Tensor / ge.Scalar: self greater than or equal to other, compared in the promoted dtype;
// bool out.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void ge_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::compare_op(ctx, "aten::ge.Tensor", args, num_args,
                 [](auto p, auto q) -> bool { return p >= q; });
}
void ge_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::compare_op(ctx, "aten::ge.Scalar", args, num_args,
                 [](auto p, auto q) -> bool { return p >= q; });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::ge.Tensor", ge_tensor);
EMBER_REGISTER_KERNEL("aten::ge.Scalar", ge_scalar);

}  // namespace kernels
}  // namespace ember
