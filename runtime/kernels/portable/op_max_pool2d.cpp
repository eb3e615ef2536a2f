// aten::max_pool2d.default: 2-D max pooling (values only), padding, dilation, ceil_mode.
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

// max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0,
//            int[2] dilation=1, bool ceil_mode=False) -> Tensor
void max_pool2d_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::max_pool2d";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 7);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_INT_LIST(ctx, op, args, 1);
  EMBER_NN_INT_LIST(ctx, op, args, 2);
  EMBER_NN_INT_LIST(ctx, op, args, 3);
  EMBER_NN_INT_LIST(ctx, op, args, 4);
  EMBER_NN_BOOL(ctx, op, args, 5);
  EMBER_NN_TENSOR(ctx, op, args, 6);
  const Tensor& in = args[0]->tensor();
  const Tensor& out = args[6]->tensor();
  nn::Pool2d P;
  if (!nn::parse_pool2d(ctx, op, in, *args[1], *args[2], *args[3], args[4], args[5]->to_bool(), &P))
    return;
  if (!nn::check_out(ctx, op, "out", out, in.dtype(), P.out_dim, P.out_sizes)) return;
  if (in.dtype() == ScalarType::Float32)
    nn::max_pool2d_compute<float>(P, in.data_as<const float>(), out.data_as<float>(), nullptr);
  else
    nn::max_pool2d_compute<double>(P, in.data_as<const double>(), out.data_as<double>(), nullptr);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::max_pool2d.default", max_pool2d_out);

}  // namespace kernels
}  // namespace ember
