// aten::rsqrt.default: 1 / sqrt(x) (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void rsqrt_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op_vec(
      ctx, "aten::rsqrt.default", args, num_args, [](double x) { return 1.0 / std::sqrt(x); },
      [](ew::vm::vf4 v) {
        using namespace ew::vm;
        return splat(1.0f) / sqrt_v(v);
      });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::rsqrt.default", rsqrt_default);

}  // namespace kernels
}  // namespace ember
