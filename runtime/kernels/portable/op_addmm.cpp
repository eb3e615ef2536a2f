// aten::addmm.default: out = beta * self + alpha * (mat1 @ mat2), self broadcast to [M,N].
// As in PyTorch, self is ignored (NaN/Inf not propagated) when beta == 0.
#include "runtime/kernels/portable/gemm.h"
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename T>
void addmm_typed(const Tensor& self, const Tensor& a, const Tensor& b, const EValue& beta_v,
                 const EValue& alpha_v, const Tensor& out) {
  const int64_t M = a.size(0), K = a.size(1), N = b.size(1);
  const T beta = nn::scalar_to<T>(beta_v), alpha = nn::scalar_to<T>(alpha_v);
  const bool use_self = beta != T(0);
  if (use_self) nn::fill_broadcast_scaled<T>(self, out, beta);
  gemm_rm<T>(M, N, K, a.data_as<const T>(), K, b.data_as<const T>(), N, false, out.data_as<T>(), N,
             alpha, use_self);
}

// addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor
void addmm_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::addmm";
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
  EMBER_KCHECK(ctx, a.dim() == 2 && b.dim() == 2, "%s: expected 2-D matrices, got %dD and %dD", op,
               a.dim(), b.dim());
  EMBER_KCHECK(ctx, a.size(1) == b.size(0), "%s: shapes [%lld, %lld] and [%lld, %lld] mismatch", op,
               (long long)a.size(0), (long long)a.size(1), (long long)b.size(0),
               (long long)b.size(1));
  EMBER_KCHECK(
      ctx, a.dtype() == b.dtype() && self.dtype() == a.dtype() && nn::is_gemm_dtype(a.dtype()),
      "%s: unsupported or mismatched dtypes (%s, %s, %s)", op, scalar_type_name(self.dtype()),
      scalar_type_name(a.dtype()), scalar_type_name(b.dtype()));
  const int64_t osz[2] = {a.size(0), b.size(1)};
  if (!nn::check_out(ctx, op, "out", out, a.dtype(), 2, osz)) return;
  EMBER_KCHECK(ctx, broadcastable_to(self, out),
               "%s: self (%dD) does not broadcast to [%lld, %lld]", op, self.dim(),
               (long long)osz[0], (long long)osz[1]);
  EMBER_KCHECK(ctx, is_floating(a.dtype()) || (!args[3]->is_double() && !args[4]->is_double()),
               "%s: for integral tensors, beta and alpha must not be floating point numbers", op);
  EMBER_NN_GEMM_DISPATCH(a.dtype(), addmm_typed, self, a, b, *args[3], *args[4], out);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::addmm.default", addmm_out);

}  // namespace kernels
}  // namespace ember
