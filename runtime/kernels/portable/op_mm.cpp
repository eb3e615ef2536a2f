// aten::mm.default: out[M,N] = self[M,K] @ mat2[K,N] (blocked GEMM, float/double/int64/int32).
#include "runtime/kernels/portable/gemm.h"
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename T>
void mm_typed(const Tensor& a, const Tensor& b, const Tensor& out) {
  const int64_t M = a.size(0), K = a.size(1), N = b.size(1);
  gemm_rm<T>(M, N, K, a.data_as<const T>(), K, b.data_as<const T>(), N, false, out.data_as<T>(), N,
             T(1), false);
}

// mm(Tensor self, Tensor mat2) -> Tensor
void mm_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::mm";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_TENSOR(ctx, op, args, 1);
  EMBER_NN_TENSOR(ctx, op, args, 2);
  const Tensor& a = args[0]->tensor();
  const Tensor& b = args[1]->tensor();
  const Tensor& out = args[2]->tensor();
  EMBER_KCHECK(ctx, a.dim() == 2 && b.dim() == 2, "%s: expected 2-D tensors, got %dD and %dD", op,
               a.dim(), b.dim());
  EMBER_KCHECK(ctx, a.size(1) == b.size(0), "%s: shapes [%lld, %lld] and [%lld, %lld] mismatch", op,
               (long long)a.size(0), (long long)a.size(1), (long long)b.size(0),
               (long long)b.size(1));
  EMBER_KCHECK(ctx, a.dtype() == b.dtype() && nn::is_gemm_dtype(a.dtype()),
               "%s: unsupported dtypes %s and %s", op, scalar_type_name(a.dtype()),
               scalar_type_name(b.dtype()));
  const int64_t osz[2] = {a.size(0), b.size(1)};
  if (!nn::check_out(ctx, op, "out", out, a.dtype(), 2, osz)) return;
  EMBER_NN_GEMM_DISPATCH(a.dtype(), mm_typed, a, b, out);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::mm.default", mm_out);

}  // namespace kernels
}  // namespace ember
