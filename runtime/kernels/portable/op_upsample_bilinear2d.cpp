// aten::upsample_bilinear2d.vec / .default: bilinear 2-D upsampling of [N, C, H, W] (float32 /
// float64), align_corners true or false, following PyTorch's CPU kernel: the scale is
// area_pixel_compute_scale in the tensor's type, the source index is computed in double
// (clamped at 0 when align_corners=False), identical sizes copy, and
// out = (x00 * lw0 + x01 * lw1) * lh0 + (x10 * lw0 + x11 * lw1) * lh1.
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename T>
struct Taps {
  int64_t i0, i1;
  T l0, l1;
};

template <typename T>
Taps<T> linear_taps(int64_t o, int64_t in, int64_t out, bool align_corners, bool has_scale,
                    double scale) {
  Taps<T> t;
  if (out == in) {
    t.i0 = t.i1 = o;
    t.l0 = T(1);
    t.l1 = T(0);
    return t;
  }
  T ratio;
  if (align_corners) {
    ratio = out > 1 ? static_cast<T>(in - 1) / static_cast<T>(out - 1) : T(0);
  } else {
    ratio = (has_scale && scale > 0.0) ? static_cast<T>(1.0 / scale)
                                       : static_cast<T>(in) / static_cast<T>(out);
  }
  double real;
  if (align_corners) {
    real = static_cast<double>(ratio) * static_cast<double>(o);
  } else {
    real = static_cast<double>(ratio) * (static_cast<double>(o) + 0.5) - 0.5;
    if (real < 0.0) real = 0.0;
  }
  int64_t i0 = static_cast<int64_t>(real);
  if (i0 > in - 1) i0 = in - 1;  // guard against rounding past the last pixel
  t.i0 = i0;
  t.i1 = i0 + (i0 < in - 1 ? 1 : 0);
  t.l1 = static_cast<T>(real - static_cast<double>(i0));
  t.l0 = T(1) - t.l1;
  return t;
}

template <typename T>
void bilinear(const nn::Upsample2d& U, bool align, const T* in, T* out) {
  constexpr int64_t kBlock = 256;
  Taps<T> tw[kBlock];
  for (int64_t ow0 = 0; ow0 < U.OW; ow0 += kBlock) {
    const int64_t n = U.OW - ow0 < kBlock ? U.OW - ow0 : kBlock;
    for (int64_t i = 0; i < n; ++i)
      tw[i] = linear_taps<T>(ow0 + i, U.W, U.OW, align, U.has_scale[1], U.scale[1]);
    for (int64_t oh = 0; oh < U.OH; ++oh) {
      const Taps<T> th = linear_taps<T>(oh, U.H, U.OH, align, U.has_scale[0], U.scale[0]);
      for (int64_t pl = 0; pl < U.planes; ++pl) {
        const T* r0 = in + (pl * U.H + th.i0) * U.W;
        const T* r1 = in + (pl * U.H + th.i1) * U.W;
        T* orow = out + (pl * U.OH + oh) * U.OW + ow0;
        for (int64_t i = 0; i < n; ++i) {
          const Taps<T>& w = tw[i];
          const T t0 = r0[w.i0] * w.l0 + r0[w.i1] * w.l1;
          const T t1 = r1[w.i0] * w.l0 + r1[w.i1] * w.l1;
          orow[i] = t0 * th.l0 + t1 * th.l1;
        }
      }
    }
  }
}

void run(KernelContext& ctx, const char* op, const Tensor& in, bool align, const nn::Upsample2d& U,
         const Tensor& out) {
  EMBER_KCHECK(ctx, in.dtype() == ScalarType::Float32 || in.dtype() == ScalarType::Float64,
               "%s: unsupported dtype %s", op, scalar_type_name(in.dtype()));
  const int64_t osz[4] = {in.size(0), in.size(1), U.OH, U.OW};
  if (!nn::check_out(ctx, op, "out", out, in.dtype(), 4, osz)) return;
  if (out.numel() == 0) return;
  if (in.dtype() == ScalarType::Float32)
    bilinear<float>(U, align, in.data_as<const float>(), out.data_as<float>());
  else
    bilinear<double>(U, align, in.data_as<const double>(), out.data_as<double>());
}

// upsample_bilinear2d.vec(Tensor input, SymInt[]? output_size, bool align_corners,
//                         float[]? scale_factors) -> Tensor
void vec_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::upsample_bilinear2d.vec";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_KCHECK(ctx, args[1] != nullptr && args[3] != nullptr, "%s: missing arguments", op);
  EMBER_NN_BOOL(ctx, op, args, 2);
  EMBER_NN_TENSOR(ctx, op, args, 4);
  const Tensor& in = args[0]->tensor();
  nn::Upsample2d U;
  if (!nn::parse_upsample2d_vec(ctx, op, in, args[1], args[3], &U)) return;
  run(ctx, op, in, args[2]->to_bool(), U, args[4]->tensor());
}

// upsample_bilinear2d(Tensor self, SymInt[2] output_size, bool align_corners,
//                     float? scales_h=None, float? scales_w=None) -> Tensor
void default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::upsample_bilinear2d";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 6);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_INT_LIST(ctx, op, args, 1);
  EMBER_NN_BOOL(ctx, op, args, 2);
  EMBER_KCHECK(ctx, args[3] != nullptr && args[4] != nullptr, "%s: missing arguments", op);
  EMBER_NN_TENSOR(ctx, op, args, 5);
  const Tensor& in = args[0]->tensor();
  nn::Upsample2d U;
  if (!nn::parse_upsample2d_default(ctx, op, in, *args[1], *args[3], *args[4], &U)) return;
  run(ctx, op, in, args[2]->to_bool(), U, args[5]->tensor());
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::upsample_bilinear2d.vec", vec_out);
EMBER_REGISTER_KERNEL("aten::upsample_bilinear2d.default", default_out);

}  // namespace kernels
}  // namespace ember
