// aten::sigmoid.default: 1 / (1 + exp(-x)) (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void sigmoid_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op_vec(
      ctx, "aten::sigmoid.default", args, num_args,
      [](double x) { return 1.0 / (1.0 + std::exp(-x)); },
      [](ew::vm::vf4 v) {
        using namespace ew::vm;
        return splat(1.0f) / (splat(1.0f) + exp_v(-v));
      });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::sigmoid.default", sigmoid_default);

}  // namespace kernels
}  // namespace ember
