// aten::replication_pad3d.default: replication padding of the last 3 dim(s).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// replication_pad3d(Tensor self, int[6] padding) -> Tensor
void replication_pad3d_out(KernelContext& ctx, EValue** args, size_t num_args) {
  shape::pad_nd(ctx, "aten::replication_pad3d", args, num_args, 3, shape::PadMode::Replicate);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::replication_pad3d.default", replication_pad3d_out);

}  // namespace kernels
}  // namespace ember
