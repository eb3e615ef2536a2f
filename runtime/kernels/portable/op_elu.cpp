// aten::elu.default: x > 0 ? x * scale : (exp(x * input_scale) - 1) * alpha * scale
// Floating point only.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void elu_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::elu.default";
  if (!check_nargs(ctx, op, num_args, 5)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  Tensor* out = get_tensor(ctx, op, args, 4, "out");
  if (out == nullptr) return;
  if (!get_scalar(ctx, op, args, 1, "alpha")) return;
  if (!get_scalar(ctx, op, args, 2, "scale")) return;
  if (!get_scalar(ctx, op, args, 3, "input_scale")) return;
  const double alpha = args[1]->scalar_as_double();
  const double scale = args[2]->scalar_as_double();
  const double input_scale = args[3]->scalar_as_double();
  unary_float_op_vec(
      ctx, op, in, out,
      [&](double x) {
        return x <= 0.0 ? (std::exp(x * input_scale) - 1.0) * (alpha * scale) : x * scale;
      },
      [&](vm::vf4 x) {
        using namespace vm;
        const vf4 negcoef = splat(static_cast<float>(alpha)) * splat(static_cast<float>(scale));
        const vf4 poscoef = splat(static_cast<float>(scale));
        const vf4 negiptcoef = splat(static_cast<float>(input_scale));
        const vf4 neg = (exp_v(x * negiptcoef) - splat(1.0f)) * negcoef;
        return select(x <= splat(0.0f), neg, x * poscoef);
      });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::elu.default", elu_default);

}  // namespace kernels
}  // namespace ember
