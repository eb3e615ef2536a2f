// aten::native_group_norm.default: input [N, C, *] normalized per (sample, group of C/group
// channels); returns (out, mean [N, group], rstd [N, group]). Statistics in double.
#include <cmath>

#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename T>
void group_norm_compute(int64_t N, int64_t C, int64_t HxW, int64_t G, const T* x, const T* w,
                        const T* b, double eps, T* out, T* mean_out, T* rstd_out) {
  const int64_t cpg = C / G;
  const int64_t cnt = cpg * HxW;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t g = 0; g < G; ++g) {
      const int64_t base = (n * C + g * cpg) * HxW;
      const T* xg = x + base;
      T* yg = out + base;
      if (cnt == 0) {
        mean_out[n * G + g] = T(0);
        rstd_out[n * G + g] = static_cast<T>(NAN);
        continue;
      }
      double s = 0.0;
      for (int64_t i = 0; i < cnt; ++i) s += xg[i];
      const double mean = s / static_cast<double>(cnt);
      double ss = 0.0;
      for (int64_t i = 0; i < cnt; ++i) {
        const double dlt = xg[i] - mean;
        ss += dlt * dlt;
      }
      const double rstd_d = 1.0 / std::sqrt(ss / static_cast<double>(cnt) + eps);
      mean_out[n * G + g] = static_cast<T>(mean);
      rstd_out[n * G + g] = static_cast<T>(rstd_d);
      for (int64_t c = 0; c < cpg; ++c) {
        const int64_t ch = g * cpg + c;
        // y = x * scale + shift with scale = rstd * w, shift = b - mean * scale (as PyTorch).
        const double scale = rstd_d * (w ? static_cast<double>(w[ch]) : 1.0);
        const double shift = (b ? static_cast<double>(b[ch]) : 0.0) - mean * scale;
        const T sc = static_cast<T>(scale), sh = static_cast<T>(shift);
        const T* xc = xg + c * HxW;
        T* yc = yg + c * HxW;
        for (int64_t i = 0; i < HxW; ++i) yc[i] = xc[i] * sc + sh;
      }
    }
}

// native_group_norm(Tensor input, Tensor? weight, Tensor? bias, SymInt N, SymInt C, SymInt HxW,
//                   int group, float eps) -> (Tensor, Tensor, Tensor)
void native_group_norm_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::native_group_norm";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 11);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_OPT_TENSOR(ctx, op, args, 1);
  EMBER_NN_OPT_TENSOR(ctx, op, args, 2);
  EMBER_NN_INT(ctx, op, args, 3);
  EMBER_NN_INT(ctx, op, args, 4);
  EMBER_NN_INT(ctx, op, args, 5);
  EMBER_NN_INT(ctx, op, args, 6);
  EMBER_NN_NUMBER(ctx, op, args, 7);
  EMBER_NN_TENSOR(ctx, op, args, 8);
  EMBER_NN_TENSOR(ctx, op, args, 9);
  EMBER_NN_TENSOR(ctx, op, args, 10);
  const Tensor& x = args[0]->tensor();
  const Tensor* w = nn::opt_tensor(args, 1);
  const Tensor* b = nn::opt_tensor(args, 2);
  const int64_t N = args[3]->to_int(), C = args[4]->to_int(), HxW = args[5]->to_int();
  const int64_t G = args[6]->to_int();
  const double eps = args[7]->scalar_as_double();
  const Tensor& out = args[8]->tensor();
  const Tensor& mean = args[9]->tensor();
  const Tensor& rstd = args[10]->tensor();
  const ScalarType dt = x.dtype();
  EMBER_KCHECK(ctx, dt == ScalarType::Float32 || dt == ScalarType::Float64,
               "%s: unsupported dtype %s", op, scalar_type_name(dt));
  EMBER_KCHECK(ctx, x.dim() >= 2 && x.size(0) == N && x.size(1) == C,
               "%s: input must be [N=%lld, C=%lld, *]", op, (long long)N, (long long)C);
  const int64_t nc = N * C;  // bounded: N and C are sizes of a sane tensor
  EMBER_KCHECK(
      ctx, HxW >= 0 && (nc == 0 ? x.numel() == 0 : x.numel() % nc == 0 && x.numel() / nc == HxW),
      "%s: HxW = %lld does not match the input", op, (long long)HxW);
  EMBER_KCHECK(ctx, G >= 1 && C % G == 0, "%s: channels (%lld) not divisible by groups (%lld)", op,
               (long long)C, (long long)G);
  for (const Tensor* p : {w, b}) {
    if (p == nullptr) continue;
    EMBER_KCHECK(ctx, p->dtype() == dt && p->dim() == 1 && p->size(0) == C,
                 "%s: weight/bias must be 1-D with C elements and the input's dtype", op);
  }
  if (!nn::check_out(ctx, op, "out", out, dt, x.dim(), x.sizes())) return;
  const int64_t ssz[2] = {N, G};
  if (!nn::check_out(ctx, op, "mean", mean, dt, 2, ssz)) return;
  if (!nn::check_out(ctx, op, "rstd", rstd, dt, 2, ssz)) return;
  if (dt == ScalarType::Float32)
    group_norm_compute<float>(N, C, HxW, G, x.data_as<const float>(),
                              w ? w->data_as<const float>() : nullptr,
                              b ? b->data_as<const float>() : nullptr, eps, out.data_as<float>(),
                              mean.data_as<float>(), rstd.data_as<float>());
  else
    group_norm_compute<double>(N, C, HxW, G, x.data_as<const double>(),
                               w ? w->data_as<const double>() : nullptr,
                               b ? b->data_as<const double>() : nullptr, eps, out.data_as<double>(),
                               mean.data_as<double>(), rstd.data_as<double>());
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::native_group_norm.default", native_group_norm_out);

}  // namespace kernels
}  // namespace ember
