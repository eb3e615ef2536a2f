// aten::pixel_unshuffle.default: [*, C, H*r, W*r] -> [*, C*r*r, H, W], the inverse of
// pixel_shuffle: out[..., c*r*r + i*r + j, h, w] = in[..., c, h*r + i, w*r + j]. Any dtype.
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename E>
void unshuffle(const E* in, E* out, int64_t B, int64_t C, int64_t r, int64_t H, int64_t W) {
  const int64_t IW = W * r;
  for (int64_t b = 0; b < B; ++b)
    for (int64_t c = 0; c < C; ++c) {
      const E* ip = in + (b * C + c) * H * r * IW;
      for (int64_t i = 0; i < r; ++i)
        for (int64_t j = 0; j < r; ++j) {
          E* op = out + ((b * C + c) * r * r + i * r + j) * H * W;
          for (int64_t h = 0; h < H; ++h) {
            const E* irow = ip + (h * r + i) * IW + j;
            E* orow = op + h * W;
            for (int64_t w = 0; w < W; ++w) orow[w] = irow[w * r];
          }
        }
    }
}

// pixel_unshuffle(Tensor self, int downscale_factor) -> Tensor
void pixel_unshuffle_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::pixel_unshuffle";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_INT(ctx, op, args, 1);
  EMBER_NN_TENSOR(ctx, op, args, 2);
  const Tensor& x = args[0]->tensor();
  const Tensor& out = args[2]->tensor();
  const int64_t r = args[1]->to_int();
  EMBER_KCHECK(ctx, x.dim() >= 3, "%s: input must have at least 3 dimensions, got %d", op, x.dim());
  EMBER_KCHECK(ctx, r >= 1 && r <= nn::kMaxParam, "%s: downscale_factor must be positive, got %lld",
               op, (long long)r);
  const int d = x.dim();
  const int64_t C = x.size(d - 3), IH = x.size(d - 2), IW = x.size(d - 1);
  EMBER_KCHECK(ctx, IH % r == 0 && IW % r == 0,
               "%s: spatial sizes (%lld, %lld) must be divisible by downscale_factor (%lld)", op,
               (long long)IH, (long long)IW, (long long)r);
  EMBER_KCHECK(ctx, C <= (int64_t(1) << 62) / (r * r), "%s: input too large", op);
  int64_t osz[kMaxDims];
  int64_t B = 1;
  for (int i = 0; i < d - 3; ++i) {
    osz[i] = x.size(i);
    B *= x.size(i);
  }
  osz[d - 3] = C * r * r;
  osz[d - 2] = IH / r;
  osz[d - 1] = IW / r;
  // PyTorch 1.13 returns a clone of an empty input (same shape); accept that shape too.
  if (x.numel() == 0 && out.dtype() == x.dtype() && out.same_shape(x)) return;
  if (!nn::check_out(ctx, op, "out", out, x.dtype(), d, osz)) return;
  if (x.numel() == 0) return;
  const int64_t H = osz[d - 2], W = osz[d - 1];
  switch (element_size(x.dtype())) {
    case 1:
      unshuffle<uint8_t>(x.data_as<const uint8_t>(), out.data_as<uint8_t>(), B, C, r, H, W);
      break;
    case 2:
      unshuffle<uint16_t>(x.data_as<const uint16_t>(), out.data_as<uint16_t>(), B, C, r, H, W);
      break;
    case 4:
      unshuffle<uint32_t>(x.data_as<const uint32_t>(), out.data_as<uint32_t>(), B, C, r, H, W);
      break;
    case 8:
      unshuffle<uint64_t>(x.data_as<const uint64_t>(), out.data_as<uint64_t>(), B, C, r, H, W);
      break;
    default:
      ctx.fail(Error::InvalidArgument, "%s: unsupported dtype", op);
  }
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::pixel_unshuffle.default", pixel_unshuffle_out);

}  // namespace kernels
}  // namespace ember
