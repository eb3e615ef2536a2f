// 3x3 stride-1 convolutions by Winograd's minimal filtering F(2x2, 3x3): each 2x2 block of
// outputs costs 16 multiplies per (input, output) channel pair instead of 36, done as 16 GEMMs
// ([tiles, Cin] x [Cin, Cout]) on Ember's GEMM between an input and an output transform.
// Used by the cpu backend for dense (groups = 1) convolutions on its own GEMM path when the
// layer is large enough to pay for the transforms; EMBER_CPU_WINOGRAD=0 turns it off.
#pragma once

#include <cstddef>

#include "runtime/backends/cpu/dense.h"

namespace ember {
namespace cpu {

// True for 3x3, stride 1, dilation 1 convolutions with enough output tiles and channels.
bool winograd_suits(const ConvShape& s);

// Transformed weights U = G g G^T for each of the 16 positions, each packed like
// pack_weights ([Cout, Cin]). False when out of memory for the transform's temporary.
size_t winograd_weight_floats(const ConvShape& s);
bool winograd_pack_weights(const ConvShape& s, const float* w_ohwi, float* packed);

// Scratch for `threads` workers (one slot each).
size_t winograd_scratch_floats(const ConvShape& s, size_t threads);

// y = clamp(conv(x) + bias + residual, lo, hi), NHWC, with the weights packed above. Uses at most
// as many workers as scratch slots.
void conv_winograd(const ConvShape& s, const float* x, const float* packed, const float* bias,
                   float* y, float* scratch, size_t scratch_floats, const float* residual, float lo,
                   float hi);

}  // namespace cpu
}  // namespace ember
