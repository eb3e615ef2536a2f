#include "runtime/backends/cpu/winograd.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include "runtime/backends/cpu/kernels.h"
#include "runtime/threadpool/threadpool.h"

namespace ember {
namespace cpu {
namespace {

// Output tiles handled per GEMM batch: the 16 transformed input blocks and 16 products of one
// batch stay within about 1 MB (L2), in multiples of 24 rows (whole micro-tiles).
size_t tile_block(const ConvShape& s) {
  const size_t budget = (1u << 18) / (16 * (s.cin + s.cout));
  return std::max<size_t>(24, std::min<size_t>(240, budget / 24 * 24));
}

size_t tiles_h(const ConvShape& s) {
  return (s.oh + 1) / 2;
}
size_t tiles_w(const ConvShape& s) {
  return (s.ow + 1) / 2;
}
size_t num_tiles(const ConvShape& s) {
  return s.batch * tiles_h(s) * tiles_w(s);
}

size_t slot_floats(const ConvShape& s) {
  return 16 * tile_block(s) * (s.cin + s.cout) + s.cin + s.cout;  // V, M, zeros, a dummy row
}

// V[k][i][c] = (B^T d B)[k] for tiles [t0, t0 + n), d the 4x4 input window of tile t0 + i
// (zeros outside the input).
void input_transform(const ConvShape& s, const float* x, const float* zeros, size_t t0, size_t n,
                     size_t tb, float* V) {
  const Kernels& k = kernels();
  const size_t th = tiles_h(s), tw = tiles_w(s), C = s.cin;
  for (size_t i = 0; i < n; ++i) {
    const size_t t = t0 + i, b = t / (th * tw), ty = t / tw % th, tx = t % tw;
    const float* d[16];
    for (size_t r = 0; r < 4; ++r)
      for (size_t q = 0; q < 4; ++q) {
        const long iy = static_cast<long>(2 * ty + r) - static_cast<long>(s.pt);
        const long ix = static_cast<long>(2 * tx + q) - static_cast<long>(s.pl);
        const bool inside =
            iy >= 0 && iy < static_cast<long>(s.h) && ix >= 0 && ix < static_cast<long>(s.w);
        d[4 * r + q] =
            inside ? x + ((b * s.h + static_cast<size_t>(iy)) * s.w + static_cast<size_t>(ix)) * C
                   : zeros;
      }
    k.winograd_input(d, V + i * C, tb * C, C);
  }
}

// y = clamp(A^T m A + bias + residual) for tiles [t0, t0 + n) and output channels [c0, c1),
// m[k][i][c] the 16 products of tile t0 + i; outputs past the image (odd sizes) go to `dummy`
// and are dropped.
void output_transform(const ConvShape& s, const float* Mp, size_t t0, size_t n, size_t tb,
                      const float* bias, const float* residual, float lo, float hi, float* y,
                      float* dummy, size_t c0, size_t c1) {
  const Kernels& k = kernels();
  const size_t th = tiles_h(s), tw = tiles_w(s), C = s.cout;
  for (size_t i = 0; i < n; ++i) {
    const size_t t = t0 + i, b = t / (th * tw), ty = t / tw % th, tx = t % tw;
    float* out[4];
    const float* res[4];
    for (size_t r = 0; r < 2; ++r)
      for (size_t q = 0; q < 2; ++q) {
        const size_t oy = 2 * ty + r, ox = 2 * tx + q, j = 2 * r + q;
        const bool keep = oy < s.oh && ox < s.ow;
        const size_t off = ((b * s.oh + oy) * s.ow + ox) * C;
        out[j] = (keep ? y + off : dummy) + c0;
        res[j] = residual ? (keep ? residual + off : dummy) + c0 : nullptr;
      }
    k.winograd_output(Mp + i * C + c0, tb * C, c1 - c0, bias ? bias + c0 : nullptr,
                      residual ? res : nullptr, out, lo, hi);
  }
}

}  // namespace

bool winograd_suits(const ConvShape& s) {
  static const bool enabled = switched_on("EMBER_CPU_WINOGRAD");
  // Small layers (few tiles or channels) lose more to the transforms and short GEMMs than the
  // 2.25x fewer multiplies save. 16 tiles still win: resnet50's 7x7x512 layers, per-node
  // profile, 6 alternations in each order, 1 thread: 3.49 -> 2.93 and 3.69 -> 2.95 ms; 2
  // threads (with conv_winograd's column split): 2.06 -> 1.66 and 2.25 -> 1.83 ms.
  return enabled && s.kh == 3 && s.kw == 3 && s.sh == 1 && s.sw == 1 && s.dh == 1 && s.dw == 1 &&
         s.pt <= 2 && s.pl <= 2 && s.cin >= 16 && s.cout >= 16 && num_tiles(s) >= 16;
}

size_t winograd_weight_floats(const ConvShape& s) {
  return 16 * packed_weight_floats(s.cin, s.cout);
}

bool winograd_pack_weights(const ConvShape& s, const float* w, float* packed) {
  // U = G g G^T, G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1], for each (cout, cin) pair,
  // gathered as 16 [Cout, Cin] matrices and packed like any dense weight.
  const size_t C = s.cin, O = s.cout, per = packed_weight_floats(C, O);
  std::unique_ptr<float[]> u_owner(new (std::nothrow) float[16 * O * C]);
  float* u = u_owner.get();
  if (u == nullptr) return false;
  for (size_t o = 0; o < O; ++o)
    for (size_t ci = 0; ci < C; ++ci) {
      float g[9], gg[12];
      for (size_t k = 0; k < 9; ++k) g[k] = w[(o * 9 + k) * C + ci];  // OHWI
      for (size_t q = 0; q < 3; ++q) {                                // G g: rows
        const float a = g[q], b = g[3 + q], c = g[6 + q];
        gg[q] = a;
        gg[3 + q] = 0.5f * (a + b + c);
        gg[6 + q] = 0.5f * (a - b + c);
        gg[9 + q] = c;
      }
      for (size_t r = 0; r < 4; ++r) {  // (G g) G^T: columns
        const float a = gg[3 * r], b = gg[3 * r + 1], c = gg[3 * r + 2];
        const float uk[4] = {a, 0.5f * (a + b + c), 0.5f * (a - b + c), c};
        for (size_t q = 0; q < 4; ++q) u[((4 * r + q) * O + o) * C + ci] = uk[q];
      }
    }
  for (size_t k = 0; k < 16; ++k) pack_weights(u + k * O * C, O, C, packed + k * per);
  return true;
}

size_t winograd_scratch_floats(const ConvShape& s, size_t threads) {
  return std::max<size_t>(threads, 1) * slot_floats(s);
}

void conv_winograd(const ConvShape& s, const float* x, const float* packed, const float* bias,
                   float* y, float* scratch, size_t scratch_floats, const float* residual, float lo,
                   float hi) {
  const size_t T = num_tiles(s), tb = tile_block(s), slot = slot_floats(s);
  const size_t per = packed_weight_floats(s.cin, s.cout);
  const double flops = 2.0 * 16 * static_cast<double>(T) * s.cin * s.cout;
  const size_t threads = flops < kMinParallelWork ? 1 : threadpool::num_threads();
  const size_t slots = std::max<size_t>(1, scratch_floats / slot);
  // Blocks of whole 6-tile groups (a micro-tile's rows), at most tb tiles each, as many as a
  // multiple of the worker count so workers get equal shares: blocks of 24 split the 49 tiles
  // of resnet50's 14x14 layers 2:1 over two workers (24 + 24 | 1); this gives 12+12 | 12+13.
  const size_t groups = (T + 5) / 6, per_block = std::max<size_t>(1, tb / 6);
  size_t blocks = (groups + per_block - 1) / per_block;
  if (threads > 1) blocks = (blocks + threads - 1) / threads * threads;
  blocks = std::min(blocks, groups);
  auto bound = [&](size_t i) { return std::min(T, 6 * (i * groups / blocks)); };
  threadpool::SlotPool slot_pool(slots);
  // Tiles [t0, t0 + n), output channels [c0, c1), in a scratch slot claimed for the call.
  auto run = [&](size_t t0, size_t n, size_t c0, size_t c1) {
    const size_t sl = slot_pool.acquire();
    float* V = scratch + sl * slot;
    float* Mp = V + 16 * tb * s.cin;
    float* zeros = Mp + 16 * tb * s.cout;
    float* dummy = zeros + s.cin;
    memset(zeros, 0, s.cin * sizeof(float));
    memset(dummy, 0, s.cout * sizeof(float));
    input_transform(s, x, zeros, t0, n, tb, V);
    for (size_t k = 0; k < 16; ++k)
      dense_product_cols(V + k * tb * s.cin, s.cin, packed + k * per, Mp + k * tb * s.cout, s.cout,
                         n, s.cin, s.cout, c0, c1);
    output_transform(s, Mp, t0, n, tb, bias, residual, lo, hi, y, dummy, c0, c1);
    slot_pool.release(sl);
  };
  // Too few tiles to share out by rows (resnet50's 7x7 layers: 16 tiles, split 6 | 10, each
  // worker streaming all 16 transformed weight matrices, 16 MB): split the output channels
  // instead; each worker transforms the whole (small) input itself and reads its share of the
  // weights.
  const size_t cw = column_share();
  if (threads > 1 && T <= tb && groups < 2 * threads && s.cout >= 2 * cw) {
    const size_t cols = (s.cout + threads * cw - 1) / (threads * cw) * cw;
    const size_t shares = (s.cout + cols - 1) / cols;
    threadpool::parallel_for(shares, 1, [&](size_t b0, size_t b1) {
      for (size_t sh = b0; sh < b1; ++sh) run(0, T, sh * cols, std::min(s.cout, (sh + 1) * cols));
    });
    return;
  }
  threadpool::parallel_for(blocks, 1, [&](size_t b0, size_t b1) {
    for (size_t blk = b0; blk < b1; ++blk) run(bound(blk), bound(blk + 1) - bound(blk), 0, s.cout);
  });
}

}  // namespace cpu
}  // namespace ember
