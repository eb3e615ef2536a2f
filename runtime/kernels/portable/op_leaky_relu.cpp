// aten::leaky_relu.default: x > 0 ? x : x * negative_slope (floating point only).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void leaky_relu_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::leaky_relu.default";
  if (!check_nargs(ctx, op, num_args, 3)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  Tensor* out = get_tensor(ctx, op, args, 2, "out");
  if (out == nullptr) return;
  if (!get_scalar(ctx, op, args, 1, "negative_slope")) return;
  const double slope = args[1]->scalar_as_double();
  unary_float_op(ctx, op, args, in, out, [&](auto x) {
    using T = decltype(x);
    const T s = static_cast<T>(slope);
    // x > 0 ? x : x * s, written select-free so it vectorizes (NaN stays NaN).
    const T pos = x < T(0) ? T(0) : x;
    const T neg = x < T(0) ? x : T(0);
    return pos + neg * s;
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::leaky_relu.default", leaky_relu_default);

}  // namespace kernels
}  // namespace ember
