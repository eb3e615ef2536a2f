// aten::constant_pad_nd.default: pads (or, with negative pads, crops) the trailing dims.
// pad = [left_last, right_last, left_second_last, right_second_last, ...].
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// constant_pad_nd(Tensor self, int[] pad, Scalar value=0) -> Tensor
void constant_pad_nd_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::constant_pad_nd";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT_LIST(ctx, op, args, 1);
  EMBER_SHAPE_ARG_SCALAR(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  const Tensor& self = args[0]->tensor();
  const Tensor& out = args[3]->tensor();
  ArrayRef<int64_t> pad = args[1]->int_list();
  const int nd = self.dim();
  EMBER_KCHECK(ctx, pad.size % 2 == 0, "%s: pad length must be even, got %zu", op, pad.size);
  EMBER_KCHECK(ctx, pad.size / 2 <= static_cast<size_t>(nd),
               "%s: pad length %zu too large for a %d-d tensor", op, pad.size, nd);
  EMBER_KCHECK(ctx, shape::convertible_dtype(self.dtype()), "%s: unsupported dtype", op);
  int64_t sizes[kMaxDims], lo[kMaxDims];
  for (int d = 0; d < nd; ++d) {
    sizes[d] = self.size(d);
    lo[d] = 0;
  }
  for (size_t k = 0; k < pad.size / 2; ++k) {
    int d = nd - 1 - static_cast<int>(k);
    int64_t l = pad[2 * k], r = pad[2 * k + 1];
    EMBER_KCHECK(ctx,
                 l > -(int64_t(1) << 40) && l < (int64_t(1) << 40) && r > -(int64_t(1) << 40) &&
                     r < (int64_t(1) << 40),
                 "%s: pad out of range", op);
    sizes[d] = self.size(d) + l + r;
    lo[d] = l;
    EMBER_KCHECK(ctx, sizes[d] >= 0, "%s: padding makes dim %d negative (%lld)", op, d,
                 static_cast<long long>(sizes[d]));
  }
  if (!shape::check_same_dtype(ctx, op, self, out)) return;
  if (!shape::check_out_shape(ctx, op, out, sizes, nd)) return;
  EMBER_KCHECK(ctx, !shape::overlaps(self, out), "%s: output overlaps the input", op);
  if (out.numel() == 0) return;
  shape::fill_scalar(out, *args[2]);
  // The region of self that survives, and where it lands in out.
  shape::StridedView sv, dv;
  for (int d = 0; d < nd; ++d) {
    int64_t s0 = lo[d] < 0 ? -lo[d] : 0;  // first kept input index
    int64_t o0 = lo[d] > 0 ? lo[d] : 0;   // where it lands
    int64_t len = self.size(d) - s0;      // kept length, limited by the output
    if (len > sizes[d] - o0) len = sizes[d] - o0;
    if (len <= 0) return;  // nothing of self survives
    sv.offset += s0 * self.stride(d);
    dv.offset += o0 * out.stride(d);
    sv.push(len, self.stride(d));
    dv.push(len, out.stride(d));
  }
  shape::copy_view_to_view(self.data(), sv, out.data(), dv, element_size(self.dtype()));
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::constant_pad_nd.default", constant_pad_nd_out);

}  // namespace kernels
}  // namespace ember
