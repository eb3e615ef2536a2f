// aten::avg_pool2d.default: 2-D average pooling with ceil_mode, count_include_pad and
// divisor_override, following PyTorch's CPU kernel (window clipped to the padded input for the
// pool size, then to the input for the sum).
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename T>
void avg_pool2d_compute(const nn::Pool2d& P, const T* in, T* out, bool count_include_pad,
                        int64_t divisor_override) {
  for (int64_t pl = 0; pl < P.planes; ++pl) {
    const T* ip = in + pl * P.H * P.W;
    T* op = out + pl * P.OH * P.OW;
    for (int64_t oh = 0; oh < P.OH; ++oh) {
      int64_t h0 = oh * P.s[0] - P.p[0];
      int64_t h1 = h0 + P.k[0] < P.H + P.p[0] ? h0 + P.k[0] : P.H + P.p[0];
      const int64_t ph = h1 - h0;
      if (h0 < 0) h0 = 0;
      if (h1 > P.H) h1 = P.H;
      for (int64_t ow = 0; ow < P.OW; ++ow) {
        int64_t w0 = ow * P.s[1] - P.p[1];
        int64_t w1 = w0 + P.k[1] < P.W + P.p[1] ? w0 + P.k[1] : P.W + P.p[1];
        const int64_t pool_size = ph * (w1 - w0);
        if (w0 < 0) w0 = 0;
        if (w1 > P.W) w1 = P.W;
        T* dst = op + oh * P.OW + ow;
        if (h0 >= h1 || w0 >= w1) {
          *dst = T(0);
          continue;
        }
        T sum = T(0);
        for (int64_t ih = h0; ih < h1; ++ih)
          for (int64_t iw = w0; iw < w1; ++iw) sum += ip[ih * P.W + iw];
        int64_t divide;
        if (divisor_override != 0)
          divide = divisor_override;
        else if (count_include_pad)
          divide = pool_size;
        else
          divide = (h1 - h0) * (w1 - w0);
        *dst = sum / static_cast<T>(divide);
      }
    }
  }
}

// avg_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0,
//            bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None)
void avg_pool2d_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::avg_pool2d";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 8);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_INT_LIST(ctx, op, args, 1);
  EMBER_NN_INT_LIST(ctx, op, args, 2);
  EMBER_NN_INT_LIST(ctx, op, args, 3);
  EMBER_NN_BOOL(ctx, op, args, 4);
  EMBER_NN_BOOL(ctx, op, args, 5);
  EMBER_KCHECK(ctx, nn::is_int(args, 6) || nn::is_none(args, 6),
               "%s: divisor_override must be an int or None", op);
  EMBER_NN_TENSOR(ctx, op, args, 7);
  const Tensor& in = args[0]->tensor();
  const Tensor& out = args[7]->tensor();
  nn::Pool2d P;
  if (!nn::parse_pool2d(ctx, op, in, *args[1], *args[2], *args[3], nullptr, args[4]->to_bool(), &P))
    return;
  int64_t divisor = 0;
  if (args[6]->is_int()) {
    divisor = args[6]->to_int();
    EMBER_KCHECK(ctx, divisor != 0, "%s: divisor must be not zero", op);
  }
  if (!nn::check_out(ctx, op, "out", out, in.dtype(), P.out_dim, P.out_sizes)) return;
  const bool cip = args[5]->to_bool();
  if (in.dtype() == ScalarType::Float32)
    avg_pool2d_compute<float>(P, in.data_as<const float>(), out.data_as<float>(), cip, divisor);
  else
    avg_pool2d_compute<double>(P, in.data_as<const double>(), out.data_as<double>(), cip, divisor);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::avg_pool2d.default", avg_pool2d_out);

}  // namespace kernels
}  // namespace ember
