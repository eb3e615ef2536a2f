// aten::reflection_pad1d.default: reflection padding of the last 1 dim(s).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// reflection_pad1d(Tensor self, int[2] padding) -> Tensor
void reflection_pad1d_out(KernelContext& ctx, EValue** args, size_t num_args) {
  shape::pad_nd(ctx, "aten::reflection_pad1d", args, num_args, 1, shape::PadMode::Reflect);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::reflection_pad1d.default", reflection_pad1d_out);

}  // namespace kernels
}  // namespace ember
