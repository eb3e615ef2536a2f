// aten::matmul.default with NumPy semantics: 1-D operands are promoted to matrices (and the
// added dimension removed from the result), leading batch dimensions broadcast.
#include "runtime/kernels/portable/gemm.h"
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

struct MatmulPlan {
  int64_t M, N, K;
  int nbatch;                   // broadcast batch rank
  int64_t batch[kMaxDims];      // broadcast batch sizes
  int64_t a_bstride[kMaxDims];  // element stride of each batch dim in a (0: broadcast)
  int64_t b_bstride[kMaxDims];  // same for b
  bool b_vector;                // b is 1-D (N == 1)
};

template <typename T>
void matmul_typed(const Tensor& a, const Tensor& b, const Tensor& out, const MatmulPlan& p) {
  const T* A = a.data_as<const T>();
  const T* B = b.data_as<const T>();
  T* C = out.data_as<T>();
  // B(k, j): a 1-D b is a [K, 1] column; use unit row stride so the dot-product path applies.
  const int64_t b_rs = p.b_vector ? 1 : p.N;
  const int64_t b_cs = p.b_vector ? p.K : 1;
  int64_t nb = 1;
  for (int i = 0; i < p.nbatch; ++i) nb *= p.batch[i];
  // When b has no batch dims, fold a's batch into M: one large GEMM.
  bool b_shared = true;
  for (int i = 0; i < p.nbatch; ++i) b_shared = b_shared && p.b_bstride[i] == 0;
  bool a_full = true;  // a has every batch dim (no broadcasting)
  for (int i = 0; i < p.nbatch; ++i) a_full = a_full && (p.a_bstride[i] != 0 || p.batch[i] == 1);
  if (b_shared && a_full) {
    gemm<T>(nb * p.M, p.N, p.K, A, p.K, 1, B, b_rs, b_cs, C, p.N, 1, T(1), false);
    return;
  }
  for (int64_t bi = 0; bi < nb; ++bi) {
    int64_t rem = bi, aoff = 0, boff = 0;
    for (int d = p.nbatch - 1; d >= 0; --d) {
      const int64_t c = rem % p.batch[d];
      rem /= p.batch[d];
      aoff += c * p.a_bstride[d];
      boff += c * p.b_bstride[d];
    }
    gemm<T>(p.M, p.N, p.K, A + aoff, p.K, 1, B + boff, b_rs, b_cs, C + bi * p.M * p.N, p.N, 1, T(1),
            false);
  }
}

// matmul(Tensor self, Tensor other) -> Tensor
void matmul_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::matmul";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_TENSOR(ctx, op, args, 1);
  EMBER_NN_TENSOR(ctx, op, args, 2);
  const Tensor& a = args[0]->tensor();
  const Tensor& b = args[1]->tensor();
  const Tensor& out = args[2]->tensor();
  EMBER_KCHECK(ctx, a.dim() >= 1 && b.dim() >= 1, "%s: both arguments need at least 1 dimension",
               op);
  EMBER_KCHECK(ctx, a.dtype() == b.dtype() && nn::is_gemm_dtype(a.dtype()),
               "%s: unsupported or mismatched dtypes %s and %s", op, scalar_type_name(a.dtype()),
               scalar_type_name(b.dtype()));
  MatmulPlan p;
  const int da = a.dim(), db = b.dim();
  p.M = da == 1 ? 1 : a.size(-2);
  p.K = a.size(-1);
  const int64_t kb = db == 1 ? b.size(0) : b.size(-2);
  p.N = db == 1 ? 1 : b.size(-1);
  p.b_vector = db == 1;
  EMBER_KCHECK(ctx, p.K == kb, "%s: inner dimensions mismatch (%lld vs %lld)", op, (long long)p.K,
               (long long)kb);
  const int ra = da > 2 ? da - 2 : 0, rb = db > 2 ? db - 2 : 0;
  p.nbatch = ra > rb ? ra : rb;
  // Batch strides of a and b (row-major over their own batch dims), right-aligned.
  int64_t sa = p.M * p.K, sb = p.K * p.N;
  for (int d = p.nbatch - 1; d >= 0; --d) {
    const int ia = d - (p.nbatch - ra), ib = d - (p.nbatch - rb);
    const int64_t na = ia >= 0 ? a.size(ia) : 1, nbs = ib >= 0 ? b.size(ib) : 1;
    EMBER_KCHECK(ctx, na == nbs || na == 1 || nbs == 1,
                 "%s: batch dimensions %lld and %lld do not broadcast", op, (long long)na,
                 (long long)nbs);
    p.batch[d] = na == 1 ? nbs : na;
    p.a_bstride[d] = na == 1 ? 0 : sa;
    p.b_bstride[d] = nbs == 1 ? 0 : sb;
    sa *= na;
    sb *= nbs;
  }
  int64_t osz[kMaxDims + 2];
  int od = 0;
  for (int d = 0; d < p.nbatch; ++d) osz[od++] = p.batch[d];
  if (da > 1) osz[od++] = p.M;
  if (db > 1) osz[od++] = p.N;
  EMBER_KCHECK(ctx, od <= kMaxDims, "%s: result has too many dimensions", op);
  if (!nn::check_out(ctx, op, "out", out, a.dtype(), od, osz)) return;
  EMBER_NN_GEMM_DISPATCH(a.dtype(), matmul_typed, a, b, out, p);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::matmul.default", matmul_out);

}  // namespace kernels
}  // namespace ember
