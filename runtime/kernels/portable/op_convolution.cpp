// aten::convolution.default: 1-D, 2-D and 3-D convolution, regular or transposed, with groups,
// stride, padding, dilation, output_padding (transposed) and optional bias; float32 / float64.
//
// Every case is normalized to 3-D (D, H, W; missing leading spatial dims have size 1). Paths:
//  - pointwise (1x1x1 kernel, stride 1, padding 0): one GEMM per (batch, group) over the whole
//    spatial plane: out_g[Cout_g, S] += W_g[Cout_g, Cin_g] @ in_g[Cin_g, S];
//  - depthwise 3x3 (2-D, groups == Cin == Cout, dilation 1): a row kernel keeping the three
//    input rows hot;
//  - regular convolution with enough output channels per group: one GEMM per (batch, group)
//    whose im2col operand is gathered panel by panel into the GEMM's small stack buffer;
//  - transposed convolution: one GEMM per (batch, group) producing col2im tiles
//    col[(oc, tap), pos] = W^T @ in that are scattered into the output as they are computed;
//  - otherwise (few output channels per group) a direct loop nest with the innermost loop over
//    contiguous output columns.
// No scratch memory is needed.
#include "runtime/kernels/portable/gemm.h"
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

struct ConvGeom {
  int nsp;  // number of spatial dims in the call (1..3)
  bool transposed;
  int64_t N, Cin, Cout, G, Cin_g, Cout_g;
  int64_t in[3];   // D, H, W
  int64_t out[3];  // OD, OH, OW
  int64_t k[3], s[3], p[3], d[3], op[3];
  int64_t in_plane() const { return in[0] * in[1] * in[2]; }
  int64_t out_plane() const { return out[0] * out[1] * out[2]; }
  int64_t taps() const { return k[0] * k[1] * k[2]; }
};

inline int64_t ceil_div_pos(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

// Range [lo, hi) of positions x with x * stride + off in [0, limit).
inline void valid_range(int64_t count, int64_t stride, int64_t off, int64_t limit, int64_t* lo,
                        int64_t* hi) {
  *lo = off >= 0 ? 0 : ceil_div_pos(-off, stride);
  if (*lo > count) *lo = count;  // the whole run lies left of the input (large padding)
  if (limit - 1 - off < 0) {
    *hi = 0;
  } else {
    const int64_t h = (limit - 1 - off) / stride + 1;
    *hi = h < count ? h : count;
  }
  if (*hi < *lo) *hi = *lo;
}

template <typename T>
void init_with_bias(const ConvGeom& g, const T* bias, T* out) {
  const int64_t os = g.out_plane();
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t c = 0; c < g.Cout; ++c) {
      T* o = out + (n * g.Cout + c) * os;
      const T v = bias ? bias[c] : T(0);
      for (int64_t i = 0; i < os; ++i) o[i] = v;
    }
}

// 1x1x1 kernel, stride 1, padding 0 (and no output padding): a GEMM per (batch, group).
template <typename T>
void conv_pointwise(const ConvGeom& g, const T* in, const T* w, T* out) {
  const int64_t S = g.in_plane();
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t grp = 0; grp < g.G; ++grp) {
      const T* B = in + (n * g.Cin + grp * g.Cin_g) * S;
      T* C = out + (n * g.Cout + grp * g.Cout_g) * S;
      if (!g.transposed) {
        // A(oc, ic) = w[(grp * Cout_g + oc) * Cin_g + ic]
        gemm<T>(g.Cout_g, S, g.Cin_g, w + grp * g.Cout_g * g.Cin_g, g.Cin_g, 1, B, S, 1, C, S, 1,
                T(1), true);
      } else {
        // weight [Cin, Cout_g]: A(oc, ic) = w[(grp * Cin_g + ic) * Cout_g + oc]
        gemm<T>(g.Cout_g, S, g.Cin_g, w + grp * g.Cin_g * g.Cout_g, 1, g.Cout_g, B, S, 1, C, S, 1,
                T(1), true);
      }
    }
}

