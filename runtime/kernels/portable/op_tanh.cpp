// aten::tanh.default: hyperbolic tangent (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void tanh_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op_vec(
      ctx, "aten::tanh.default", args, num_args, [](double x) { return std::tanh(x); },
      [](ew::vm::vf4 v) {
        using namespace ew::vm;
        return tanh_v(v);
      });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::tanh.default", tanh_default);

}  // namespace kernels
}  // namespace ember
