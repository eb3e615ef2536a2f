// aten::native_layer_norm.default: normalizes over the trailing normalized_shape dims; returns
// (out, mean, rstd) with mean/rstd of shape [leading..., 1, ..., 1]. Statistics are accumulated
// in double (two passes); empty rows give mean 0 and rstd NaN like PyTorch.
#include <cmath>

#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename T>
void layer_norm_compute(int64_t M, int64_t N, const T* x, const T* w, const T* b, double eps,
                        T* out, T* mean_out, T* rstd_out) {
  for (int64_t r = 0; r < M; ++r) {
    const T* xr = x + r * N;
    T* yr = out + r * N;
    if (N == 0) {
      mean_out[r] = T(0);
      rstd_out[r] = static_cast<T>(NAN);
      continue;
    }
    double s = 0.0;
    for (int64_t i = 0; i < N; ++i) s += xr[i];
    const double mean = s / static_cast<double>(N);
    double ss = 0.0;
    for (int64_t i = 0; i < N; ++i) {
      const double dlt = xr[i] - mean;
      ss += dlt * dlt;
    }
    const double var = ss / static_cast<double>(N);
    const T rstd = static_cast<T>(1.0 / std::sqrt(var + eps));
    const T m = static_cast<T>(mean);
    mean_out[r] = m;
    rstd_out[r] = rstd;
    if (w != nullptr && b != nullptr) {
      for (int64_t i = 0; i < N; ++i) yr[i] = (xr[i] - m) * rstd * w[i] + b[i];
    } else if (w != nullptr) {
      for (int64_t i = 0; i < N; ++i) yr[i] = (xr[i] - m) * rstd * w[i];
    } else if (b != nullptr) {
      for (int64_t i = 0; i < N; ++i) yr[i] = (xr[i] - m) * rstd + b[i];
    } else {
      for (int64_t i = 0; i < N; ++i) yr[i] = (xr[i] - m) * rstd;
    }
  }
}

// native_layer_norm(Tensor input, SymInt[] normalized_shape, Tensor? weight, Tensor? bias,
//                   float eps) -> (Tensor, Tensor, Tensor)
void native_layer_norm_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::native_layer_norm";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 8);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_INT_LIST(ctx, op, args, 1);
  EMBER_NN_OPT_TENSOR(ctx, op, args, 2);
  EMBER_NN_OPT_TENSOR(ctx, op, args, 3);
  EMBER_NN_NUMBER(ctx, op, args, 4);
  EMBER_NN_TENSOR(ctx, op, args, 5);
  EMBER_NN_TENSOR(ctx, op, args, 6);
  EMBER_NN_TENSOR(ctx, op, args, 7);
  const Tensor& x = args[0]->tensor();
  const ArrayRef<int64_t> shape = args[1]->int_list();
  const Tensor* w = nn::opt_tensor(args, 2);
  const Tensor* b = nn::opt_tensor(args, 3);
  const double eps = args[4]->scalar_as_double();
  const Tensor& out = args[5]->tensor();
  const Tensor& mean = args[6]->tensor();
  const Tensor& rstd = args[7]->tensor();
  const ScalarType dt = x.dtype();
  EMBER_KCHECK(ctx, dt == ScalarType::Float32 || dt == ScalarType::Float64,
               "%s: unsupported dtype %s", op, scalar_type_name(dt));
  const int L = static_cast<int>(shape.size);
  EMBER_KCHECK(ctx, L >= 1 && L <= x.dim(), "%s: normalized_shape has %d dims but the input has %d",
               op, L, x.dim());
  const int lead = x.dim() - L;
  int64_t M = 1, N = 1;
  for (int i = 0; i < lead; ++i) M *= x.size(i);
  for (int i = 0; i < L; ++i) {
    EMBER_KCHECK(ctx, shape[i] == x.size(lead + i),
                 "%s: normalized_shape[%d] = %lld does not match input size %lld", op, i,
                 (long long)shape[i], (long long)x.size(lead + i));
    N *= shape[i];
  }
  for (const Tensor* p : {w, b}) {
    if (p == nullptr) continue;
    EMBER_KCHECK(ctx, p->dtype() == dt, "%s: weight/bias dtype must match the input", op);
    bool same = p->dim() == L;
    for (int i = 0; same && i < L; ++i) same = p->size(i) == shape[i];
    EMBER_KCHECK(ctx, same, "%s: weight/bias shape must equal normalized_shape", op);
  }
  if (!nn::check_out(ctx, op, "out", out, dt, x.dim(), x.sizes())) return;
  int64_t ssz[kMaxDims];
  for (int i = 0; i < x.dim(); ++i) ssz[i] = i < lead ? x.size(i) : 1;
  if (!nn::check_out(ctx, op, "mean", mean, dt, x.dim(), ssz)) return;
  if (!nn::check_out(ctx, op, "rstd", rstd, dt, x.dim(), ssz)) return;
  if (dt == ScalarType::Float32)
    layer_norm_compute<float>(M, N, x.data_as<const float>(),
                              w ? w->data_as<const float>() : nullptr,
                              b ? b->data_as<const float>() : nullptr, eps, out.data_as<float>(),
                              mean.data_as<float>(), rstd.data_as<float>());
  else
    layer_norm_compute<double>(M, N, x.data_as<const double>(),
                               w ? w->data_as<const double>() : nullptr,
                               b ? b->data_as<const double>() : nullptr, eps, out.data_as<double>(),
                               mean.data_as<double>(), rstd.data_as<double>());
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::native_layer_norm.default", native_layer_norm_out);

}  // namespace kernels
}  // namespace ember