// Regular convolution as one GEMM per (batch, group) with im2col done panel by panel:
// out_g[Cout_g, OD*OH*OW] += W_g[Cout_g, Cin_g*KD*KH*KW] @ im2col(in_g). Each kc x width panel
// of the virtual im2col matrix is gathered into the GEMM's stack buffer (zeros for padding), so
// the weights are read contiguously and no scratch memory is needed. The panel's columns are
// split once into runs lying in one output row; for each k a run is one input row segment,
// copied with its padded ends zeroed.
template <typename T>
void conv_im2col_gemm(const ConvGeom& g, const T* in, const T* w, T* out) {
  constexpr int kMaxW = gemm_f32::kMaxPanelNR;
  const int64_t D = g.in[0], H = g.in[1], W = g.in[2];
  const int64_t OH = g.out[1], OW = g.out[2];
  const int64_t KH = g.k[1], KW = g.k[2];
  const int64_t KK = g.taps(), Kdim = g.Cin_g * KK;
  const int64_t IS = g.in_plane(), OS = g.out_plane();
  const int64_t sw = g.s[2];
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t grp = 0; grp < g.G; ++grp) {
      const T* in_g = in + (n * g.Cin + grp * g.Cin_g) * IS;
      T* out_g = out + (n * g.Cout + grp * g.Cout_g) * OS;
      const T* w_g = w + grp * g.Cout_g * Kdim;
      auto panel = [&](int64_t pc, int64_t kc, int64_t jr, int64_t nr, int width, T* buf,
                       int64_t* ld) -> const T* {
        // Runs of panel columns [c0, c0 + len) in one output row; input coordinates of the
        // run's first column for tap (0, 0, 0).
        struct Run {
          int64_t c0, len, d, h, w;
        } runs[kMaxW];
        int nruns = 0;
        for (int64_t c = 0; c < nr;) {
          const int64_t j = jr + c, ow = j % OW, rest = j / OW;
          const int64_t len = nr - c < OW - ow ? nr - c : OW - ow;
          runs[nruns++] = {c, len, (rest / OH) * g.s[0] - g.p[0], (rest % OH) * g.s[1] - g.p[1],
                           ow * sw - g.p[2]};
          c += len;
        }
        int64_t ic = pc / KK, r = pc % KK;
        int64_t kd = r / (KH * KW), kh = (r / KW) % KH, kw = r % KW;
        for (int64_t kk = 0; kk < kc; ++kk) {
          T* dst = buf + kk * width;
          const T* plane = in_g + ic * IS;
          for (int q = 0; q < nruns; ++q) {
            const Run& run = runs[q];
            T* d = dst + run.c0;
            const int64_t id = run.d + kd * g.d[0], ih = run.h + kh * g.d[1];
            if (id < 0 || id >= D || ih < 0 || ih >= H) {
              for (int64_t c = 0; c < run.len; ++c) d[c] = T(0);
              continue;
            }
            const T* row = plane + (id * H + ih) * W;
            const int64_t iw0 = run.w + kw * g.d[2];
            int64_t lo, hi;  // columns of the run inside the input row
            valid_range(run.len, sw, iw0, W, &lo, &hi);
            for (int64_t c = 0; c < lo; ++c) d[c] = T(0);
            if (sw == 1) {
              if (hi > lo) memcpy(d + lo, row + (iw0 + lo), (hi - lo) * sizeof(T));
            } else {
              for (int64_t c = lo; c < hi; ++c) d[c] = row[iw0 + c * sw];
            }
            for (int64_t c = hi; c < run.len; ++c) d[c] = T(0);
          }
          for (int64_t c = nr; c < width; ++c) dst[c] = T(0);
          if (++kw == KW) {
            kw = 0;
            if (++kh == KH) {
              kh = 0;
              if (++kd == g.k[0]) {
                kd = 0;
                ++ic;
              }
            }
          }
        }
        *ld = width;
        return buf;
      };
      gemm_driver<T>(g.Cout_g, OS, Kdim, w_g, Kdim, 1, panel, out_g, OS, 1, T(1), true);
    }
}

