// aten::baddbmm.default: out = beta * self + alpha * (batch1 @ batch2), self broadcast to
// [B,M,N]; self is ignored when beta == 0 (as in PyTorch).
#include "runtime/kernels/portable/gemm.h"
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename T>
void baddbmm_typed(const Tensor& self, const Tensor& a, const Tensor& b, const EValue& beta_v,
                   const EValue& alpha_v, const Tensor& out) {
  const int64_t B = a.size(0), M = a.size(1), K = a.size(2), N = b.size(2);
  const T beta = nn::scalar_to<T>(beta_v), alpha = nn::scalar_to<T>(alpha_v);
  const bool use_self = beta != T(0);
  if (use_self) nn::fill_broadcast_scaled<T>(self, out, beta);
  for (int64_t i = 0; i < B; ++i)
    gemm_rm<T>(M, N, K, a.data_as<const T>() + i * M * K, K, b.data_as<const T>() + i * K * N, N,
               false, out.data_as<T>() + i * M * N, N, alpha, use_self);
}

// baddbmm(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor
void baddbmm_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::baddbmm";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 6);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_TENSOR(ctx, op, args, 1);
  EMBER_NN_TENSOR(ctx, op, args, 2);
  EMBER_NN_SCALAR(ctx, op, args, 3);
  EMBER_NN_SCALAR(ctx, op, args, 4);
  EMBER_NN_TENSOR(ctx, op, args, 5);
  const Tensor& self = args[0]->tensor();
  const Tensor& a = args[1]->tensor();
  const Tensor& b = args[2]->tensor();
  const Tensor& out = args[5]->tensor();
  EMBER_KCHECK(ctx, a.dim() == 3 && b.dim() == 3, "%s: expected 3-D batches, got %dD and %dD", op,
               a.dim(), b.dim());
  EMBER_KCHECK(ctx, a.size(0) == b.size(0) && a.size(2) == b.size(1),
               "%s: batch or inner sizes mismatch ([%lld, %lld, %lld] vs [%lld, %lld, %lld])", op,
               (long long)a.size(0), (long long)a.size(1), (long long)a.size(2),
               (long long)b.size(0), (long long)b.size(1), (long long)b.size(2));
  EMBER_KCHECK(
      ctx, a.dtype() == b.dtype() && self.dtype() == a.dtype() && nn::is_gemm_dtype(a.dtype()),
      "%s: unsupported or mismatched dtypes (%s, %s, %s)", op, scalar_type_name(self.dtype()),
      scalar_type_name(a.dtype()), scalar_type_name(b.dtype()));
  const int64_t osz[3] = {a.size(0), a.size(1), b.size(2)};
  if (!nn::check_out(ctx, op, "out", out, a.dtype(), 3, osz)) return;
  EMBER_KCHECK(ctx, broadcastable_to(self, out), "%s: self (%dD) does not broadcast to the output",
               op, self.dim());
  EMBER_KCHECK(ctx, is_floating(a.dtype()) || (!args[3]->is_double() && !args[4]->is_double()),
               "%s: for integral tensors, beta and alpha must not be floating point numbers", op);
  EMBER_NN_GEMM_DISPATCH(a.dtype(), baddbmm_typed, self, a, b, *args[3], *args[4], out);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::baddbmm.default", baddbmm_out);

}  // namespace kernels
}  // namespace ember
