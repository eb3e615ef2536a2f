// aten::linear.default: out[..., N] = input[..., K] @ weight[N, K]^T (+ bias broadcast to out).
#include "runtime/kernels/portable/gemm.h"
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename T>
void linear_typed(const Tensor& input, const Tensor& weight, const Tensor* bias,
                  const Tensor& out) {
  const int64_t K = weight.size(1), N = weight.size(0);
  int64_t M = 1;
  for (int i = 0; i + 1 < input.dim(); ++i) M *= input.size(i);
  if (bias != nullptr) nn::fill_broadcast_scaled<T>(*bias, out, T(1));
  // weight is [N, K]: B(k, j) = weight[j * K + k].
  gemm<T>(M, N, K, input.data_as<const T>(), K, 1, weight.data_as<const T>(), 1, K,
          out.data_as<T>(), N, 1, T(1), bias != nullptr);
}

// linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor
void linear_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::linear";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_TENSOR(ctx, op, args, 1);
  EMBER_NN_OPT_TENSOR(ctx, op, args, 2);
  EMBER_NN_TENSOR(ctx, op, args, 3);
  const Tensor& input = args[0]->tensor();
  const Tensor& weight = args[1]->tensor();
  const Tensor* bias = nn::opt_tensor(args, 2);
  const Tensor& out = args[3]->tensor();
  EMBER_KCHECK(ctx, input.dim() >= 1, "%s: input must have at least one dimension", op);
  EMBER_KCHECK(ctx, weight.dim() == 2,
               "%s: weight must be 2-D [out_features, in_features], got %dD", op, weight.dim());
  EMBER_KCHECK(ctx, input.size(-1) == weight.size(1),
               "%s: input has %lld features but weight expects %lld", op, (long long)input.size(-1),
               (long long)weight.size(1));
  EMBER_KCHECK(ctx, input.dtype() == weight.dtype() && nn::is_gemm_dtype(input.dtype()),
               "%s: unsupported or mismatched dtypes %s and %s", op,
               scalar_type_name(input.dtype()), scalar_type_name(weight.dtype()));
  int64_t osz[kMaxDims];
  for (int i = 0; i + 1 < input.dim(); ++i) osz[i] = input.size(i);
  osz[input.dim() - 1] = weight.size(0);
  if (!nn::check_out(ctx, op, "out", out, input.dtype(), input.dim(), osz)) return;
  if (bias != nullptr) {
    EMBER_KCHECK(ctx, bias->dtype() == input.dtype(), "%s: bias dtype %s does not match input %s",
                 op, scalar_type_name(bias->dtype()), scalar_type_name(input.dtype()));
    EMBER_KCHECK(ctx, broadcastable_to(*bias, out), "%s: bias (%dD) does not broadcast to output",
                 op, bias->dim());
  }
  EMBER_NN_GEMM_DISPATCH(input.dtype(), linear_typed, input, weight, bias, out);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::linear.default", linear_out);

}  // namespace kernels
}  // namespace ember
