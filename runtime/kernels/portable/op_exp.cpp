// aten::exp.default: e^x (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void exp_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op_vec(
      ctx, "aten::exp.default", args, num_args, [](double x) { return std::exp(x); },
      [](ew::vm::vf4 v) {
        using namespace ew::vm;
        return exp_v(v);
      });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::exp.default", exp_default);

}  // namespace kernels
}  // namespace ember
