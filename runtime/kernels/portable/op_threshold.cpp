// aten::threshold.default: x <= threshold ? value : x (threshold and value cast to x's dtype).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void threshold_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::threshold.default";
  if (!check_nargs(ctx, op, num_args, 4)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  if (!get_scalar(ctx, op, args, 1, "threshold")) return;
  if (!get_scalar(ctx, op, args, 2, "value")) return;
  Tensor* out = get_tensor(ctx, op, args, 3, "out");
  if (out == nullptr) return;
  if (!check_same_shape(ctx, op, *out, *in)) return;
  if (in->dtype() == ScalarType::Bool) {
    ctx.fail(Error::InvalidArgument, "%s: bool inputs not supported", op);
    return;
  }
  if (!check_dtype(ctx, op, *out, in->dtype())) return;
  dispatch_real(in->dtype(), [&](auto z) {
    using T = decltype(z);
    const T th = scalar_to<T>(*args[1]);
    const T v = scalar_to<T>(*args[2]);
    unary_loop<T, T>(*in, *out, [th, v](T x) -> T { return x <= th ? v : x; });
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::threshold.default", threshold_default);

}  // namespace kernels
}  // namespace ember
