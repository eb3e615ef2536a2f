// aten::isnan.default: true where x is NaN (always false for integer and bool inputs).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void isnan_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::isnan.default";
  Tensor *in, *out;
  if (!get_unary_args(ctx, op, args, num_args, &in, &out)) return;
  if (!check_dtype(ctx, op, *out, ScalarType::Bool)) return;
  if (!dispatch_float(in->dtype(), [&](auto z) {
        using T = decltype(z);
        unary_loop<T, bool>(*in, *out, [](T x) -> bool { return x != x; });
      })) {
    fill_typed<bool>(*out, false);
  }
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::isnan.default", isnan_default);

}  // namespace kernels
}  // namespace ember
