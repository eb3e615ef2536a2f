// aten::native_batch_norm.default on input [N, C, *].
//  - training=False: normalizes with running_mean / running_var as PyTorch's CPU kernel does
//    (out = x * alpha + beta with alpha = weight / sqrt(var + eps), beta = bias - mean * alpha).
//    save_mean / save_invstd are empty ([0]) in PyTorch 1.13 CPU eval mode; if the caller gives
//    them C elements they receive running_mean and 1 / sqrt(running_var + eps).
//  - training=True: normalizes with the batch statistics (biased variance) and returns them as
//    save_mean / save_invstd. The running statistics are NOT updated (they are program inputs /
//    constants at inference time); only the returned tensors are produced.
#include <cmath>

#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename T>
void batch_norm_compute(const Tensor& x, const Tensor* w, const Tensor* b, const Tensor* rm,
                        const Tensor* rv, bool training, double eps, const Tensor& out,
                        const Tensor& save_mean, const Tensor& save_invstd) {
  const int64_t N = x.size(0), C = x.size(1);
  const int64_t S = C == 0 || N == 0 ? 0 : x.numel() / (N * C);
  const T* xp = x.data_as<const T>();
  T* yp = out.data_as<T>();
  const bool fill_save = save_mean.numel() == C && C > 0;
  for (int64_t c = 0; c < C; ++c) {
    T mean, invstd;
    if (training) {
      const int64_t cnt = N * S;
      double s = 0.0;
      for (int64_t n = 0; n < N; ++n) {
        const T* p = xp + (n * C + c) * S;
        for (int64_t i = 0; i < S; ++i) s += p[i];
      }
      const double m = cnt ? s / static_cast<double>(cnt) : 0.0;
      double ss = 0.0;
      for (int64_t n = 0; n < N; ++n) {
        const T* p = xp + (n * C + c) * S;
        for (int64_t i = 0; i < S; ++i) {
          const double d = p[i] - m;
          ss += d * d;
        }
      }
      mean = static_cast<T>(m);
      invstd = static_cast<T>(cnt ? 1.0 / std::sqrt(ss / static_cast<double>(cnt) + eps) : 0.0);
    } else {
      mean = static_cast<T>(load_as_double(*rm, c));
      invstd = T(1) / std::sqrt(static_cast<T>(load_as_double(*rv, c)) + static_cast<T>(eps));
    }
    if (fill_save) {
      store_from_double(save_mean, c, mean);
      store_from_double(save_invstd, c, invstd);
    }
    const T wv = w ? static_cast<T>(load_as_double(*w, c)) : T(1);
    const T bv = b ? static_cast<T>(load_as_double(*b, c)) : T(0);
    const T alpha = invstd * wv;
    const T beta = bv - mean * alpha;
    for (int64_t n = 0; n < N; ++n) {
      const T* p = xp + (n * C + c) * S;
      T* q = yp + (n * C + c) * S;
      for (int64_t i = 0; i < S; ++i) q[i] = p[i] * alpha + beta;
    }
  }
}

// native_batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean,
//                   Tensor? running_var, bool training, float momentum, float eps)
//     -> (Tensor, Tensor, Tensor)
void native_batch_norm_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::native_batch_norm";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 11);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  for (size_t i = 1; i <= 4; ++i) EMBER_NN_OPT_TENSOR(ctx, op, args, i);
  EMBER_NN_BOOL(ctx, op, args, 5);
  EMBER_NN_NUMBER(ctx, op, args, 6);
  EMBER_NN_NUMBER(ctx, op, args, 7);
  EMBER_NN_TENSOR(ctx, op, args, 8);
  EMBER_NN_TENSOR(ctx, op, args, 9);
  EMBER_NN_TENSOR(ctx, op, args, 10);
  const Tensor& x = args[0]->tensor();
  const Tensor* w = nn::opt_tensor(args, 1);
  const Tensor* b = nn::opt_tensor(args, 2);
  const Tensor* rm = nn::opt_tensor(args, 3);
  const Tensor* rv = nn::opt_tensor(args, 4);
  const bool training = args[5]->to_bool();
  const double eps = args[7]->scalar_as_double();
  const Tensor& out = args[8]->tensor();
  const Tensor& save_mean = args[9]->tensor();
  const Tensor& save_invstd = args[10]->tensor();
  const ScalarType dt = x.dtype();
  EMBER_KCHECK(ctx, dt == ScalarType::Float32 || dt == ScalarType::Float64,
               "%s: unsupported dtype %s", op, scalar_type_name(dt));
  EMBER_KCHECK(ctx, x.dim() >= 2, "%s: input must have at least 2 dimensions, got %d", op, x.dim());
  const int64_t C = x.size(1);
  for (const Tensor* p : {w, b, rm, rv}) {
    if (p == nullptr) continue;
    EMBER_KCHECK(ctx, p->dim() == 1 && p->size(0) == C && is_floating(p->dtype()),
                 "%s: weight, bias and running stats must be 1-D float tensors of size %lld", op,
                 (long long)C);
  }
  EMBER_KCHECK(ctx, training || (rm != nullptr && rv != nullptr),
               "%s: running_mean and running_var are required when training=False", op);
  if (!nn::check_out(ctx, op, "out", out, dt, x.dim(), x.sizes())) return;
  for (const Tensor* s : {&save_mean, &save_invstd}) {
    EMBER_KCHECK(ctx, is_floating(s->dtype()) && s->dim() == 1,
                 "%s: save_mean / save_invstd must be 1-D float tensors", op);
    if (training)
      EMBER_KCHECK(ctx, s->size(0) == C, "%s: save_mean / save_invstd must have %lld elements", op,
                   (long long)C);
    else
      EMBER_KCHECK(ctx, s->size(0) == 0 || s->size(0) == C,
                   "%s: save_mean / save_invstd must have 0 or %lld elements", op, (long long)C);
  }
  EMBER_KCHECK(ctx, save_mean.numel() == save_invstd.numel(),
               "%s: save_mean and save_invstd sizes differ", op);
  if (dt == ScalarType::Float32)
    batch_norm_compute<float>(x, w, b, rm, rv, training, eps, out, save_mean, save_invstd);
  else
    batch_norm_compute<double>(x, w, b, rm, rv, training, eps, out, save_mean, save_invstd);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::native_batch_norm.default", native_batch_norm_out);

}  // namespace kernels
}  // namespace ember
