// aten::hardsigmoid.default: min(max(x + 3, 0), 6) / 6 (floating point only).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void hardsigmoid_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::hardsigmoid.default";
  if (!check_nargs(ctx, op, num_args, 2)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  Tensor* out = get_tensor(ctx, op, args, 1, "out");
  if (out == nullptr) return;

  unary_float_op(ctx, op, args, in, out, [&](auto x) {
    using T = decltype(x);
    return std::min(std::max(x + T(3), T(0)), T(6)) / T(6);
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::hardsigmoid.default", hardsigmoid_default);

}  // namespace kernels
}  // namespace ember