// Transposed convolution as a GEMM per (batch, group) over the input positions followed by a
// col2im scatter: col[(oc, tap), pos] = sum_ic W[ic, oc, tap] * in[ic, pos] is computed tile by
// tile (never materialized) and each tile is added to out[oc, pos * stride - pad + tap * dil].
template <typename T>
void conv_transposed_gemm(const ConvGeom& g, const T* in, const T* w, T* out) {
  using gemm_detail::kNR;
  const int64_t H = g.in[1], W = g.in[2];
  const int64_t OD = g.out[0], OH = g.out[1], OW = g.out[2];
  const int64_t KH = g.k[1], KW = g.k[2];
  const int64_t KK = g.taps(), M = g.Cout_g * KK;
  const int64_t IS = g.in_plane(), OS = g.out_plane();
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t grp = 0; grp < g.G; ++grp) {
      const T* in_g = in + (n * g.Cin + grp * g.Cin_g) * IS;
      T* out_g = out + (n * g.Cout + grp * g.Cout_g) * OS;
      const T* w_g = w + grp * g.Cin_g * g.Cout_g * KK;
      // B(ic, pos) = in_g[ic * IS + pos]
      auto panel = [&](int64_t pc, int64_t kc, int64_t jr, int64_t nr, int width, T* buf,
                       int64_t* ld) -> const T* {
        if (nr == width) {
          *ld = IS;
          return in_g + pc * IS + jr;
        }
        for (int64_t k = 0; k < kc; ++k)
          for (int64_t c = 0; c < width; ++c)
            buf[k * width + c] = c < nr ? in_g[(pc + k) * IS + jr + c] : T(0);
        *ld = width;
        return static_cast<const T*>(buf);
      };
      auto store = [&](int64_t i0, int r, int64_t j0, int64_t nr, const T* tile) {
        int64_t bd[kNR], bh[kNR], bw[kNR];
        for (int64_t c = 0; c < nr; ++c) {
          const int64_t pos = j0 + c;
          const int64_t iw = pos % W, rest = pos / W;
          bw[c] = iw * g.s[2] - g.p[2];
          bh[c] = (rest % H) * g.s[1] - g.p[1];
          bd[c] = (rest / H) * g.s[0] - g.p[0];
        }
        for (int ii = 0; ii < r; ++ii) {
          const int64_t i = i0 + ii;
          const int64_t oc = i / KK, t = i % KK;
          const int64_t kd = t / (KH * KW), kh = (t / KW) % KH, kw = t % KW;
          const int64_t dd = kd * g.d[0], dh = kh * g.d[1], dw = kw * g.d[2];
          T* o_plane = out_g + oc * OS;
          const T* trow = tile + ii * kNR;
          for (int64_t c = 0; c < nr; ++c) {
            const int64_t od = bd[c] + dd, oh = bh[c] + dh, ow = bw[c] + dw;
            if (od >= 0 && od < OD && oh >= 0 && oh < OH && ow >= 0 && ow < OW)
              o_plane[(od * OH + oh) * OW + ow] += trow[c];
          }
        }
      };
      // A(i = oc * KK + tap, k = ic) = w_g[ic * Cout_g * KK + i]
      gemm_driver_tiles<T>(M, IS, g.Cin_g, w_g, 1, g.Cout_g * KK, panel, store);
    }
}

