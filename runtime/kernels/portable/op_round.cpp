// aten::round.default (round half to even; integers copied) and aten::round.decimals
// (float only: nearbyint(x * 10^d) / 10^d, or nearbyint(x / 10^-d) * 10^-d for d < 0).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void round_default(KernelContext& ctx, EValue** args, size_t num_args) {
  unary_op(ctx, "aten::round.default", args, num_args, false, false, [](auto x) {
    using T = decltype(x);
    if constexpr (std::is_floating_point<T>::value) {
      return std::nearbyint(x);
    } else {
      return x;
    }
  });
}

void round_decimals(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::round.decimals";
  if (!check_nargs(ctx, op, num_args, 3)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  EMBER_KCHECK(ctx, args[1] != nullptr && args[1]->is_int(), "%s: decimals must be an int", op);
  int64_t decimals = args[1]->to_int();
  Tensor* out = get_tensor(ctx, op, args, 2, "out");
  if (out == nullptr) return;
  const bool neg = decimals < 0;
  if (neg) decimals = decimals == INT64_MIN ? INT64_MAX : -decimals;
  const double scale = std::pow(10.0, static_cast<double>(decimals));
  unary_float_op(ctx, op, args, in, out, [scale, neg](auto x) {
    using T = decltype(x);
    const T s = static_cast<T>(scale);
    return neg ? std::nearbyint(x / s) * s : std::nearbyint(x * s) / s;
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::round.default", round_default);
EMBER_REGISTER_KERNEL("aten::round.decimals", round_decimals);

}  // namespace kernels
}  // namespace ember
