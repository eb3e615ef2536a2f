// aten::silu.default: x / (1 + exp(-x)) (floating point only).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void silu_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::silu.default";
  if (!check_nargs(ctx, op, num_args, 2)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  Tensor* out = get_tensor(ctx, op, args, 1, "out");
  if (out == nullptr) return;

  unary_float_op_vec(
      ctx, op, in, out, [](double x) { return x / (1.0 + std::exp(-x)); },
      [](vm::vf4 v) { return v / (vm::splat(1.0f) + vm::exp_v(-v)); });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::silu.default", silu_default);

}  // namespace kernels
}  // namespace ember