// Direct regular convolution for few output channels per group (e.g. depthwise).
template <typename T>
void conv_direct(const ConvGeom& g, const T* in, const T* w, T* out) {
  const int64_t D = g.in[0], H = g.in[1], W = g.in[2];
  const int64_t OD = g.out[0], OH = g.out[1], OW = g.out[2];
  const int64_t IS = g.in_plane(), OS = g.out_plane(), KK = g.taps();
  const int64_t sw = g.s[2];
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t grp = 0; grp < g.G; ++grp)
      for (int64_t oc = 0; oc < g.Cout_g; ++oc) {
        T* o_plane = out + (n * g.Cout + grp * g.Cout_g + oc) * OS;
        const T* w_oc = w + (grp * g.Cout_g + oc) * g.Cin_g * KK;
        for (int64_t ic = 0; ic < g.Cin_g; ++ic) {
          const T* i_plane = in + (n * g.Cin + grp * g.Cin_g + ic) * IS;
          for (int64_t od = 0; od < OD; ++od)
            for (int64_t oh = 0; oh < OH; ++oh) {
              T* orow = o_plane + (od * OH + oh) * OW;
              for (int64_t kd = 0; kd < g.k[0]; ++kd) {
                const int64_t id = od * g.s[0] - g.p[0] + kd * g.d[0];
                if (id < 0 || id >= D) continue;
                for (int64_t kh = 0; kh < g.k[1]; ++kh) {
                  const int64_t ih = oh * g.s[1] - g.p[1] + kh * g.d[1];
                  if (ih < 0 || ih >= H) continue;
                  const T* irow = i_plane + (id * H + ih) * W;
                  for (int64_t kw = 0; kw < g.k[2]; ++kw) {
                    const int64_t off = kw * g.d[2] - g.p[2];
                    int64_t lo, hi;
                    valid_range(OW, sw, off, W, &lo, &hi);
                    const T wv = w_oc[ic * KK + (kd * g.k[1] + kh) * g.k[2] + kw];
                    if (sw == 1) {
                      const T* src = irow + off;
                      for (int64_t ow = lo; ow < hi; ++ow) orow[ow] += wv * src[ow];
                    } else {
                      for (int64_t ow = lo; ow < hi; ++ow) orow[ow] += wv * irow[ow * sw + off];
                    }
                  }
                }
              }
            }
        }
      }
}

// Depthwise 3x3, dilation 1, one output channel per input channel (2-D only).
template <typename T>
void conv_depthwise3x3(const ConvGeom& g, const T* in, const T* w, T* out) {
  const int64_t H = g.in[1], W = g.in[2], OH = g.out[1], OW = g.out[2];
  const int64_t sh = g.s[1], sw = g.s[2], ph = g.p[1], pw = g.p[2];
  // Output columns whose three taps are all inside the row.
  int64_t lo, hi;
  valid_range(OW, sw, -pw, W - 2, &lo, &hi);
  if (W < 3) lo = hi = 0;
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t c = 0; c < g.Cout; ++c) {
      const T* ip = in + (n * g.Cin + c) * H * W;
      T* op = out + (n * g.Cout + c) * OH * OW;
      const T* wc = w + c * 9;
      for (int64_t oh = 0; oh < OH; ++oh) {
        T* orow = op + oh * OW;
        for (int kh = 0; kh < 3; ++kh) {
          const int64_t ih = oh * sh - ph + kh;
          if (ih < 0 || ih >= H) continue;
          const T* r = ip + ih * W;
          const T w0 = wc[kh * 3], w1 = wc[kh * 3 + 1], w2 = wc[kh * 3 + 2];
          // Borders: taps checked one by one.
          for (int64_t ow = 0; ow < OW; ++ow) {
            if (ow == lo && lo < hi) ow = hi;
            if (ow >= OW) break;
            const int64_t x = ow * sw - pw;
            T acc = T(0);
            if (x >= 0 && x < W) acc += w0 * r[x];
            if (x + 1 >= 0 && x + 1 < W) acc += w1 * r[x + 1];
            if (x + 2 >= 0 && x + 2 < W) acc += w2 * r[x + 2];
            orow[ow] += acc;
          }
          if (sw == 1) {
            const T* src = r - pw;
            for (int64_t ow = lo; ow < hi; ++ow)
              orow[ow] += w0 * src[ow] + w1 * src[ow + 1] + w2 * src[ow + 2];
          } else {
            for (int64_t ow = lo; ow < hi; ++ow) {
              const T* src = r + ow * sw - pw;
              orow[ow] += w0 * src[0] + w1 * src[1] + w2 * src[2];
            }
          }
        }
      }
    }
}

