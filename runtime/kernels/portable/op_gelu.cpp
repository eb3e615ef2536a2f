// aten::gelu.default: x * Phi(x); approximate 'none' uses erf, 'tanh' the tanh formula.
// Floating point only.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void gelu_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::gelu.default";
  if (!check_nargs(ctx, op, num_args, 3)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  Tensor* out = get_tensor(ctx, op, args, 2, "out");
  if (out == nullptr) return;
  bool tanh_approx;
  if (args[1] != nullptr && string_equals(*args[1], "none")) {
    tanh_approx = false;
  } else if (args[1] != nullptr && string_equals(*args[1], "tanh")) {
    tanh_approx = true;
  } else {
    ctx.fail(Error::InvalidArgument, "%s: approximate must be 'none' or 'tanh'", op);
    return;
  }
  unary_float_op(ctx, op, args, in, out, [&](auto x) {
    using T = decltype(x);
    if (tanh_approx) {
      const T kBeta = static_cast<T>(0.7978845608028654);  // sqrt(2 / pi)
      const T kKappa = static_cast<T>(0.044715);
      const T inner = kBeta * (x + kKappa * x * x * x);
      return T(0.5) * x * (T(1) + std::tanh(inner));
    }
    const T kAlpha = static_cast<T>(0.7071067811865476);  // 1 / sqrt(2)
    return x * T(0.5) * (T(1) + std::erf(x * kAlpha));
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::gelu.default", gelu_default);

}  // namespace kernels
}  // namespace ember
