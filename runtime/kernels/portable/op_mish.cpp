// aten::mish.default: x * tanh(log1p(exp(x))) (floating point only).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void mish_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::mish.default";
  if (!check_nargs(ctx, op, num_args, 2)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  Tensor* out = get_tensor(ctx, op, args, 1, "out");
  if (out == nullptr) return;

  unary_float_op(ctx, op, args, in, out,
                 [&](auto x) { return x * std::tanh(std::log1p(std::exp(x))); });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::mish.default", mish_default);

}  // namespace kernels
}  // namespace ember
