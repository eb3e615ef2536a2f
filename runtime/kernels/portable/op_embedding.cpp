// aten::embedding.default: out[..., :] = weight[indices[...], :] for int64 / int32 indices;
// every index is bounds-checked. padding_idx / scale_grad_by_freq / sparse only affect
// gradients and are ignored.
#include "runtime/kernels/portable/nn_utils.h"

namespace ember {
namespace kernels {
namespace {

// embedding(Tensor weight, Tensor indices, int padding_idx=-1, bool scale_grad_by_freq=False,
//           bool sparse=False) -> Tensor
void embedding_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::embedding";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 6);
  EMBER_NN_TENSOR(ctx, op, args, 0);
  EMBER_NN_TENSOR(ctx, op, args, 1);
  EMBER_NN_INT(ctx, op, args, 2);
  EMBER_NN_BOOL(ctx, op, args, 3);
  EMBER_NN_BOOL(ctx, op, args, 4);
  EMBER_NN_TENSOR(ctx, op, args, 5);
  const Tensor& weight = args[0]->tensor();
  const Tensor& indices = args[1]->tensor();
  const Tensor& out = args[5]->tensor();
  EMBER_KCHECK(ctx, weight.dim() == 2, "%s: weight must be 2-D, got %d-D", op, weight.dim());
  EMBER_KCHECK(ctx, indices.dtype() == ScalarType::Int64 || indices.dtype() == ScalarType::Int32,
               "%s: indices must be int64 or int32, got %s", op, scalar_type_name(indices.dtype()));
  EMBER_KCHECK(ctx, indices.dim() < kMaxDims, "%s: indices have too many dimensions", op);
  int64_t osz[kMaxDims];
  for (int i = 0; i < indices.dim(); ++i) osz[i] = indices.size(i);
  osz[indices.dim()] = weight.size(1);
  if (!nn::check_out(ctx, op, "out", out, weight.dtype(), indices.dim() + 1, osz)) return;
  const int64_t V = weight.size(0);
  const size_t row_bytes = static_cast<size_t>(weight.size(1)) * element_size(weight.dtype());
  const uint8_t* src = static_cast<const uint8_t*>(weight.data());
  uint8_t* dst = static_cast<uint8_t*>(out.data());
  const int64_t n = indices.numel();
  const bool i64 = indices.dtype() == ScalarType::Int64;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t idx =
        i64 ? indices.data_as<const int64_t>()[i] : indices.data_as<const int32_t>()[i];
    EMBER_KCHECK(ctx, idx >= 0 && idx < V, "%s: index %lld out of range for %lld embeddings", op,
                 (long long)idx, (long long)V);
    if (row_bytes) memcpy(dst + i * row_bytes, src + idx * row_bytes, row_bytes);
  }
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::embedding.default", embedding_out);

}  // namespace kernels
}  // namespace ember
