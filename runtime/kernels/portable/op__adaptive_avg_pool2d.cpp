// aten::_adaptive_avg_pool2d.default: adaptive 2-D average pooling over windows
// [floor(o * in / out), ceil((o + 1) * in / out)), averaged as sum / kh / kw like PyTorch.
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename T>
void adaptive_avg_compute(int64_t planes, int64_t H, int64_t W, int64_t OH, int64_t OW, const T* in,
                          T* out) {
  for (int64_t pl = 0; pl < planes; ++pl) {
    const T* ip = in + pl * H * W;
    T* op = out + pl * OH * OW;
    for (int64_t oh = 0; oh < OH; ++oh) {
      const int64_t h0 = nn::adaptive_start(oh, OH, H), h1 = nn::adaptive_end(oh, OH, H);
      for (int64_t ow = 0; ow < OW; ++ow) {
        const int64_t w0 = nn::adaptive_start(ow, OW, W), w1 = nn::adaptive_end(ow, OW, W);
        T sum = T(0);
        for (int64_t ih = h0; ih < h1; ++ih)
          for (int64_t iw = w0; iw < w1; ++iw) sum += ip[ih * W + iw];
        op[oh * OW + ow] = sum / static_cast<T>(h1 - h0) / static_cast<T>(w1 - w0);
      }
    }
  }
}

// _adaptive_avg_pool2d(Tensor self, SymInt[2] output_size) -> Tensor
void adaptive_avg_pool2d_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::_adaptive_avg_pool2d";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 3);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_INT_LIST(ctx, op, args, 1);
  EMBER_NN_TENSOR(ctx, op, args, 2);
  const Tensor& in = args[0]->tensor();
  const Tensor& out = args[2]->tensor();
  EMBER_KCHECK(ctx, in.dim() == 3 || in.dim() == 4, "%s: expected a 3-D or 4-D input, got %d-D", op,
               in.dim());
  EMBER_KCHECK(ctx, in.dtype() == ScalarType::Float32 || in.dtype() == ScalarType::Float64,
               "%s: unsupported dtype %s", op, scalar_type_name(in.dtype()));
  int64_t osize[2];
  EMBER_KCHECK(ctx,
               nn::expand_param(*args[1], 2, osize, 0) && osize[0] <= nn::kMaxExtent &&
                   osize[1] <= nn::kMaxExtent,
               "%s: invalid output_size", op);
  const int b = in.dim() - 3;
  const int64_t H = in.size(b + 1), W = in.size(b + 2);
  EMBER_KCHECK(ctx, H > 0 && W > 0 && H <= nn::kMaxExtent && W <= nn::kMaxExtent,
               "%s: input spatial size must be non-empty", op);
  int64_t osz[4];
  for (int i = 0; i <= b; ++i) osz[i] = in.size(i);
  osz[b + 1] = osize[0];
  osz[b + 2] = osize[1];
  if (!nn::check_out(ctx, op, "out", out, in.dtype(), in.dim(), osz)) return;
  const int64_t planes = in.size(b) * (b ? in.size(0) : 1);
  if (in.dtype() == ScalarType::Float32)
    adaptive_avg_compute<float>(planes, H, W, osize[0], osize[1], in.data_as<const float>(),
                                out.data_as<float>());
  else
    adaptive_avg_compute<double>(planes, H, W, osize[0], osize[1], in.data_as<const double>(),
                                 out.data_as<double>());
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::_adaptive_avg_pool2d.default", adaptive_avg_pool2d_out);

}  // namespace kernels
}  // namespace ember
