// aten::glu.default: splits self in two halves a, b along dim and returns a * sigmoid(b).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void glu_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::glu.default";
  if (!check_nargs(ctx, op, num_args, 3)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  EMBER_KCHECK(ctx, args[1] != nullptr && args[1]->is_int(), "%s: dim must be an int", op);
  Tensor* out = get_tensor(ctx, op, args, 2, "out");
  if (out == nullptr) return;
  EMBER_KCHECK(ctx, in->dim() > 0, "%s: glu does not support scalars", op);
  const int64_t dim = normalize_dim(args[1]->to_int(), in->dim());
  EMBER_KCHECK(ctx, dim >= 0, "%s: dim %lld out of range for a %d-d tensor", op,
               static_cast<long long>(args[1]->to_int()), in->dim());
  const int d = static_cast<int>(dim);
  const int64_t size = in->size(d);
  EMBER_KCHECK(ctx, size % 2 == 0,
               "%s: halving dimension must be even, but dimension %d is size %lld", op, d,
               static_cast<long long>(size));
  EMBER_KCHECK(ctx, is_floating(in->dtype()), "%s: expected a floating point input", op);
  if (!check_dtype(ctx, op, *out, in->dtype())) return;
  bool shape_ok = out->dim() == in->dim();
  for (int i = 0; shape_ok && i < in->dim(); ++i) {
    shape_ok = out->size(i) == (i == d ? size / 2 : in->size(i));
  }
  EMBER_KCHECK(ctx, shape_ok, "%s: out has the wrong shape", op);
  if (out->numel() == 0) return;
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < d; ++i) outer *= in->size(i);
  for (int i = d + 1; i < in->dim(); ++i) inner *= in->size(i);
  const int64_t half = size / 2 * inner;
  dispatch_float(in->dtype(), [&](auto z) {
    using T = decltype(z);
    const T* x = in->data_as<const T>();
    T* y = out->data_as<T>();
    for (int64_t o = 0; o < outer; ++o) {
      const T* a = x + o * 2 * half;
      const T* b = a + half;
      T* r = y + o * half;
      for (int64_t i = 0; i < half; ++i) r[i] = a[i] * (T(1) / (T(1) + std::exp(-b[i])));
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::glu.default", glu_default);

}  // namespace kernels
}  // namespace ember
