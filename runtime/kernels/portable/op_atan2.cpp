// aten::atan2.default: atan2(self, other); integer inputs give float32.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void atan2_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::atan2.default";
  if (!check_nargs(ctx, op, num_args, 3)) return;
  Operand a, b;
  Tensor* out;
  ScalarType common;
  if (!prepare_binary(ctx, op, args, 0, 1, 2, &a, &b, &out, &common)) return;
  ScalarType want = to_float_type(common);
  if (!check_dtype(ctx, op, *out, want)) return;
  dispatch_float(want, [&](auto z) {
    using T = decltype(z);
    binary_loop<T, T>(a.t, b.t, *out, [](T p, T q) -> T { return std::atan2(p, q); });
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::atan2.default", atan2_default);

}  // namespace kernels
}  // namespace ember