template <typename T>
void conv_typed(const ConvGeom& g, const Tensor& input, const Tensor& weight, const Tensor* bias,
                const Tensor& out) {
  const T* in = input.data_as<const T>();
  const T* w = weight.data_as<const T>();
  T* o = out.data_as<T>();
  init_with_bias<T>(g, bias ? bias->data_as<const T>() : nullptr, o);
  if (g.Cin_g == 0 || g.Cout_g == 0) return;
  const bool unit_kernel = g.k[0] == 1 && g.k[1] == 1 && g.k[2] == 1;
  const bool unit_stride = g.s[0] == 1 && g.s[1] == 1 && g.s[2] == 1;
  const bool no_pad = g.p[0] == 0 && g.p[1] == 0 && g.p[2] == 0;
  const bool no_out_pad = g.op[0] == 0 && g.op[1] == 0 && g.op[2] == 0;
  if (unit_kernel && unit_stride && no_pad && no_out_pad) {
    conv_pointwise<T>(g, in, w, o);
  } else if (g.transposed) {
    conv_transposed_gemm<T>(g, in, w, o);
  } else if (g.nsp <= 2 && g.G == g.Cin && g.Cout == g.Cin && g.k[1] == 3 && g.k[2] == 3 &&
             g.d[1] == 1 && g.d[2] == 1) {
    conv_depthwise3x3<T>(g, in, w, o);
  } else if (g.Cout_g >= 4) {
    conv_im2col_gemm<T>(g, in, w, o);
  } else {
    conv_direct<T>(g, in, w, o);
  }
}

