// aten::cumsum.default: inclusive prefix sums along a dim, accumulated in double (floating
// outputs, as PyTorch's CPU kernel does) or int64 (integer outputs).
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

template <typename T, typename Acc>
void cumsum_impl(const T* in, const Tensor& out, int64_t outer, int64_t n, int64_t inner) {
  constexpr int64_t kChunk = 256;
  Acc acc[kChunk];
  for (int64_t o = 0; o < outer; ++o) {
    const int64_t base = o * n * inner;
    for (int64_t c0 = 0; c0 < inner; c0 += kChunk) {
      const int64_t c = inner - c0 < kChunk ? inner - c0 : kChunk;
      for (int64_t j = 0; j < c; ++j) acc[j] = 0;
      for (int64_t r = 0; r < n; ++r) {
        const int64_t off = base + r * inner + c0;
        for (int64_t j = 0; j < c; ++j) {
          if constexpr (std::is_same<Acc, double>::value) {
            acc[j] += static_cast<double>(in[off + j]);
            reduce::store_double(out, off + j, acc[j]);
          } else {
            acc[j] = static_cast<int64_t>(static_cast<uint64_t>(acc[j]) +
                                          static_cast<uint64_t>(reduce::to_i64(in[off + j])));
            store_from_int(out, off + j, acc[j]);
          }
        }
      }
    }
  }
}

// cumsum(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor
void cumsum_out(KernelContext& ctx, EValue** args, size_t num_args) {
  const char* op = "aten::cumsum";
  EMBER_KCHECK_NARGS(ctx, op, num_args, 4);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 0);
  EMBER_SHAPE_ARG_INT(ctx, op, args, 1);
  EMBER_SHAPE_ARG_TENSOR(ctx, op, args, 3);
  if (!reduce::check_opt_dtype_arg(ctx, op, args[2])) return;
  const Tensor& in = args[0]->tensor();
  const Tensor& out = args[3]->tensor();
  int64_t dim;
  if (!shape::wrap_dim(ctx, op, args[1]->to_int(), in.dim(), &dim)) return;
  EMBER_KCHECK(ctx, reduce::is_real_dtype(in.dtype()) && reduce::is_real_dtype(out.dtype()),
               "%s: unsupported dtype", op);
  if (!shape::check_out_shape(ctx, op, out, in.sizes(), in.dim())) return;
  EMBER_KCHECK(ctx, in.data() == out.data() || !shape::overlaps(in, out),
               "%s: output partially overlaps the input", op);
  EMBER_KCHECK(ctx, in.data() != out.data() || in.dtype() == out.dtype(),
               "%s: in-place cumsum needs matching dtypes", op);
  if (in.numel() == 0) return;
  int64_t outer, n, inner;
  reduce::split_around(in, in.dim() == 0 ? -1 : dim, &outer, &n, &inner);
  if (is_floating(out.dtype())) {
    EMBER_REDUCE_DISPATCH(in.dtype(),
                          cumsum_impl<T, double>(in.data_as<const T>(), out, outer, n, inner));
  } else {
    EMBER_REDUCE_DISPATCH(in.dtype(),
                          cumsum_impl<T, int64_t>(in.data_as<const T>(), out, outer, n, inner));
  }
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::cumsum.default", cumsum_out);

}  // namespace kernels
}  // namespace ember
