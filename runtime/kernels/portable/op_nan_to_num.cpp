// aten::nan_to_num.default: replaces NaN / +inf / -inf (defaults 0, dtype max, dtype lowest);
// integer and bool inputs are copied.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

bool get_opt_float(KernelContext& ctx, const char* op, EValue** args, size_t i, const char* what,
                   bool* present, double* v) {
  if (args[i] == nullptr || args[i]->is_none()) {
    *present = false;
    return true;
  }
  if (!args[i]->is_double() && !args[i]->is_int()) {
    ctx.fail(Error::InvalidArgument, "%s: %s must be a float or None", op, what);
    return false;
  }
  *present = true;
  *v = args[i]->scalar_as_double();
  return true;
}

void nan_to_num_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::nan_to_num.default";
  if (!check_nargs(ctx, op, num_args, 5)) return;
  Tensor* in = get_tensor(ctx, op, args, 0, "self");
  if (in == nullptr) return;
  bool has_nan, has_pos, has_neg;
  double nan_v = 0, pos_v = 0, neg_v = 0;
  if (!get_opt_float(ctx, op, args, 1, "nan", &has_nan, &nan_v)) return;
  if (!get_opt_float(ctx, op, args, 2, "posinf", &has_pos, &pos_v)) return;
  if (!get_opt_float(ctx, op, args, 3, "neginf", &has_neg, &neg_v)) return;
  Tensor* out = get_tensor(ctx, op, args, 4, "out");
  if (out == nullptr) return;
  if (!check_same_shape(ctx, op, *out, *in)) return;
  if (!check_dtype(ctx, op, *out, in->dtype())) return;
  if (!is_floating(in->dtype())) {
    copy_convert(*in, *out);
    return;
  }
  dispatch_float(in->dtype(), [&](auto z) {
    using T = decltype(z);
    const T rn = has_nan ? static_cast<T>(nan_v) : T(0);
    const T rp = has_pos ? static_cast<T>(pos_v) : std::numeric_limits<T>::max();
    const T rneg = has_neg ? static_cast<T>(neg_v) : std::numeric_limits<T>::lowest();
    unary_loop<T, T>(*in, *out, [=](T x) -> T {
      if (x != x) return rn;
      if (x == std::numeric_limits<T>::infinity()) return rp;
      if (x == -std::numeric_limits<T>::infinity()) return rneg;
      return x;
    });
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::nan_to_num.default", nan_to_num_default);

}  // namespace kernels
}  // namespace ember
