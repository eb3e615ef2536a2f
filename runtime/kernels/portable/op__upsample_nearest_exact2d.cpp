// aten::_upsample_nearest_exact2d.vec / .default: nearest-exact 2-D upsampling of [N, C, H, W]
// (src = floor((dst + 0.5) * in / out), clamped).
// The shared kernel body is in upsample_nearest_utils.h.
#include <cmath>

#include "runtime/kernels/portable/upsample_nearest_utils.h"

namespace ember {
namespace kernels {
namespace {

struct Rule {
  // Source index min(round-half-up((o + 0.5) * scale - 0.5), in - 1) (Pillow / scikit-image
  // convention). PyTorch 1.13 evaluates it differently on its two CPU paths and the float rounding
  // can differ, so both are mirrored: channels-last contiguous inputs (e.g. C == 1) use
  // floorf((o + 0.5) * scale); the generic kernel uses floorf(max(scale * (o + 0.5f) - 0.5f, 0)
  // + 0.5).
  static int64_t source_index(int64_t o, int64_t /*in*/, int64_t /*out*/, float s,
                              bool channels_last) {
    if (channels_last)
      return static_cast<int64_t>(floorf(static_cast<float>((static_cast<double>(o) + 0.5) * s)));
    float src = s * (static_cast<float>(o) + 0.5f) - 0.5f;
    if (src < 0.0f) src = 0.0f;
    return static_cast<int64_t>(floorf(static_cast<float>(static_cast<double>(src) + 0.5)));
  }
};

// _upsample_nearest_exact2d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) ->
// Tensor
void vec_out(KernelContext& ctx, EValue** args, size_t num_args) {
  nn::upsample_nearest2d_vec<Rule>(ctx, "aten::_upsample_nearest_exact2d.vec", args, num_args);
}

// _upsample_nearest_exact2d(Tensor self, SymInt[2] output_size, float? scales_h=None, float?
// scales_w=None)
void default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  nn::upsample_nearest2d_default<Rule>(ctx, "aten::_upsample_nearest_exact2d", args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::_upsample_nearest_exact2d.vec", vec_out);
EMBER_REGISTER_KERNEL("aten::_upsample_nearest_exact2d.default", default_out);

}  // namespace kernels
}  // namespace ember
