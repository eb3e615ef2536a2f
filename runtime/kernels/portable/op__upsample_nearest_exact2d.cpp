// aten::_upsample_nearest_exact2d.vec / .default: nearest-exact 2-D upsampling of [N, C, H, W]
// (src = floor((dst + 0.5) * in / out), clamped).
// Works for any dtype (moves elements). Source indices are computed per output row / per block of
// output columns with PyTorch's float formulas.
#include <cmath>

#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

// Source index min(round-half-up((o + 0.5) * scale - 0.5), in - 1) (Pillow / scikit-image
// convention). PyTorch 1.13 evaluates it differently on its two CPU paths and the float rounding
// can differ, so both are mirrored: channels-last contiguous inputs (e.g. C == 1) use
// floorf((o + 0.5) * scale); the generic kernel uses floorf(max(scale * (o + 0.5f) - 0.5f, 0)
// + 0.5).
inline int64_t source_index(int64_t o, int64_t in, int64_t out, bool has_scale, double scale,
                            bool channels_last) {
  const float s = nn::upsample_scale_f(has_scale, scale, in, out);
  int64_t i;
  if (channels_last) {
    i = static_cast<int64_t>(floorf(static_cast<float>((static_cast<double>(o) + 0.5) * s)));
  } else {
    float src = s * (static_cast<float>(o) + 0.5f) - 0.5f;
    if (src < 0.0f) src = 0.0f;
    i = static_cast<int64_t>(floorf(static_cast<float>(static_cast<double>(src) + 0.5)));
  }
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

// _upsample_nearest_exact2d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) ->
// Tensor
void vec_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::_upsample_nearest_exact2d.vec";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_KCHECK(ctx, args[1] != nullptr && args[2] != nullptr, "%s: missing arguments", op);
  EMBER_NN_TENSOR(ctx, op, args, 3);
  const Tensor& in = args[0]->tensor();
  nn::Upsample2d U;
  if (!nn::parse_upsample2d_vec(ctx, op, in, args[1], args[2], &U)) return;
  run(ctx, op, in, U, args[3]->tensor());
}

// _upsample_nearest_exact2d(Tensor self, SymInt[2] output_size, float? scales_h=None, float?
// scales_w=None)
void default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::_upsample_nearest_exact2d";
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

EMBER_REGISTER_KERNEL("aten::_upsample_nearest_exact2d.vec", vec_out);
EMBER_REGISTER_KERNEL("aten::_upsample_nearest_exact2d.default", default_out);

}  // namespace kernels
}  // namespace ember