// convolution(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding,
//             int[] dilation, bool transposed, int[] output_padding, int groups) -> Tensor
void convolution_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::convolution";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 10);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_TENSOR(ctx, op, args, 1);
  EMBER_NN_OPT_TENSOR(ctx, op, args, 2);
  EMBER_NN_INT_LIST(ctx, op, args, 3);
  EMBER_NN_INT_LIST(ctx, op, args, 4);
  EMBER_NN_INT_LIST(ctx, op, args, 5);
  EMBER_NN_BOOL(ctx, op, args, 6);
  EMBER_NN_INT_LIST(ctx, op, args, 7);
  EMBER_NN_INT(ctx, op, args, 8);
  EMBER_NN_TENSOR(ctx, op, args, 9);
  const Tensor& input = args[0]->tensor();
  const Tensor& weight = args[1]->tensor();
  const Tensor* bias = nn::opt_tensor(args, 2);
  const Tensor& out = args[9]->tensor();
  ConvGeom g;
  g.transposed = args[6]->to_bool();
  g.nsp = weight.dim() - 2;
  EMBER_KCHECK(ctx, g.nsp >= 1 && g.nsp <= 3, "%s: weight must be 3-D, 4-D or 5-D, got %dD", op,
               weight.dim());
  EMBER_KCHECK(ctx, input.dim() == weight.dim(),
               "%s: expected %d-D (batched) input for %d-D weight, got %d-D", op, weight.dim(),
               weight.dim(), input.dim());
  const ScalarType dt = input.dtype();
  EMBER_KCHECK(ctx, dt == ScalarType::Float32 || dt == ScalarType::Float64,
               "%s: unsupported dtype %s", op, scalar_type_name(dt));
  EMBER_KCHECK(ctx, weight.dtype() == dt && (bias == nullptr || bias->dtype() == dt),
               "%s: input, weight and bias must have the same dtype", op);
  const int64_t groups = args[8]->to_int();
  EMBER_KCHECK(ctx, groups >= 1 && groups <= nn::kMaxParam, "%s: groups must be positive, got %lld",
               op, (long long)groups);
  const int off = 3 - g.nsp;
  int64_t vals[3];
  for (int i = 0; i < 3; ++i) {
    g.k[i] = g.s[i] = g.d[i] = 1;
    g.p[i] = g.op[i] = 0;
    g.in[i] = 1;
  }
  EMBER_KCHECK(ctx, nn::expand_param(*args[3], g.nsp, vals, 1), "%s: invalid stride", op);
  for (int i = 0; i < g.nsp; ++i) g.s[off + i] = vals[i];
  EMBER_KCHECK(ctx, nn::expand_param(*args[4], g.nsp, vals, 0), "%s: invalid padding", op);
  for (int i = 0; i < g.nsp; ++i) g.p[off + i] = vals[i];
  EMBER_KCHECK(ctx, nn::expand_param(*args[5], g.nsp, vals, 1), "%s: invalid dilation", op);
  for (int i = 0; i < g.nsp; ++i) g.d[off + i] = vals[i];
  if (g.transposed) {
    EMBER_KCHECK(ctx, nn::expand_param(*args[7], g.nsp, vals, 0), "%s: invalid output_padding", op);
    for (int i = 0; i < g.nsp; ++i) g.op[off + i] = vals[i];
  }
  for (int i = 0; i < g.nsp; ++i) {
    g.k[off + i] = weight.size(2 + i);
    g.in[off + i] = input.size(2 + i);
    EMBER_KCHECK(ctx, g.k[off + i] >= 1 && g.k[off + i] <= nn::kMaxExtent,
                 "%s: invalid kernel size", op);
    EMBER_KCHECK(ctx, g.in[off + i] <= nn::kMaxExtent, "%s: input too large", op);
  }
  g.N = input.size(0);
  g.G = groups;
  if (!g.transposed) {
    g.Cout = weight.size(0);
    g.Cin = input.size(1);
    EMBER_KCHECK(ctx, g.Cout % groups == 0,
                 "%s: out_channels (%lld) not divisible by groups (%lld)", op, (long long)g.Cout,
                 (long long)groups);
    EMBER_KCHECK(ctx, g.Cin == weight.size(1) * groups,
                 "%s: input has %lld channels, expected %lld (weight.size(1) * groups)", op,
                 (long long)g.Cin, (long long)(weight.size(1) * groups));
    for (int i = 0; i < 3; ++i) {
      // Truncating division as in PyTorch's conv_output_size; like PyTorch, the size check
      // only applies to non-empty inputs.
      const int64_t num = g.in[i] + 2 * g.p[i] - g.d[i] * (g.k[i] - 1) - 1;
      g.out[i] = num / g.s[i] + 1;
      EMBER_KCHECK(ctx, num >= 0 || input.numel() == 0,
                   "%s: input is too small for the (dilated) kernel", op);
    }
  } else {
    g.Cin = input.size(1);
    EMBER_KCHECK(ctx, g.Cin == weight.size(0), "%s: input has %lld channels, weight expects %lld",
                 op, (long long)g.Cin, (long long)weight.size(0));
    EMBER_KCHECK(ctx, g.Cin % groups == 0, "%s: in_channels (%lld) not divisible by groups (%lld)",
                 op, (long long)g.Cin, (long long)groups);
    g.Cout = weight.size(1) * groups;
    for (int i = 0; i < 3; ++i) {
      EMBER_KCHECK(ctx, g.op[i] < g.s[i] || g.op[i] < g.d[i],
                   "%s: output_padding must be smaller than stride or dilation", op);
      g.out[i] = (g.in[i] - 1) * g.s[i] - 2 * g.p[i] + g.d[i] * (g.k[i] - 1) + g.op[i] + 1;
      EMBER_KCHECK(ctx, g.out[i] >= 1 || input.numel() == 0,
                   "%s: computed output size is not positive", op);
    }
  }
  g.Cin_g = g.Cin / groups;
  g.Cout_g = g.Cout / groups;
  if (bias != nullptr)
    EMBER_KCHECK(ctx, bias->dim() == 1 && bias->size(0) == g.Cout,
                 "%s: bias must be 1-D with %lld elements", op, (long long)g.Cout);
  int64_t osz[5] = {g.N, g.Cout, 0, 0, 0};
  for (int i = 0; i < g.nsp; ++i) osz[2 + i] = g.out[off + i];
  if (!nn::check_out(ctx, op, "out", out, dt, 2 + g.nsp, osz)) return;
  if (out.numel() == 0) return;
  if (dt == ScalarType::Float32)
    conv_typed<float>(g, input, weight, bias, out);
  else
    conv_typed<double>(g, input, weight, bias, out);
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::convolution.default", convolution_out);

}  // namespace kernels
}  // namespace ember
