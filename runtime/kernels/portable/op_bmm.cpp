// aten::bmm.default: out[b] = self[b] @ mat2[b] for [B,M,K] x [B,K,N].
#include "runtime/kernels/portable/gemm.h"
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename T>
void bmm_typed(const Tensor& a, const Tensor& b, const Tensor& out) {
  const int64_t B = a.size(0), M = a.size(1), K = a.size(2), N = b.size(2);
  for (int64_t i = 0; i < B; ++i)
    gemm_rm<T>(M, N, K, a.data_as<const T>() + i * M * K, K, b.data_as<const T>() + i * K * N, N,
               false, out.data_as<T>() + i * M * N, N, T(1), false);
}

// bmm(Tensor self, Tensor mat2) -> Tensor
void bmm_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::bmm";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_TENSOR(ctx, op, args, 1);
  EMBER_NN_TENSOR(ctx, op, args, 2);
  const Tensor& a = args[0]->tensor();
  const Tensor& b = args[1]->tensor();
  const Tensor& out = args[2]->tensor();
  EMBER_KCHECK(ctx, a.dim() == 3 && b.dim() == 3, "%s: expected 3-D tensors, got %dD and %dD", op,
               a.dim(), b.dim());
  EMBER_KCHECK(ctx, a.size(0) == b.size(0) && a.size(2) == b.size(1),
               "%s: batch or inner sizes mismatch ([%lld, %lld, %lld] vs [%lld, %lld, %lld])", op,
               (long long)a.size(0), (long long)a.size(1), (long long)a.size(2),
               (long long)b.size(0), (long long)b.size(1), (long long)b.size(2));
  EMBER_KCHECK(ctx, a.dtype() == b.dtype() && nn::is_gemm_dtype(a.dtype()),
               "%s: unsupported dtypes %s and %s", op, scalar_type_name(a.dtype()),
               scalar_type_name(b.dtype()));
  const int64_t osz[3] = {a.size(0), a.size(1), b.size(2)};
  if (!nn::check_out(ctx, op, "out", out, a.dtype(), 3, osz)) return;
  EMBER_NN_GEMM_DISPATCH(a.dtype(), bmm_typed, a, b, out);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::bmm.default", bmm_out);

}  // namespace kernels
}  // namespace ember
