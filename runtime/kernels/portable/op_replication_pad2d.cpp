// aten::replication_pad2d.default: replication padding of the last 2 dim(s).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// replication_pad2d(Tensor self, int[4] padding) -> Tensor
void replication_pad2d_out(KernelContext& ctx, EValue** args, size_t num_args) {
  shape::pad_nd(ctx, "aten::replication_pad2d", args, num_args, 2, shape::PadMode::Replicate);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::replication_pad2d.default", replication_pad2d_out);

}  // namespace kernels
}  // namespace ember
