// aten::bitwise_not.default: ~x for integers, logical not for bool.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void bitwise_not_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::bitwise_not.default";
  Tensor *in, *out;
  if (!get_unary_args(ctx, op, args, num_args, &in, &out)) return;
  if (is_floating(in->dtype())) {
    ctx.fail(Error::InvalidArgument, "%s: not supported for floating point tensors", op);
    return;
  }
  if (!check_dtype(ctx, op, *out, in->dtype())) return;
  dispatch_real(in->dtype(), [&](auto z) {
    using T = decltype(z);
    if constexpr (std::is_same<T, bool>::value) {
      unary_loop<T, T>(*in, *out, [](T x) -> T { return !x; });
    } else if constexpr (std::is_integral<T>::value) {
      unary_loop<T, T>(*in, *out, [](T x) -> T { return static_cast<T>(~x); });
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::bitwise_not.default", bitwise_not_default);

}  // namespace kernels
}  // namespace ember
