// aten::lerp.Scalar / lerp.Tensor: self + weight * (end - self), computed like PyTorch
// (end - (end - self) * (1 - weight) when |weight| >= 0.5). Floating point only; self, end
// (and a weight tensor) share one dtype and broadcast together.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

template <typename T>
inline T lerp_one(T s, T e, T w) {
  return std::abs(w) < T(0.5) ? s + w * (e - s) : e - (e - s) * (T(1) - w);
}

void lerp_impl(KernelContext& ctx, const char* op, EValue** args, size_t num_args,
               bool tensor_weight) {
  if (!check_nargs(ctx, op, num_args, 4)) return;
  Tensor* self = get_tensor(ctx, op, args, 0, "self");
  if (self == nullptr) return;
  Tensor* end = get_tensor(ctx, op, args, 1, "end");
  if (end == nullptr) return;
  Tensor* weight = nullptr;
  if (tensor_weight) {
    weight = get_tensor(ctx, op, args, 2, "weight");
    if (weight == nullptr) return;
  } else if (!get_scalar(ctx, op, args, 2, "weight")) {
    return;
  }
  Tensor* out = get_tensor(ctx, op, args, 3, "out");
  if (out == nullptr) return;
  EMBER_KCHECK(ctx, is_floating(self->dtype()), "%s: expected a floating point input", op);
  EMBER_KCHECK(ctx, end->dtype() == self->dtype(), "%s: end must have self's dtype", op);
  EMBER_KCHECK(ctx, weight == nullptr || weight->dtype() == self->dtype(),
               "%s: weight must have self's dtype", op);
  if (!check_broadcast_out(ctx, op, *out, self, end, weight)) return;
  if (!check_dtype(ctx, op, *out, self->dtype())) return;
  dispatch_float(self->dtype(), [&](auto z) {
    using T = decltype(z);
    if (weight != nullptr) {
      ternary_loop<T, T, T, T>(self, end, weight, *out,
                               [](T s, T e, T w) -> T { return lerp_one(s, e, w); });
    } else {
      const T w = scalar_to<T>(*args[2]);
      binary_loop<T, T>(*self, *end, *out, [w](T s, T e) -> T { return lerp_one(s, e, w); });
    }
  });
}

void lerp_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  lerp_impl(ctx, "aten::lerp.Scalar", args, num_args, false);
}
void lerp_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  lerp_impl(ctx, "aten::lerp.Tensor", args, num_args, true);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::lerp.Scalar", lerp_scalar);
EMBER_REGISTER_KERNEL("aten::lerp.Tensor", lerp_tensor);

}  // namespace kernels
}  // namespace ember
