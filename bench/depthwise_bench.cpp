// ember-depthwise-bench: single-thread time of the cpu backend's own depthwise convolution
// (runtime/backends/cpu/depthwise.h) against XNNPACK's, interleaved in one process, on the
// depthwise layers of mobilenet_v2 and mobilenet_v3_large (NHWC, batch 1, ReLU6 clamp). A
// benchmark, not a test: prints the median ms of each and the ratio own / XNNPACK, and checks
// that both give the same output.
//
//   ember-depthwise-bench [--rounds N] [--reps R]
#include <xnnpack.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "bench/timing.h"
#include "runtime/backends/cpu/depthwise.h"
#include "runtime/threadpool/threadpool.h"

namespace {

struct Layer {
  size_t h, c, k, stride;
};

using ember_bench::median;
using ember_bench::now_ms;

}  // namespace

int main(int argc, char** argv) {
  int rounds = 15, reps = 20;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = std::max(1, atoi(argv[++i]));
    } else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
      reps = std::max(1, atoi(argv[++i]));
    } else {
      fprintf(stderr, "usage: %s [--rounds N] [--reps R]\n", argv[0]);
      return 2;
    }
  }
  if (xnn_initialize(nullptr) != xnn_status_success) {
    fprintf(stderr, "XNNPACK failed to initialize\n");
    return 1;
  }
  ember::threadpool::set_num_threads(1);
  const Layer layers[] = {
      {112, 32, 3, 1}, {112, 96, 3, 2}, {56, 144, 3, 1}, {56, 144, 3, 2}, {28, 192, 3, 1},
      {14, 384, 3, 1}, {14, 576, 3, 1}, {7, 960, 3, 1},  // mobilenet_v2
      {112, 16, 3, 1}, {56, 72, 5, 2},  {28, 120, 5, 1}, {14, 480, 3, 1}, {7, 960, 5, 1},
  };
  printf("depthwise convolution, 1 thread, median ms of %d rounds x %d runs\n", rounds, reps);
  printf("%-22s %9s %9s %7s %10s\n", "layer", "own", "xnnpack", "ratio", "max |diff|");
  std::vector<double> ratios;
  for (const Layer& l : layers) {
    const size_t pad = l.k / 2, oh = (l.h + 2 * pad - l.k) / l.stride + 1, taps = l.k * l.k;
    std::vector<float> x(l.h * l.h * l.c), w(taps * l.c), wt(taps * l.c), b(l.c);
    std::vector<float> y_own(oh * oh * l.c), y_xnn(oh * oh * l.c);
    uint32_t s = 12345;
    auto next = [&] {
      return static_cast<float>((s = s * 1664525u + 1013904223u) >> 9) * 0x1p-23f - 1;
    };
    for (float& v : x) v = next();
    for (float& v : w) v = next();
    for (float& v : b) v = next();
    for (size_t c = 0; c < l.c; ++c)  // [c][tap] -> tap-major
      for (size_t t = 0; t < taps; ++t) wt[t * l.c + c] = w[c * taps + t];
    xnn_operator_t op = nullptr;
    if (xnn_create_convolution2d_nhwc_f32(pad, pad, pad, pad, l.k, l.k, l.stride, l.stride, 1, 1,
                                          l.c, 1, 1, l.c, l.c, w.data(), b.data(), 0.0f, 6.0f, 0,
                                          &op) != xnn_status_success ||
        xnn_setup_convolution2d_nhwc_f32(op, 1, l.h, l.h, x.data(), y_xnn.data(), nullptr) !=
            xnn_status_success) {
      fprintf(stderr, "XNNPACK setup failed\n");
      return 1;
    }
    ember::cpu::ConvShape cs{};
    cs.batch = 1;
    cs.h = cs.w = l.h;
    cs.cin = cs.cout = l.c;
    cs.oh = cs.ow = oh;
    cs.kh = cs.kw = l.k;
    cs.sh = cs.sw = l.stride;
    cs.pt = cs.pl = pad;
    cs.dh = cs.dw = 1;
    std::vector<double> t_own, t_xnn;
    for (int r = 0; r < rounds; ++r) {
      const double t0 = now_ms();
      for (int i = 0; i < reps; ++i)
        ember::cpu::depthwise_nhwc(cs, x.data(), wt.data(), b.data(), y_own.data(), 0.0f, 6.0f,
                                   false);
      const double t1 = now_ms();
      for (int i = 0; i < reps; ++i) xnn_run_operator(op, nullptr);
      const double t2 = now_ms();
      t_own.push_back((t1 - t0) / reps);
      t_xnn.push_back((t2 - t1) / reps);
    }
    xnn_delete_operator(op);
    double diff = 0;
    for (size_t i = 0; i < y_own.size(); ++i)
      diff = std::max(diff, static_cast<double>(std::fabs(y_own[i] - y_xnn[i])));
    char name[64];
    snprintf(name, sizeof name, "%zux%zux%zu k%zu s%zu", l.h, l.h, l.c, l.k, l.stride);
    const double own = median(t_own), xnn = median(t_xnn);
    ratios.push_back(own / xnn);
    printf("%-22s %9.3f %9.3f %7.2f %10.1e\n", name, own, xnn, own / xnn, diff);
  }
  double log_sum = 0;
  for (double r : ratios) log_sum += std::log(r);
  printf("geometric mean ratio own / xnnpack: %.2f\n", std::exp(log_sum / ratios.size()));
  return 0;
}
