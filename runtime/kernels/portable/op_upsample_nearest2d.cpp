// aten::upsample_nearest2d.vec / .default: nearest-neighbour 2-D upsampling of [N, C, H, W]
// with PyTorch's legacy index rule (src = floor(dst * in / out), clamped).
// The shared kernel body is in upsample_nearest_utils.h.
#include <cmath>

#include "runtime/kernels/portable/upsample_nearest_utils.h"

namespace ember {
namespace kernels {
namespace {

struct Rule {
  // PyTorch 1.13 has two CPU code paths that disagree: when the input is also channels-last
  // contiguous (e.g. C == 1) it uses nearest_idx, which copies for equal sizes and shifts for
  // exactly 2x; otherwise the generic kernel computes min(floor(o * scale), in - 1) in float for
  // every size ("buggy OpenCV INTER_NEAREST", kept by PyTorch for BC). Both are mirrored.
  static int64_t source_index(int64_t o, int64_t in, int64_t out, float s, bool channels_last) {
    if (channels_last) {
      if (out == in) return o;
      if (out == 2 * in) return o >> 1;
    }
    return static_cast<int64_t>(floorf(static_cast<float>(o) * s));
  }
};

// upsample_nearest2d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor
void vec_out(KernelContext& ctx, EValue** args, size_t num_args) {
  nn::upsample_nearest2d_vec<Rule>(ctx, "aten::upsample_nearest2d.vec", args, num_args);
}

// upsample_nearest2d(Tensor self, SymInt[2] output_size, float? scales_h=None, float?
// scales_w=None)
void default_out(KernelContext& ctx, EValue** args, size_t num_args) {
  nn::upsample_nearest2d_default<Rule>(ctx, "aten::upsample_nearest2d", args, num_args);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::upsample_nearest2d.vec", vec_out);
EMBER_REGISTER_KERNEL("aten::upsample_nearest2d.default", default_out);

}  // namespace kernels
}  // namespace ember
