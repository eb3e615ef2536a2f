// aten::pixel_shuffle.default: [*, C*r*r, H, W] -> [*, C, H*r, W*r] with
// out[..., c, h*r + i, w*r + j] = in[..., c*r*r + i*r + j, h, w]. Any dtype (moves elements).
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename E>
void shuffle(const E* in, E* out, int64_t B, int64_t C, int64_t r, int64_t H, int64_t W) {
  const int64_t OW = W * r;
  for (int64_t b = 0; b < B; ++b)
    for (int64_t c = 0; c < C; ++c) {
      E* op = out + (b * C + c) * H * r * OW;
      for (int64_t i = 0; i < r; ++i)
        for (int64_t j = 0; j < r; ++j) {
          const E* ip = in + ((b * C + c) * r * r + i * r + j) * H * W;
          for (int64_t h = 0; h < H; ++h) {
            E* orow = op + (h * r + i) * OW + j;
            const E* irow = ip + h * W;
            for (int64_t w = 0; w < W; ++w) orow[w * r] = irow[w];
          }
        }
    }
}

// pixel_shuffle(Tensor self, int upscale_factor) -> Tensor
void pixel_shuffle_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::pixel_shuffle";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_INT(ctx, op, args, 1);
  EMBER_NN_TENSOR(ctx, op, args, 2);
  const Tensor& x = args[0]->tensor();
  const Tensor& out = args[2]->tensor();
  const int64_t r = args[1]->to_int();
  EMBER_KCHECK(ctx, x.dim() >= 3, "%s: input must have at least 3 dimensions, got %d", op, x.dim());
  EMBER_KCHECK(ctx, r >= 1 && r <= nn::kMaxParam, "%s: upscale_factor must be positive, got %lld",
               op, (long long)r);
  const int d = x.dim();
  const int64_t Cin = x.size(d - 3), H = x.size(d - 2), W = x.size(d - 1);
  EMBER_KCHECK(ctx, Cin % (r * r) == 0,
               "%s: channels (%lld) must be divisible by the square of upscale_factor (%lld)", op,
               (long long)Cin, (long long)(r * r));
  EMBER_KCHECK(ctx, H <= nn::kMaxExtent && W <= nn::kMaxExtent, "%s: input too large", op);
  int64_t osz[kMaxDims];
  int64_t B = 1;
  for (int i = 0; i < d - 3; ++i) {
    osz[i] = x.size(i);
    B *= x.size(i);
  }
  osz[d - 3] = Cin / (r * r);
  osz[d - 2] = H * r;
  osz[d - 1] = W * r;
  if (!nn::check_out(ctx, op, "out", out, x.dtype(), d, osz)) return;
  if (x.numel() == 0) return;
  switch (element_size(x.dtype())) {
    case 1:
      shuffle<uint8_t>(x.data_as<const uint8_t>(), out.data_as<uint8_t>(), B, osz[d - 3], r, H, W);
      break;
    case 2:
      shuffle<uint16_t>(x.data_as<const uint16_t>(), out.data_as<uint16_t>(), B, osz[d - 3], r, H,
                        W);
      break;
    case 4:
      shuffle<uint32_t>(x.data_as<const uint32_t>(), out.data_as<uint32_t>(), B, osz[d - 3], r, H,
                        W);
      break;
    case 8:
      shuffle<uint64_t>(x.data_as<const uint64_t>(), out.data_as<uint64_t>(), B, osz[d - 3], r, H,
                        W);
      break;
    default:
      ctx.fail(Error::InvalidArgument, "%s: unsupported dtype", op);
  }
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::pixel_shuffle.default", pixel_shuffle_out);

}  // namespace kernels
}  // namespace ember
