// aten::replication_pad1d.default: replication padding of the last 1 dim(s).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// replication_pad1d(Tensor self, int[2] padding) -> Tensor
void replication_pad1d_out(KernelContext& ctx, EValue** args, size_t num_args) {
  shape::pad_nd(ctx, "aten::replication_pad1d", args, num_args, 1, shape::PadMode::Replicate);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::replication_pad1d.default", replication_pad1d_out);

}  // namespace kernels
}  // namespace ember
