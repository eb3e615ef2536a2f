// aten::max_pool2d_with_indices.default: 2-D max pooling returning values and int64 indices
// (flat h * W + w positions within each input plane), with padding, dilation and ceil_mode.
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

// max_pool2d_with_indices(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0,
//                         int[2] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)
void max_pool2d_with_indices_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::max_pool2d_with_indices";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 8);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_INT_LIST(ctx, op, args, 1);
  EMBER_NN_INT_LIST(ctx, op, args, 2);
  EMBER_NN_INT_LIST(ctx, op, args, 3);
  EMBER_NN_INT_LIST(ctx, op, args, 4);
  EMBER_NN_BOOL(ctx, op, args, 5);
  EMBER_NN_TENSOR(ctx, op, args, 6);
  EMBER_NN_TENSOR(ctx, op, args, 7);
  const Tensor& in = args[0]->tensor();
  const Tensor& out = args[6]->tensor();
  const Tensor& indices = args[7]->tensor();
  nn::Pool2d P;
  if (!nn::parse_pool2d(ctx, op, in, *args[1], *args[2], *args[3], args[4], args[5]->to_bool(), &P))
    return;
  if (!nn::check_out(ctx, op, "out", out, in.dtype(), P.out_dim, P.out_sizes)) return;
  if (!nn::check_out(ctx, op, "indices", indices, ScalarType::Int64, P.out_dim, P.out_sizes))
    return;
  if (in.dtype() == ScalarType::Float32)
    nn::max_pool2d_compute<float>(P, in.data_as<const float>(), out.data_as<float>(),
                                  indices.data_as<int64_t>());
  else
    nn::max_pool2d_compute<double>(P, in.data_as<const double>(), out.data_as<double>(),
                                   indices.data_as<int64_t>());
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::max_pool2d_with_indices.default", max_pool2d_with_indices_out);

}  // namespace kernels
}  // namespace ember
