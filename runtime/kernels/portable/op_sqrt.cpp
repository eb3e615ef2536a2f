// aten::sqrt.default: square root (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void sqrt_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op_vec(
      ctx, "aten::sqrt.default", args, num_args, [](double x) { return std::sqrt(x); },
      [](ew::vm::vf4 v) {
        using namespace ew::vm;
        return sqrt_v(v);
      });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::sqrt.default", sqrt_default);

}  // namespace kernels
}  // namespace ember
