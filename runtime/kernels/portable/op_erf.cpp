// aten::erf.default: error function (integer and bool inputs give float32).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

void erf_default(KernelContext& ctx, EValue** args, size_t num_args) {
  ew::unary_op_vec(
      ctx, "aten::erf.default", args, num_args, [](double x) { return std::erf(x); },
      [](ew::vm::vf4 v) {
        using namespace ew::vm;
        return erf_v(v);
      });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::erf.default", erf_default);

}  // namespace kernels
}  // namespace ember
