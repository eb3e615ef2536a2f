// aten::hardtanh.default: clamp(x, min_val, max_val) keeping the input dtype (integer inputs use
// integer bounds, like PyTorch).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void hardtanh_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::hardtanh.default";
  if (!check_nargs(ctx, op, num_args, 4)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  if (!get_scalar(ctx, op, args, 1, "min_val")) return;
  if (!get_scalar(ctx, op, args, 2, "max_val")) return;
  Tensor* out = get_tensor(ctx, op, args, 3, "out");
  if (out == nullptr) return;
  if (!check_same_shape(ctx, op, *out, *in)) return;
  if (in->dtype() == ScalarType::Bool) {
    ctx.fail(Error::InvalidArgument, "%s: bool inputs not supported", op);
    return;
  }
  if (!check_dtype(ctx, op, *out, in->dtype())) return;
  const EValue& lo_v = *args[1];
  const EValue& hi_v = *args[2];
  if (in->dtype() == ScalarType::UInt8 && (lo_v.scalar_as_int() < 0 || hi_v.scalar_as_int() < 0)) {
    ctx.fail(Error::InvalidArgument, "%s: negative limits for an unsigned type", op);
    return;
  }
  dispatch_real(in->dtype(), [&](auto z) {
    using T = decltype(z);
    const T lo =
        std::is_floating_point<T>::value ? scalar_to<T>(lo_v) : convert<T>(lo_v.scalar_as_int());
    const T hi =
        std::is_floating_point<T>::value ? scalar_to<T>(hi_v) : convert<T>(hi_v.scalar_as_int());
    unary_loop<T, T>(*in, *out, [lo, hi](T x) -> T { return nan_min(nan_max(x, lo), hi); });
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::hardtanh.default", hardtanh_default);

}  // namespace kernels
}  // namespace ember
