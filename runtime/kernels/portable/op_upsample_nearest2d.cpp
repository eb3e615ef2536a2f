// aten::upsample_nearest2d.vec / .default: nearest-neighbour 2-D upsampling of [N, C, H, W]
// with PyTorch's legacy index rule (src = floor(dst * in / out), clamped).
// Works for any dtype (moves elements). Source indices are computed per output row / per block of
// output columns with PyTorch's float formulas.
#include <cmath>

#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

// PyTorch 1.13 has two CPU code paths that disagree: when the input is also channels-last
// contiguous (e.g. C == 1) it uses nearest_idx, which copies for equal sizes and shifts for
// exactly 2x; otherwise the generic kernel computes min(floor(o * scale), in - 1) in float for
// every size ("buggy OpenCV INTER_NEAREST", kept by PyTorch for BC). Both are mirrored.
inline int64_t source_index(int64_t o, int64_t in, int64_t out, bool has_scale, double scale,
                            bool channels_last) {
  if (channels_last) {
    if (out == in) return o;
    if (out == 2 * in) return o >> 1;
  }
  const float s = nn::upsample_scale_f(has_scale, scale, in, out);
  const int64_t i = static_cast<int64_t>(floorf(static_cast<float>(o) * s));
  return i < in - 1 ? i : in - 1;
}

template <typename E>
void upsample(const nn::Upsample2d& U, const E* in, E* out) {
  constexpr int64_t kBlock = 256;
  int64_t src_w[kBlock];
  const bool cl = nn::nchw_is_channels_last_contiguous(U);
  for (int64_t ow0 = 0; ow0 < U.OW; ow0 += kBlock) {
    const int64_t n = U.OW - ow0 < kBlock ? U.OW - ow0 : kBlock;
    for (int64_t i = 0; i < n; ++i)
      src_w[i] = source_index(ow0 + i, U.W, U.OW, U.has_scale[1], U.scale[1], cl);
    for (int64_t pl = 0; pl < U.planes; ++pl) {
      const E* ip = in + pl * U.H * U.W;
      E* op = out + pl * U.OH * U.OW + ow0;
      for (int64_t oh = 0; oh < U.OH; ++oh) {
        const E* irow = ip + source_index(oh, U.H, U.OH, U.has_scale[0], U.scale[0], cl) * U.W;
        E* orow = op + oh * U.OW;
        for (int64_t i = 0; i < n; ++i) orow[i] = irow[src_w[i]];
      }
    }
  }
}

void run(KernelContext& ctx, const char* op, const Tensor& in, const nn::Upsample2d& U,
         const Tensor& out) {
  const int64_t osz[4] = {in.size(0), in.size(1), U.OH, U.OW};
  if (!nn::check_out(ctx, op, "out", out, in.dtype(), 4, osz)) return;
  if (out.numel() == 0) return;
  switch (element_size(in.dtype())) {
    case 1:
      upsample<uint8_t>(U, in.data_as<const uint8_t>(), out.data_as<uint8_t>());
      break;
    case 2:
      upsample<uint16_t>(U, in.data_as<const uint16_t>(), out.data_as<uint16_t>());
      break;
    case 4:
      upsample<uint32_t>(U, in.data_as<const uint32_t>(), out.data_as<uint32_t>());
      break;
    case 8:
      upsample<uint64_t>(U, in.data_as<const uint64_t>(), out.data_as<uint64_t>());
      break;
    default:
      ctx.fail(Error::InvalidArgument, "%s: unsupported dtype", op);
  }
}

// upsample_nearest2d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor
void vec_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::upsample_nearest2d.vec";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_KCHECK(ctx, args[1] != nullptr && args[2] != nullptr, "%s: missing arguments", op);
  EMBER_NN_TENSOR(ctx, op, args, 3);
  const Tensor& in = args[0]->tensor();
  nn::Upsample2d U;
  if (!nn::parse_upsample2d_vec(ctx, op, in, args[1], args[2], &U)) return;
  run(ctx, op, in, U, args[3]->tensor());
}

// upsample_nearest2d(Tensor self, SymInt[2] output_size, float? scales_h=None, float?
// scales_w=None)
void default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::upsample_nearest2d";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_INT_LIST(ctx, op, args, 1);
  EMBER_KCHECK(ctx, args[2] != nullptr && args[3] != nullptr, "%s: missing arguments", op);
  EMBER_NN_TENSOR(ctx, op, args, 4);
  const Tensor& in = args[0]->tensor();
  nn::Upsample2d U;
  if (!nn::parse_upsample2d_default(ctx, op, in, *args[1], *args[2], *args[3], &U)) return;
  run(ctx, op, in, U, args[4]->tensor());
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::upsample_nearest2d.vec", vec_out);
EMBER_REGISTER_KERNEL("aten::upsample_nearest2d.default", default_out);

}  // namespace kernels
}  // namespace ember
