// aten::cumsum.default: inclusive prefix sums along a dim, accumulated in double (floating
// outputs, as PyTorch's CPU kernel does) or int64 (integer outputs).
#include "runtime/kernels/portable/reduce_utils.h"

namespace ember {
namespace kernels {
namespace {

// Stores accumulators into the output: typed for the common dtypes, generic otherwise.
template <typename OutT>
struct TypedStore {
  OutT* p;
  void operator()(int64_t i, double v) const { p[i] = static_cast<OutT>(v); }
  void operator()(int64_t i, int64_t v) const { p[i] = static_cast<OutT>(v); }
};
struct GenericStore {
  const Tensor* t;
  void operator()(int64_t i, double v) const { store_from_double(*t, i, v); }
  void operator()(int64_t i, int64_t v) const { store_from_int(*t, i, v); }
};

template <typename Acc, typename T>
inline Acc add_acc(Acc a, T x) {
  if constexpr (std::is_same<Acc, double>::value) {
    return a + static_cast<double>(x);
  } else {
    return static_cast<int64_t>(static_cast<uint64_t>(a) +
                                static_cast<uint64_t>(reduce::to_i64(x)));
  }
}

template <typename T, typename Acc, typename Store>
void cumsum_impl(const T* in, Store store, int64_t outer, int64_t n, int64_t inner) {
  if (inner == 1) {
    for (int64_t o = 0; o < outer; ++o) {
      const int64_t base = o * n;
      Acc acc = 0;
      for (int64_t r = 0; r < n; ++r) {
        acc = add_acc(acc, in[base + r]);
        store(base + r, acc);
      }
    }
    return;
  }
  constexpr int64_t kChunk = 1024;
  Acc acc[kChunk];
  for (int64_t o = 0; o < outer; ++o) {
    const int64_t base = o * n * inner;
    for (int64_t c0 = 0; c0 < inner; c0 += kChunk) {
      const int64_t c = inner - c0 < kChunk ? inner - c0 : kChunk;
      for (int64_t j = 0; j < c; ++j) acc[j] = 0;
      for (int64_t r = 0; r < n; ++r) {
        const int64_t off = base + r * inner + c0;
        for (int64_t j = 0; j < c; ++j) {
          acc[j] = add_acc(acc[j], in[off + j]);
          store(off + j, acc[j]);
        }
      }
    }
  }
}

template <typename T>
void cumsum_dispatch_out(const T* in, const Tensor& out, int64_t outer, int64_t n, int64_t inner) {
  switch (out.dtype()) {
    case ScalarType::Float32:
      cumsum_impl<T, double>(in, TypedStore<float>{out.data_as<float>()}, outer, n, inner);
      break;
    case ScalarType::Float64:
      cumsum_impl<T, double>(in, TypedStore<double>{out.data_as<double>()}, outer, n, inner);
      break;
    case ScalarType::Int64:
      cumsum_impl<T, int64_t>(in, TypedStore<int64_t>{out.data_as<int64_t>()}, outer, n, inner);
      break;
    default:
      if (is_floating(out.dtype()))
        cumsum_impl<T, double>(in, GenericStore{&out}, outer, n, inner);
      else
        cumsum_impl<T, int64_t>(in, GenericStore{&out}, outer, n, inner);
      break;
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
  EMBER_REDUCE_DISPATCH(in.dtype(),
                        cumsum_dispatch_out<T>(in.data_as<const T>(), out, outer, n, inner));
}

}  // namespace

EMBER_REGISTER_KERNEL("aten::cumsum.default", cumsum_out);

}  // namespace kernels
}  // namespace ember
