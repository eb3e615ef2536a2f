// aten::_softmax.default: numerically stable softmax along any dim (max-subtracted, NaN
// propagating); the shared body is in softmax_utils.h.
#include "runtime/kernels/portable/softmax_utils.h"

namespace ember {
namespace kernels {
namespace {

// _softmax(Tensor self, int dim, bool half_to_float) -> Tensor
void kernel_out(KernelContext& ctx, EValue** args, size_t num_args) {
  nn::softmax_kernel</*kLog=*/false>(ctx, "aten::_softmax", args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::_softmax.default", kernel_out);

}  // namespace kernels
}  // namespace ember
