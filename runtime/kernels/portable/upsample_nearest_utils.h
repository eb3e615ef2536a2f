// Shared body of aten::upsample_nearest2d and aten::_upsample_nearest_exact2d (.vec / .default)
// on [N, C, H, W]: the ops differ only in the source-index rule, passed as `Rule`, a type with
//   static int64_t source_index(int64_t o, int64_t in, int64_t out, float scale,
//                               bool channels_last);  // before clamping to in - 1
// (a static member, so the per-row / per-column calls inline). Works for any dtype (moves
// elements); source indices are computed per output row / per block of output columns.
#pragma once

#include "runtime/kernels/portable/nn_utils.h"
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace nn {
namespace upsample_nearest_detail {

// Rule's index for output position o, clamped to in - 1; scale is PyTorch's float
// compute_scales_value.
template <class Rule>
inline int64_t source_index(int64_t o, int64_t in, int64_t out, bool has_scale, double scale,
                            bool channels_last) {
  const float s = upsample_scale_f(has_scale, scale, in, out);
  const int64_t i = Rule::source_index(o, in, out, s, channels_last);
  return i < in - 1 ? i : in - 1;
}

template <class Rule, typename E>
void upsample(const Upsample2d& U, const E* in, E* out) {
  constexpr int64_t kBlock = 256;
  int64_t src_w[kBlock];
  const bool cl = nchw_is_channels_last_contiguous(U);
  for (int64_t ow0 = 0; ow0 < U.OW; ow0 += kBlock) {
    const int64_t n = U.OW - ow0 < kBlock ? U.OW - ow0 : kBlock;
    for (int64_t i = 0; i < n; ++i)
      src_w[i] = source_index<Rule>(ow0 + i, U.W, U.OW, U.has_scale[1], U.scale[1], cl);
    for (int64_t pl = 0; pl < U.planes; ++pl) {
      const E* ip = in + pl * U.H * U.W;
      E* op = out + pl * U.OH * U.OW + ow0;
      for (int64_t oh = 0; oh < U.OH; ++oh) {
        const E* irow =
            ip + source_index<Rule>(oh, U.H, U.OH, U.has_scale[0], U.scale[0], cl) * U.W;
        E* orow = op + oh * U.OW;
        for (int64_t i = 0; i < n; ++i) orow[i] = irow[src_w[i]];
      }
    }
  }
}

template <class Rule>
void run(KernelContext& ctx, const char* op, const Tensor& in, const Upsample2d& U,
         const Tensor& out) {
  const int64_t osz[4] = {in.size(0), in.size(1), U.OH, U.OW};
  if (!check_out(ctx, op, "out", out, in.dtype(), 4, osz)) return;
  if (out.numel() == 0) return;
  bool done = false;
  EMBER_SHAPE_DISPATCH_ELEM(element_size(in.dtype()),
                            upsample<Rule, T>(U, in.data_as<const T>(), out.data_as<T>());
                            done = true);
  if (!done) ctx.fail(Error::InvalidArgument, "%s: unsupported dtype", op);
}

}  // namespace upsample_nearest_detail

// .vec(Tensor input, SymInt[]? output_size, float[]? scale_factors, Tensor out)
template <class Rule>
inline void upsample_nearest2d_vec(KernelContext& ctx, const char* op, EValue** args,
                                   size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_KCHECK(ctx, args[1] != nullptr && args[2] != nullptr, "%s: missing arguments", op);
  EMBER_NN_TENSOR(ctx, op, args, 3);
  const Tensor& in = args[0]->tensor();
  Upsample2d U;
  if (!parse_upsample2d_vec(ctx, op, in, args[1], args[2], &U)) return;
  upsample_nearest_detail::run<Rule>(ctx, op, in, U, args[3]->tensor());
}

// .default(Tensor self, SymInt[2] output_size, float? scales_h, float? scales_w, Tensor out)
template <class Rule>
inline void upsample_nearest2d_default(KernelContext& ctx, const char* op, EValue** args,
                                       size_t num_args) {
  EMBER_KCHECK_NARGS(ctx, op, num_args, 5);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_INT_LIST(ctx, op, args, 1);
  EMBER_KCHECK(ctx, args[2] != nullptr && args[3] != nullptr, "%s: missing arguments", op);
  EMBER_NN_TENSOR(ctx, op, args, 4);
  const Tensor& in = args[0]->tensor();
  Upsample2d U;
  if (!parse_upsample2d_default(ctx, op, in, *args[1], *args[2], *args[3], &U)) return;
  upsample_nearest_detail::run<Rule>(ctx, op, in, U, args[4]->tensor());
}

}  // namespace nn
}  // namespace kernels
}  // namespace ember
