// aten::prelu.default: x > 0 ? x : weight[c] * x, with weight a single value or one per channel
// (dim 1). aten::_prelu_kernel does not exist in PyTorch 1.13.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

// v > 0 ? v : a * v, written select-free so the loops vectorize (NaN stays NaN).
template <typename T>
inline T prelu_one(T v, T a) {
  const T pos = v < T(0) ? T(0) : v;
  const T neg = v < T(0) ? v : T(0);
  return pos + a * neg;
}

void prelu_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::prelu.default";
  if (!check_nargs(ctx, op, num_args, 3)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  Tensor* w = get_tensor(ctx, op, args, 1, "weight");
  if (w == nullptr) return;
  Tensor* out = get_tensor(ctx, op, args, 2, "out");
  if (out == nullptr) return;
  EMBER_KCHECK(ctx, w->dim() <= 1, "%s: weight must be a scalar or a 1-d tensor", op);
  const int64_t channels = in->dim() >= 2 ? in->size(1) : 1;
  const int64_t nw = w->numel();
  EMBER_KCHECK(ctx, nw == 1 || nw == channels,
               "%s: weight has %lld values but the input has %lld channels", op,
               static_cast<long long>(nw), static_cast<long long>(channels));
  EMBER_KCHECK(ctx, is_floating(in->dtype()), "%s: expected a floating point input", op);
  EMBER_KCHECK(ctx, w->dtype() == in->dtype(), "%s: weight dtype must match the input dtype", op);
  if (!check_same_shape(ctx, op, *out, *in)) return;
  if (!check_dtype(ctx, op, *out, in->dtype())) return;
  if (out->numel() == 0) return;
  dispatch_float(in->dtype(), [&](auto z) {
    using T = decltype(z);
    const T* x = in->data_as<const T>();
    const T* wp = w->data_as<const T>();
    T* y = out->data_as<T>();
    if (nw == 1) {
      const T a = wp[0];
      const int64_t n = in->numel();
      for (int64_t i = 0; i < n; ++i) y[i] = prelu_one(x[i], a);
      return;
    }
    int64_t inner = 1;
    for (int i = 2; i < in->dim(); ++i) inner *= in->size(i);
    const int64_t outer = in->size(0);
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t c = 0; c < channels; ++c) {
        const T a = wp[c];
        const int64_t base = (o * channels + c) * inner;
        for (int64_t i = 0; i < inner; ++i) {
          y[base + i] = prelu_one(x[base + i], a);
        }
      }
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::prelu.default", prelu_default);

}  // namespace kernels
}  // namespace ember
