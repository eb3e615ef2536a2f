// aten::fmod.Tensor / fmod.Scalar: C-style remainder (result has the dividend's sign).
#include "runtime/kernels/portable/elementwise_utils.h"

namespace ember {
namespace kernels {
namespace {

using namespace ew;

void fmod_impl(KernelContext& ctx, const char* op, EValue** args, size_t num_args) {
  division_binary_op(
      ctx, op, args, num_args, [](auto p, auto q) { return int_fmod(p, q); },
      [](auto p, auto q) { return std::fmod(p, q); });
}
void fmod_tensor(KernelContext& ctx, EValue** args, size_t num_args) {
  fmod_impl(ctx, "aten::fmod.Tensor", args, num_args);
}
void fmod_scalar(KernelContext& ctx, EValue** args, size_t num_args) {
  fmod_impl(ctx, "aten::fmod.Scalar", args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::fmod.Tensor", fmod_tensor);
EMBER_REGISTER_KERNEL("aten::fmod.Scalar", fmod_scalar);

}  // namespace kernels
}  // namespace ember
