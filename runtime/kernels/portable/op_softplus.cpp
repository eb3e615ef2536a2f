// aten::softplus.default: x * beta > threshold ? x : log1p(exp(x * beta)) / beta
// Floating point only.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void softplus_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::softplus.default";
  if (!check_nargs(ctx, op, num_args, 4)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  Tensor* out = get_tensor(ctx, op, args, 3, "out");
  if (out == nullptr) return;
  if (!get_scalar(ctx, op, args, 1, "beta")) return;
  if (!get_scalar(ctx, op, args, 2, "threshold")) return;
  const double beta = args[1]->scalar_as_double();
  const double threshold = args[2]->scalar_as_double();
  unary_float_op(ctx, op, args, in, out, [&](auto x) {
    using T = decltype(x);
    const T b = static_cast<T>(beta);
    const T th = static_cast<T>(threshold);
    return (x * b) > th ? x : std::log1p(std::exp(x * b)) / b;
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::softplus.default", softplus_default);

}  // namespace kernels
}  // namespace ember
