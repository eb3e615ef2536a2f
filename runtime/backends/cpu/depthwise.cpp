#include "runtime/backends/cpu/depthwise.h"

#include <algorithm>

#include "runtime/backends/cpu/kernels.h"
#include "runtime/threadpool/threadpool.h"

namespace ember {
namespace cpu {
namespace {

// Input row of filter row ky for output row oy, or -1 where it is padding.
long input_row(const ConvShape& s, size_t oy, size_t ky) {
  const long iy = static_cast<long>(oy * s.sh + ky * s.dh) - static_cast<long>(s.pt);
  return iy >= 0 && iy < static_cast<long>(s.h) ? iy : -1;
}

double depthwise_work(const ConvShape& s) {
  return 2.0 * static_cast<double>(s.batch * s.oh * s.ow) * static_cast<double>(s.cin) *
         static_cast<double>(s.kh * s.kw);
}

// Rows of the ring: every input row one output row's filter reaches.
size_t ring_rows(const ConvShape& s) {
  return (s.kh - 1) * s.dh + 1;
}

}  // namespace

void depthwise_nhwc(const ConvShape& s, const float* x, const float* w, const float* bias, float* y,
                    float lo, float hi, bool hardswish) {
  const Kernels& k = kernels();
  const WindowShape ds = window_shape(s);
  const size_t rows = s.batch * s.oh, C = s.cin;
  const size_t grain = depthwise_work(s) < kMinParallelWork ? rows : 1;
  threadpool::parallel_for(rows, grain, [&](size_t r0, size_t r1) {
    const float* in[kMaxDepthwiseTaps];
    for (size_t r = r0; r < r1; ++r) {
      const size_t b = r / s.oh, oy = r % s.oh;
      for (size_t ky = 0; ky < s.kh; ++ky) {
        const long iy = input_row(s, oy, ky);
        in[ky] = iy < 0 ? nullptr : x + ((b * s.h + static_cast<size_t>(iy)) * s.w) * C;
      }
      k.depthwise_row(ds, in, w, bias, y + r * s.ow * C, lo, hi, hardswish);
    }
  });
}

size_t fused_scratch_floats(const ConvShape& s, size_t threads) {
  return std::max<size_t>(threads, 1) * ring_rows(s) * s.w * s.cin;
}

void pointwise_depthwise_nhwc(const PointwiseStage& pw, const ConvShape& s, const float* x,
                              const float* w, const float* bias, float* y, float lo, float hi,
                              bool hardswish, float* scratch, size_t scratch_floats) {
  const Kernels& k = kernels();
  const WindowShape ds = window_shape(s);
  const size_t C = s.cin, ring = ring_rows(s), row_floats = s.w * C;
  const size_t slots = scratch_floats / (ring * row_floats);
  const size_t threads = std::max<size_t>(std::min(threadpool::num_threads(), slots), 1);
  const size_t rows = s.batch * s.oh;
  const double work = depthwise_work(s) + 2.0 * static_cast<double>(s.batch * s.h * s.w) *
                                              static_cast<double>(pw.cin * C);
  // One contiguous band of output rows per worker; a band recomputes the few expanded rows it
  // shares with the band before it.
  const size_t bands = work < kMinParallelWork ? 1 : std::min(threads, rows);
  const size_t per_band = (rows + bands - 1) / bands;
  threadpool::parallel_for(bands, 1, [&](size_t t0, size_t t1) {
    for (size_t t = t0; t < t1; ++t) {
      float* ring_buf = scratch + t * ring * row_floats;
      const float* in[kMaxDepthwiseTaps];
      long image = -1, next_iy = 0;  // rows [.., next_iy) of `image` are in the ring
      for (size_t r = t * per_band; r < std::min(rows, (t + 1) * per_band); ++r) {
        const size_t b = r / s.oh, oy = r % s.oh;
        if (static_cast<long>(b) != image) {
          image = static_cast<long>(b);
          next_iy = 0;
        }
        // The ring slides down the image: compute the rows this output row needs that are not
        // there yet (each expanded row is a [w, pw.cin] x [pw.cin, C] product).
        const long first = static_cast<long>(oy * s.sh) - static_cast<long>(s.pt);
        const long last = std::min(first + static_cast<long>(ring), static_cast<long>(s.h));
        for (long iy = std::max(next_iy, std::max(first, 0L)); iy < last; ++iy)
          dense_rows(x + (b * s.h + static_cast<size_t>(iy)) * s.w * pw.cin, pw.cin, pw.packed,
                     pw.bias, ring_buf + (static_cast<size_t>(iy) % ring) * row_floats, s.w, pw.cin,
                     C, pw.lo, pw.hi, pw.hardswish);
        next_iy = std::max(next_iy, last);
        for (size_t ky = 0; ky < s.kh; ++ky) {
          const long iy = input_row(s, oy, ky);
          in[ky] = iy < 0 ? nullptr : ring_buf + (static_cast<size_t>(iy) % ring) * row_floats;
        }
        k.depthwise_row(ds, in, w, bias, y + r * s.ow * C, lo, hi, hardswish);
      }
    }
  });
}

}  // namespace cpu
}  // namespace ember
