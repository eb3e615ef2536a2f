// aten::chunk.default: `chunks` nearly equal pieces along a dim (like PyTorch: pieces of
// ceil(size / chunks), so there may be fewer than `chunks`).
#include "runtime/kernels/portable/shape_utils.h"

namespace ember {
namespace kernels {
namespace {

// chunk(Tensor self, int chunks, int dim=0) -> Tensor[]
void chunk_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::chunk";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 2);
  EMBER_SHAPE_ARG_TENSOR_LIST(ctx, op, args, 3);
  const Tensor& self = args[0]->tensor();
  EMBER_KCHECK(ctx, self.dim() > 0, "%s: cannot chunk a 0-d tensor", op);
  const int64_t chunks = args[1]->to_int();
  EMBER_KCHECK(ctx, chunks > 0 && chunks <= (int64_t(1) << 40), "%s: chunks must be positive", op);
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[2]->to_int(), self.dim(), &dim)) return;
  const int64_t size = self.size(static_cast<int>(dim));
  const int64_t split = (size + chunks - 1) / chunks;
  // An empty dim gives `chunks` empty pieces; otherwise split(split) semantics.
  const int64_t count = size == 0 ? chunks : (size + split - 1) / split;
  ArrayRef<Tensor*> outs = args[3]->tensor_list();
  if (!shape::check_out_list(ctx, op, outs, count)) return;
  for (int64_t i = 0; i < count && ctx.ok(); ++i) {
    int64_t start = size == 0 ? 0 : i * split;
    int64_t len = size == 0 ? 0 : (size - start < split ? size - start : split);
    shape::narrow_into(ctx, op, self, static_cast<int>(dim), start, len, false, *outs[i]);
  }
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::chunk.default", chunk_out);

}  // namespace kernels
}  // namespace ember
