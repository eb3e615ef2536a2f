// aten::logical_not.default: x == 0 for any dtype; bool out.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void logical_not_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::logical_not.default";
  Tensor *in, *out;
  if (!get_unary_args(ctx, op, args, num_args, &in, &out)) return;
  if (!check_dtype(ctx, op, *out, ScalarType::Bool)) return;
  dispatch_real(in->dtype(), [&](auto z) {
    using T = decltype(z);
    unary_loop<T, bool>(*in, *out, [](T x) -> bool { return x == T(0); });
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::logical_not.default", logical_not_default);

}  // namespace kernels
}  // namespace ember
