// aten::addcdiv.default: self + value * tensor1 / tensor2 (integer tensor1 and tensor2 are
// rejected, as in PyTorch), all three broadcast; computed in the promoted dtype.
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void addcdiv_default(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::addcdiv.default";
  if (!check_nargs(ctx, op, num_args, 5)) return;
  Operand self, t1, t2;
  if (!get_operand(ctx, op, args, 0, "self", &self, false)) return;
  if (!get_operand(ctx, op, args, 1, "tensor1", &t1, false)) return;
  if (!get_operand(ctx, op, args, 2, "tensor2", &t2, false)) return;
  if (!get_scalar(ctx, op, args, 3, "value")) return;
  Tensor* out = get_tensor(ctx, op, args, 4, "out");
  if (out == nullptr) return;
  if (!is_floating(t1.t.dtype()) && !is_floating(t2.t.dtype())) {
    ctx.fail(Error::InvalidArgument, "%s: integer division with addcdiv is not supported", op);
    return;
  }
  if (!check_broadcast_out(ctx, op, *out, &self.t, &t1.t, &t2.t)) return;
  ScalarType common = result_type(self, t1, t2);
  if (!check_dtype(ctx, op, *out, common)) return;
  const EValue& value = *args[3];
  dispatch_real(common, [&](auto z) {
    using T = decltype(z);
    if constexpr (std::is_floating_point<T>::value) {
      const T v = scalar_to<T>(value);
      ternary_loop<T, T, T, T>(&self.t, &t1.t, &t2.t, *out,
                               [v](T s, T x, T y) -> T { return s + v * x / y; });
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::addcdiv.default", addcdiv_default);

}  // namespace kernels
}  // namespace ember
