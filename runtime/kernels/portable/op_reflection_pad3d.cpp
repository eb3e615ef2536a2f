// aten::reflection_pad3d.default: reflection padding of the last 3 dim(s).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// reflection_pad3d(Tensor self, int[6] padding) -> Tensor
void reflection_pad3d_out(KernelContext& ctx, EValue** args, size_t num_args) {
  shape::pad_nd(ctx, "aten::reflection_pad3d", args, num_args, 3, shape::PadMode::Reflect);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::reflection_pad3d.default", reflection_pad3d_out);

}  // namespace kernels
}  // namespace ember
