// Depthwise convolutions on Ember's kernel (kernels.h depthwise_row), alone or fused with the
// pointwise (1x1) convolution that produces their input: the inverted-residual pattern of the
// mobilenets, where the expanded activation is the largest tensor of the block (4.8 MB at
// mobilenet_v2's 112x112x96). Fused, each worker computes the expanded rows it needs into a
// small ring of rows that stays in L2 and runs the depthwise over them, so that activation is
// never written to memory and read back.
#pragma once

#include <cstddef>

#include "runtime/backends/cpu/dense.h"

namespace ember {
namespace cpu {

// y = clamp(depthwise(x, w) + bias, lo, hi) (then hardswish where asked); s.cin == s.cout channels,
// w tap-major [kh * kw][c] (see kernels.h), bias [c] or null. Rows are split over the shared pool.
void depthwise_nhwc(const ConvShape& s, const float* x, const float* w, const float* bias, float* y,
                    float lo, float hi, bool hardswish);

// A 1x1 convolution (x [batch, h, w, pw_cin] -> [.., s.cin] with weights packed by pack_weights,
// bias, clamp [lo, hi], hardswish) feeding the depthwise convolution s. scratch holds the workers'
// ring buffers (fused_scratch_floats long).
struct PointwiseStage {
  size_t cin;
  const float* packed;
  const float* bias;
  float lo, hi;
  bool hardswish;
};
size_t fused_scratch_floats(const ConvShape& s, size_t threads);
void pointwise_depthwise_nhwc(const PointwiseStage& pw, const ConvShape& s, const float* x,
                              const float* w, const float* bias, float* y, float lo, float hi,
                              bool hardswish, float* scratch, size_t scratch_floats);

}  // namespace cpu
}  // namespace ember
