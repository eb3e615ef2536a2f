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
  // PyTorch's formulas: kBeta = sqrt(2 / pi), kKappa = 0.044715, kAlpha = 1 / sqrt(2).
  if (tanh_approx) {
    unary_float_op_vec(
        ctx, op, in, out,
        [](double x) {
          const double inner = 0.7978845608028654 * (x + 0.044715 * x * x * x);
          return 0.5 * x * (1.0 + std::tanh(inner));
        },
        [](vm::vf4 x) {
          using namespace vm;
          const vf4 inner = splat(0.7978845608028654f) * (x + splat(0.044715f) * x * x * x);
          return splat(0.5f) * x * (splat(1.0f) + tanh_v(inner));
        });
  } else {
    unary_float_op_vec(
        ctx, op, in, out,
        [](double x) { return x * 0.5 * (1.0 + std::erf(x * 0.7071067811865476)); },
        [](vm::vf4 x) {
          using namespace vm;
          return x * splat(0.5f) * (splat(1.0f) + erf_v(x * splat(0.7071067811865476f)));
        });
  }
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::gelu.default", gelu_default);

}  // namespace kernels
}  // namespace ember
