// The "cpu" backend: runs subgraphs compiled by python/ember/backends/cpu.py.
//
// init() parses the blob, creates one XNNPACK operator per convolution / fully-connected /
// elementwise / pooling node (XNNPACK packs the weights into its own layout at creation; the
// blob's copy is then released from memory with MADV_PAGEOUT so it is not resident twice) and
// binds every operator to fixed addresses in the delegate's arena, so execute() only runs the
// operators. Boundary nodes copy the delegate's arguments in and out (NCHW <-> NHWC where the
// subgraph works channels-last). Ember's own kernels (kernels.h) cover what XNNPACK lacks.
#include <sys/mman.h>
#include <unistd.h>
#include <xnnpack.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

#include "runtime/backend/backend.h"
#include "runtime/backends/cpu/attention.h"
#include "runtime/backends/cpu/dense.h"
#include "runtime/backends/cpu/depthwise.h"
#include "runtime/backends/cpu/kernels.h"
#include "runtime/backends/cpu/winograd.h"
#include "runtime/kernels/portable/gemm.h"
#include "runtime/platform/platform.h"
#include "runtime/threadpool/threadpool.h"

namespace ember {
namespace cpu {
namespace {

enum Op : uint32_t {
  COPY_IN = 1,
  COPY_OUT = 2,
  TO_NHWC = 3,
  TO_NCHW = 4,
  CONV = 10,
  FC = 11,
  BINARY = 12,
  CLAMP = 13,
  HARDSWISH = 14,
  SIGMOID = 15,
  MAXPOOL = 16,
  AVGPOOL = 17,
  GAP = 18,
  SOFTMAX = 19,
  AFFINE = 20,
  GELU = 21,
  LAYERNORM = 22,
  BMM = 23,
  PERMUTE = 24,
  CAT = 25,
  SLICE = 26,
  MM = 28,
  BOX_COPY = 29,
  ATTENTION = 30,
};

struct TensorDesc {
  uint32_t kind = 0;  // 0 arena, 1 constant
  std::vector<int64_t> dims;
  uint64_t offset = 0;
  float* data = nullptr;  // resolved address (arena, owned constant copy, or blob)
  size_t numel() const {
    size_t n = 1;
    for (int64_t d : dims) n *= static_cast<size_t>(d);
    return n;
  }
};

struct Node {
  uint32_t op = 0;
  std::vector<int32_t> in, out;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  xnn_operator_t xop = nullptr;
  // Run after xop: the residual add of a fused conv/fully-connected + add on the XNNPACK path.
  std::vector<xnn_operator_t> extra;
  int32_t residual = -1;  // CONV/FC fused with a following add: the other operand's tensor
  // Small operators run on the calling thread: waking the pool costs more than it saves, and
  // on a busy device a sleeping or descheduled worker would stall every tiny op.
  bool parallel = true;
  // Dense conv / fully-connected on Ember's GEMM instead of XNNPACK (see dense.h): weights
  // packed into GEMM panels at init, bias copied.
  bool own = false;
  const float* own_wt = nullptr;
  const float* own_bias = nullptr;
  ConvShape conv{};
  bool winograd = false;   // CONV on the own path by Winograd F(2x2, 3x3)
  bool depthwise = false;  // CONV on the own depthwise kernel (kernels.h), weights [taps][C]
  // Pointwise -> depthwise fusion (depthwise.h): the depthwise node computes the pointwise node
  // `fused_pointwise` too. A node computed by another one is skipped (fused_into = that node).
  int32_t fused_pointwise = -1;
  int32_t fused_into = -1;
  bool hardswish = false;      // CONV/FC: hardswish after the clamp (cpu.py folded the node in)
  bool gelu = false;           // FC: exact GELU after the clamp (cpu.py folded the node in)
  AttentionShape attention{};  // ATTENTION
  uint64_t profile_ns = 0;     // EMBER_CPU_PROFILE=1: time spent in this node
  uint64_t profile_runs = 0;
};

const char* op_name(uint32_t op) {
  switch (op) {
    case COPY_IN:
      return "copy_in";
    case COPY_OUT:
      return "copy_out";
    case TO_NHWC:
      return "to_nhwc";
    case TO_NCHW:
      return "to_nchw";
    case CONV:
      return "conv";
    case FC:
      return "fully_connected";
    case BINARY:
      return "binary";
    case CLAMP:
      return "clamp";
    case HARDSWISH:
      return "hardswish";
    case SIGMOID:
      return "sigmoid";
    case MAXPOOL:
      return "maxpool";
    case AVGPOOL:
      return "avgpool";
    case GAP:
      return "global_avgpool";
    case SOFTMAX:
      return "softmax";
    case AFFINE:
      return "affine";
    case GELU:
      return "gelu";
    case LAYERNORM:
      return "layernorm";
    case BMM:
      return "bmm";
    case PERMUTE:
      return "permute";
    case CAT:
      return "cat";
    case SLICE:
      return "slice";
    case BOX_COPY:
      return "box_copy";
    case ATTENTION:
      return "attention";
    case MM:
      return "mm";
    default:
      return "?";
  }
}

// EMBER_CPU_PROFILE=1: per-op-kind totals; =2: also one line per node.
int profiling_level() {
  static const int level = [] {
    const char* s = getenv("EMBER_CPU_PROFILE");
    return s != nullptr && (s[0] == '1' || s[0] == '2') ? s[0] - '0' : 0;
  }();
  return level;
}
bool profiling_enabled() {
  return profiling_level() > 0;
}

struct Delegate {
  std::vector<TensorDesc> tensors;
  std::vector<Node> nodes;
  float* arena = nullptr;
  size_t arena_bytes = 0;
  bool owns_arena = false;                      // false: the arena is the method's scratch
  std::vector<std::unique_ptr<float[]>> owned;  // constants kept past init
  std::vector<float> conv_scratch;  // im2col blocks, fused rings, attention score blocks
  uint32_t nargs = 0;
  pthreadpool_t pool = nullptr;
  ~Delegate() {
    for (Node& n : nodes) {
      if (n.xop) xnn_delete_operator(n.xop);
      for (xnn_operator_t op : n.extra) xnn_delete_operator(op);
    }
    if (owns_arena) free(arena);
  }
};

// Bounds-checked little-endian reader over the blob.
struct Reader {
  const uint8_t* p;
  size_t n, pos = 0;
  bool ok = true;
  template <typename T>
  T get() {
    T v{};
    if (pos + sizeof(T) > n) {
      ok = false;
      return v;
    }
    memcpy(&v, p + pos, sizeof(T));
    pos += sizeof(T);
    return v;
  }
};

bool xnn_ready() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = xnn_initialize(nullptr) == xnn_status_success; });
  return ok;
}

bool is_available() {
  return xnn_ready();
}

// Drops the resident pages of [p, p + n) (the blob's weights, now packed by XNNPACK). The
// contents are preserved: file-backed pages are re-read on access, anonymous ones swapped.
void release_pages(const void* p, size_t n) {
#ifdef MADV_PAGEOUT
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  uintptr_t b = (reinterpret_cast<uintptr_t>(p) + page - 1) & ~(page - 1);
  uintptr_t e = (reinterpret_cast<uintptr_t>(p) + n) & ~(page - 1);
  if (e > b) madvise(reinterpret_cast<void*>(b), e - b, MADV_PAGEOUT);
#else
  (void)p;
  (void)n;
#endif
}

#define CHECK_BLOB(cond, ...) \
  if (!(cond)) return EMBER_ERROR(InvalidProgram, __VA_ARGS__)
#define CHECK_XNN(expr, what)                                                       \
  do {                                                                              \
    xnn_status _s = (expr);                                                         \
    if (_s != xnn_status_success)                                                   \
      return EMBER_ERROR(Internal, "XNNPACK %s failed (status %d)", what, (int)_s); \
  } while (0)

float fmin_of(const Node& n, size_t i) {
  double v = n.floats.size() > i ? n.floats[i] : -INFINITY;
  return std::isinf(v) ? (v < 0 ? -std::numeric_limits<float>::infinity()
                                : std::numeric_limits<float>::infinity())
                       : static_cast<float>(v);
}

// n floats the delegate owns (freed with it); null when out of memory.
float* own_floats(Delegate& d, size_t n) {
  std::unique_ptr<float[]> p(new (std::nothrow) float[n]);
  float* raw = p.get();
  if (raw) d.owned.push_back(std::move(p));
  return raw;
}

// The bias (N floats, or null) copied into memory the delegate owns.
Status own_bias(Delegate& d, Node& n, const float* bias, size_t N) {
  if (!bias) return Status();
  float* b = own_floats(d, N);
  if (!b) return EMBER_ERROR(OutOfMemory, "cpu backend: out of memory for bias");
  memcpy(b, bias, N * sizeof(float));
  n.own_bias = b;
  return Status();
}

// Packs w[N, K] into the GEMM's panel layout (and copies the bias) in memory the delegate
// owns; the file's copy is released after init.
Status setup_own_dense(Delegate& d, Node& n, const float* w, const float* bias, size_t N,
                       size_t K) {
  float* wt = own_floats(d, packed_weight_floats(K, N) + 16);
  if (!wt) return EMBER_ERROR(OutOfMemory, "cpu backend: out of memory for packed weights");
  pack_weights(w, N, K, wt);
  n.own_wt = wt;
  n.own = true;
  return own_bias(d, n, bias, N);
}

// a * b <= limit for non-negative a, b, without overflow.
bool fits(int64_t a, int64_t b, size_t limit) {
  return a == 0 || static_cast<uint64_t>(b) <= limit / static_cast<uint64_t>(a);
}

// BOX_COPY (cpu.py): ints [nd, has_fill, nboxes, then per box src_offset, dst_offset,
// count[nd], src_stride[nd], dst_stride[nd]]; every element a box touches must lie inside its
// tensor (checked without overflow: each term is bounded before it is multiplied).
constexpr size_t kBoxHeader = 2;
Status check_box_copy(Delegate& d, Node& n) {
  CHECK_BLOB(n.in.size() == 1 && n.out.size() == 1 && n.ints.size() >= 3 && !n.floats.empty(),
             "box_copy: bad arity");
  const int64_t nd = n.ints[0], nboxes = n.ints[2];
  CHECK_BLOB(
      nd >= 1 && nd <= 8 && (n.ints[1] == 0 || n.ints[1] == 1) && nboxes >= 0 && nboxes <= 256,
      "box_copy: bad header");
  const size_t per_box = kBoxHeader + 3 * static_cast<size_t>(nd);
  CHECK_BLOB(n.ints.size() == 3 + static_cast<size_t>(nboxes) * per_box, "box_copy: bad arity");
  const int64_t src_n = static_cast<int64_t>(d.tensors[static_cast<size_t>(n.in[0])].numel());
  const int64_t dst_n = static_cast<int64_t>(d.tensors[static_cast<size_t>(n.out[0])].numel());
  for (int64_t b = 0; b < nboxes; ++b) {
    const int64_t* box = n.ints.data() + 3 + b * static_cast<int64_t>(per_box);
    const int64_t *count = box + 2, *src_st = count + nd, *dst_st = src_st + nd;
    bool empty = false;
    for (int64_t k = 0; k < nd; ++k) {
      CHECK_BLOB(count[k] >= 0 && src_st[k] >= 0 && dst_st[k] >= 0, "box_copy: negative extent");
      empty = empty || count[k] == 0;
    }
    if (empty) continue;
    // Last element touched = offset + sum((count - 1) * stride) must be < numel.
    int64_t src_last = box[0], dst_last = box[1];
    CHECK_BLOB(src_last >= 0 && src_last < src_n && dst_last >= 0 && dst_last < dst_n,
               "box_copy: offset out of range");
    for (int64_t k = 0; k < nd; ++k) {
      const int64_t c = count[k] - 1;
      CHECK_BLOB(c == 0 || (src_st[k] <= (src_n - 1 - src_last) / c &&
                            dst_st[k] <= (dst_n - 1 - dst_last) / c),
                 "box_copy: box out of range");
      src_last += c * src_st[k];
      dst_last += c * dst_st[k];
    }
  }
  return Status();
}

// True when two tensors share no memory (constants never alias activations).
bool disjoint(const TensorDesc& a, const TensorDesc& b) {
  const float *ab = a.data, *ae = a.data + a.numel(), *bb = b.data, *be = b.data + b.numel();
  return ae <= bb || be <= ab;
}

// True when every element (b, r, c) < (nb, nr, nc) of strided operand x (batch split by h)
// lies in [0, numel): each term is bounded before it is added, so nothing overflows.
bool strided_fits(const Strided& x, size_t nb, size_t h, size_t nr, size_t nc, size_t numel) {
  if (nb == 0 || nr == 0 || nc == 0) return true;
  if (x.off < 0 || x.sb < 0 || x.sh < 0 || x.sr < 0 || x.sd < 0) return false;
  uint64_t last = static_cast<uint64_t>(x.off);
  const uint64_t extent[4] = {nb / h - 1, h - 1, nr - 1, nc - 1};
  const int64_t stride[4] = {x.sb, x.sh, x.sr, x.sd};
  for (int i = 0; i < 4; ++i) {
    if (last >= numel) return false;
    const uint64_t room = numel - 1 - last, st = static_cast<uint64_t>(stride[i]);
    if (extent[i] != 0 && st > room / extent[i]) return false;
    last += extent[i] * st;
  }
  return last < numel;
}

// ATTENTION (cpu.py): in q, k, v, out o; ints [B, H, M, N, D, Dv, then per q, k, v, o:
// offset, stride b / H, stride b % H, stride m|n, stride d]; floats [scale]. Every strided
// access must lie inside its tensor, and the output must not share memory with an input.
Status parse_attention(Delegate& d, Node& n) {
  CHECK_BLOB(n.in.size() == 3 && n.out.size() == 1 && n.ints.size() == 26 && n.floats.size() == 1,
             "attention: bad arity");
  for (size_t i = 0; i < 6; ++i)
    CHECK_BLOB(n.ints[i] >= 0 && n.ints[i] < (1ll << 31), "attention: bad sizes");
  AttentionShape& a = n.attention;
  a.B = static_cast<size_t>(n.ints[0]);
  a.H = static_cast<size_t>(n.ints[1]);
  a.M = static_cast<size_t>(n.ints[2]);
  a.N = static_cast<size_t>(n.ints[3]);
  a.D = static_cast<size_t>(n.ints[4]);
  a.Dv = static_cast<size_t>(n.ints[5]);
  CHECK_BLOB(a.H > 0 && a.B % a.H == 0, "attention: bad head count");
  Strided* ops[4] = {&a.q, &a.k, &a.v, &a.o};
  for (size_t i = 0; i < 4; ++i) {
    const int64_t* x = n.ints.data() + 6 + 5 * i;
    *ops[i] = Strided{x[0], x[1], x[2], x[3], x[4]};
  }
  a.scale = static_cast<float>(n.floats[0]);
  auto T = [&](int32_t id) -> const TensorDesc& { return d.tensors[static_cast<size_t>(id)]; };
  CHECK_BLOB(strided_fits(a.q, a.B, a.H, a.M, a.D, T(n.in[0]).numel()) &&
                 strided_fits(a.k, a.B, a.H, a.N, a.D, T(n.in[1]).numel()) &&
                 strided_fits(a.v, a.B, a.H, a.N, a.Dv, T(n.in[2]).numel()) &&
                 strided_fits(a.o, a.B, a.H, a.M, a.Dv, T(n.out[0]).numel()),
             "attention: operand out of range");
  CHECK_BLOB(a.o.sd == 1 || a.Dv <= 1, "attention: output rows must be contiguous");
  for (size_t i = 0; i < 3; ++i)
    CHECK_BLOB(disjoint(T(n.in[i]), T(n.out[0])), "attention: output overlaps an input");
  const size_t need = attention_scratch_floats(a, threadpool::num_threads());
  if (d.conv_scratch.size() < need) d.conv_scratch.resize(need);
  return Status();
}

// Runs a BOX_COPY node checked by check_box_copy.
void run_box_copy(const Node& n, const float* x, float* y, size_t y_numel) {
  const size_t nd = static_cast<size_t>(n.ints[0]);
  if (n.ints[1]) std::fill(y, y + y_numel, static_cast<float>(n.floats[0]));
  const size_t per_box = kBoxHeader + 3 * nd;
  for (int64_t b = 0; b < n.ints[2]; ++b) {
    const int64_t* box = n.ints.data() + 3 + static_cast<size_t>(b) * per_box;
    const int64_t *count = box + 2, *src_st = count + nd, *dst_st = src_st + nd;
    bool empty = false;
    for (size_t k = 0; k < nd; ++k) empty = empty || count[k] == 0;
    if (empty) continue;
    const size_t inner = static_cast<size_t>(count[nd - 1]);
    const bool contiguous = src_st[nd - 1] == 1 && dst_st[nd - 1] == 1;
    int64_t idx[8] = {0};
    for (;;) {
      int64_t so = box[0], dof = box[1];
      for (size_t k = 0; k + 1 < nd; ++k) {
        so += idx[k] * src_st[k];
        dof += idx[k] * dst_st[k];
      }
      if (contiguous) {
        memcpy(y + dof, x + so, inner * sizeof(float));
      } else {
        for (size_t j = 0; j < inner; ++j)
          y[dof + static_cast<int64_t>(j) * dst_st[nd - 1]] =
              x[so + static_cast<int64_t>(j) * src_st[nd - 1]];
      }
      size_t k = nd - 1;  // odometer over the outer dims
      while (k > 0 && ++idx[k - 1] == count[k - 1]) idx[--k] = 0;
      if (k == 0) break;
    }
  }
}

// The clamp bound i (0 lo, 1 hi) of a CONV/FC node's XNNPACK operator: with a fused residual
// the clamp belongs to the add that follows (setup_residual_add), so the operator has none.
float operator_clamp(const Node& n, size_t i) {
  if (n.residual >= 0) return i == 0 ? -INFINITY : INFINITY;
  return fmin_of(n, i);
}

// A CONV/FC node fused with the add that consumed its output (cpu.py): the add's other operand
// is the last input, an arena tensor of the output's shape.
Status parse_residual(Delegate& d, Node& n, bool has_bias, bool has_residual) {
  const size_t want = 2 + (has_bias ? 1 : 0) + (has_residual ? 1 : 0);
  CHECK_BLOB(n.in.size() == want, "conv/fc: %zu inputs, expected %zu", n.in.size(), want);
  if (!has_residual) return Status();
  n.residual = n.in.back();
  const TensorDesc &r = d.tensors[static_cast<size_t>(n.residual)],
                   &y = d.tensors[static_cast<size_t>(n.out[0])];
  CHECK_BLOB(r.kind == 0 && r.dims == y.dims,
             "conv/fc: residual must be an activation of the output's shape");
  // The own GEMM reads the residual and writes the output element by element in step, so they
  // may be the same buffer but must not partly overlap.
  const float *rb = r.data, *re = r.data + r.numel(), *yb = y.data, *ye = y.data + y.numel();
  CHECK_BLOB(rb == yb || re <= yb || ye <= rb, "conv/fc: residual partly overlaps the output");
  return Status();
}

// XNNPACK path of a fused node: y = clamp(y + residual) by an add operator run after xop.
Status setup_residual_add(Delegate& d, Node& n) {
  if (n.residual < 0) return Status();
  const TensorDesc &r = d.tensors[static_cast<size_t>(n.residual)],
                   &y = d.tensors[static_cast<size_t>(n.out[0])];
  const size_t shape[1] = {y.numel()};
  xnn_operator_t add = nullptr;
  CHECK_XNN(xnn_create_add_nd_f32(fmin_of(n, 0), fmin_of(n, 1), 0, &add), "residual add create");
  n.extra.push_back(add);
  CHECK_XNN(xnn_setup_add_nd_f32(add, 1, shape, 1, shape, y.data, r.data, y.data, d.pool),
            "residual add setup");
  return Status();
}

// XNNPACK path of a fused node: the residual add (above), then y = hardswish(y) in place when
// cpu.py folded a hardswish in.
Status setup_residual_add_and_hardswish(Delegate& d, Node& n) {
  Status st = setup_residual_add(d, n);
  if (!st.ok() || !n.hardswish) return st;
  const TensorDesc& y = d.tensors[static_cast<size_t>(n.out[0])];
  const size_t c = y.dims.empty() ? 1 : static_cast<size_t>(y.dims.back());
  if (c == 0) return Status();
  xnn_operator_t op = nullptr;
  CHECK_XNN(xnn_create_hardswish_nc_f32(c, c, c, 0, &op), "hardswish create");
  n.extra.push_back(op);
  CHECK_XNN(xnn_setup_hardswish_nc_f32(op, y.numel() / c, y.data, y.data, d.pool),
            "hardswish setup");
  return Status();
}

// A 3x3 stride-1 convolution by Winograd F(2x2, 3x3) (winograd.h): transformed weights
// packed at init, the bias copied.
Status setup_own_winograd(Delegate& d, Node& n, const float* w, const float* bias) {
  const ConvShape& s = n.conv;
  float* wt = own_floats(d, winograd_weight_floats(s) + 16);
  if (!wt || !winograd_pack_weights(s, w, wt))
    return EMBER_ERROR(OutOfMemory, "cpu backend: out of memory for packed weights");
  n.own_wt = wt;
  const size_t need = winograd_scratch_floats(s, threadpool::num_threads());
  if (d.conv_scratch.size() < need) d.conv_scratch.resize(need);
  n.own = true;
  n.winograd = true;
  return own_bias(d, n, bias, s.cout);
}

// The geometry of a CONV node (ints: stride h/w, padding top/left/bottom/right, dilation h/w,
// groups), checked so every output pixel's receptive field is addressable.
Status parse_conv_shape(const Node& n, const TensorDesc& x, const TensorDesc& w,
                        const TensorDesc& y, ConvShape* out) {
  for (size_t i = 0; i < 8; ++i)
    CHECK_BLOB(n.ints[i] >= 0 && n.ints[i] < (1 << 20), "conv: bad parameters");
  CHECK_BLOB(n.ints[6] > 0 && n.ints[7] > 0 && n.ints[0] > 0 && n.ints[1] > 0,
             "conv: bad stride or dilation");
  out->batch = static_cast<size_t>(x.dims[0]);
  out->h = static_cast<size_t>(x.dims[1]);
  out->w = static_cast<size_t>(x.dims[2]);
  out->cin = static_cast<size_t>(x.dims[3]);
  out->oh = static_cast<size_t>(y.dims[1]);
  out->ow = static_cast<size_t>(y.dims[2]);
  out->cout = static_cast<size_t>(y.dims[3]);
  out->kh = static_cast<size_t>(w.dims[1]);
  out->kw = static_cast<size_t>(w.dims[2]);
  out->sh = static_cast<size_t>(n.ints[0]);
  out->sw = static_cast<size_t>(n.ints[1]);
  out->pt = static_cast<size_t>(n.ints[2]);
  out->pl = static_cast<size_t>(n.ints[3]);
  out->dh = static_cast<size_t>(n.ints[6]);
  out->dw = static_cast<size_t>(n.ints[7]);
  // Every output pixel's receptive field must be addressable (padding may exceed it).
  CHECK_BLOB(out->oh == 0 || (out->oh - 1) * out->sh + (out->kh - 1) * out->dh <
                                 out->h + out->pt + static_cast<size_t>(n.ints[4]),
             "conv: output height inconsistent");
  CHECK_BLOB(out->ow == 0 || (out->ow - 1) * out->sw + (out->kw - 1) * out->dw <
                                 out->w + out->pl + static_cast<size_t>(n.ints[5]),
             "conv: output width inconsistent");
  return Status();
}

// Depthwise convolutions run on Ember's kernel unless EMBER_CPU_DEPTHWISE=0 (XNNPACK's then).
bool use_own_depthwise() {
  static const bool own = switched_on("EMBER_CPU_DEPTHWISE");
  return own;
}

// A depthwise convolution on the own kernel: the [C, KH, KW, 1] weights transposed tap-major
// ([KH * KW][C]) at init, the bias copied.
Status setup_own_depthwise(Delegate& d, Node& n, const float* w, const float* bias) {
  const ConvShape& s = n.conv;
  const size_t taps = s.kh * s.kw, C = s.cin;
  float* wt = own_floats(d, taps * C);
  if (!wt) return EMBER_ERROR(OutOfMemory, "cpu backend: out of memory for depthwise weights");
  for (size_t c = 0; c < C; ++c)
    for (size_t t = 0; t < taps; ++t) wt[t * C + c] = w[c * taps + t];
  n.own_wt = wt;
  n.own = true;
  n.depthwise = true;
  return own_bias(d, n, bias, C);
}

// Pointwise -> depthwise fusion at init, for expanded activations of at least kFuseMinBytes
// (cpu.py's FUSE_MIN_BYTES is the same bound), unless EMBER_CPU_FUSE=0.
constexpr double kFuseMinBytes = 2.0 * 1024 * 1024;
bool use_fusion() {
  static const bool on = switched_on("EMBER_CPU_FUSE");
  return on;
}

// How many nodes read each tensor.
std::vector<int> count_readers(const Delegate& d) {
  std::vector<int> readers(d.tensors.size(), 0);
  for (const Node& n : d.nodes)
    for (int32_t id : n.in) ++readers[static_cast<size_t>(id)];
  return readers;
}

// Each own pointwise convolution whose output only the own depthwise convolution after it reads
// is computed inside that node (depthwise.h); the pointwise node is skipped, and its output, no
// longer written, is never read.
void fuse_pointwise_depthwise(Delegate& d) {
  if (!use_fusion()) return;
  const std::vector<int> readers = count_readers(d);
  for (size_t i = 0; i + 1 < d.nodes.size(); ++i) {
    Node &pw = d.nodes[i], &dw = d.nodes[i + 1];
    if (pw.op != CONV || !pw.own || pw.winograd || pw.depthwise || pw.residual >= 0 ||
        !pw.conv.pointwise() || dw.op != CONV || !dw.depthwise || dw.in[0] != pw.out[0] ||
        readers[static_cast<size_t>(pw.out[0])] != 1)
      continue;
    const ConvShape &a = pw.conv, &b = dw.conv;
    if (a.batch != b.batch || a.oh != b.h || a.ow != b.w || a.cout != b.cin) continue;
    // The fused node reads the pointwise input while it writes the depthwise output; the planner
    // may have overlapped them (the first dies at the pointwise node, the second is born after).
    if (!disjoint(d.tensors[static_cast<size_t>(pw.in[0])],
                  d.tensors[static_cast<size_t>(dw.out[0])]))
      continue;
    // Only where the expanded activation is far larger than L2: row-by-row GEMMs re-read the
    // pointwise weights once per row, which smaller layers do not earn back (mobilenet_v2, one
    // thread: 112x112x96 1.18 -> 0.86 ms; 56x56x144 0.63 -> 0.68 ms; 7x7x960 0.23 -> 0.29 ms).
    if (static_cast<double>(a.batch * a.oh * a.ow * a.cout) * sizeof(float) < kFuseMinBytes)
      continue;
    const size_t need = fused_scratch_floats(b, threadpool::num_threads());
    if (d.conv_scratch.size() < need) d.conv_scratch.resize(need);
    dw.fused_pointwise = static_cast<int32_t>(i);
    pw.fused_into = static_cast<int32_t>(i + 1);
  }
}

Status create_node(Delegate& d, Node& n) {
  auto T = [&](int32_t id) -> TensorDesc& { return d.tensors[static_cast<size_t>(id)]; };
  auto I = [&](size_t i) -> int64_t { return n.ints[i]; };
  pthreadpool_t pool = d.pool;
  switch (n.op) {
    case CONV: {
      CHECK_BLOB(
          n.in.size() >= 2 && n.out.size() == 1 && n.ints.size() >= 10 && n.ints.size() <= 12,
          "conv: bad arity");
      TensorDesc &x = T(n.in[0]), &w = T(n.in[1]), &y = T(n.out[0]);
      CHECK_BLOB(x.dims.size() == 4 && w.dims.size() == 4 && y.dims.size() == 4, "conv: bad ranks");
      bool has_b = I(9) != 0;
      Status rs = parse_residual(d, n, has_b, n.ints.size() >= 11 && I(10) != 0);
      if (!rs.ok()) return rs;
      n.hardswish = n.ints.size() == 12 && I(11) != 0;
      const float* bias = has_b ? T(n.in[2]).data : nullptr;
      size_t groups = static_cast<size_t>(I(8));
      size_t cin = static_cast<size_t>(x.dims[3]), cout = static_cast<size_t>(y.dims[3]);
      CHECK_BLOB(groups > 0 && cin % groups == 0 && cout % groups == 0, "conv: bad groups");
      if (groups == cin && cout == cin && w.dims[0] == y.dims[3] && w.dims[3] == 1 &&
          n.residual < 0 && use_own_depthwise() &&
          static_cast<uint64_t>(w.dims[1]) * static_cast<uint64_t>(w.dims[2]) <=
              kMaxDepthwiseTaps) {
        CHECK_BLOB(x.dims[0] == y.dims[0], "conv: bad shapes");
        ConvShape s{};
        Status ps = parse_conv_shape(n, x, w, y, &s);
        if (!ps.ok()) return ps;
        n.conv = s;
        return setup_own_depthwise(d, n, w.data, bias);
      }
      if (groups == 1 && prefer_own_gemm()) {
        CHECK_BLOB(w.dims[0] == y.dims[3] && w.dims[3] == x.dims[3] && x.dims[0] == y.dims[0],
                   "conv: bad shapes");
        ConvShape s{};
        Status ps = parse_conv_shape(n, x, w, y, &s);
        if (!ps.ok()) return ps;
        n.conv = s;
        if (winograd_suits(s) && !n.hardswish) return setup_own_winograd(d, n, w.data, bias);
        size_t need = conv_scratch_floats(s, threadpool::num_threads());
        if (d.conv_scratch.size() < need) d.conv_scratch.resize(need);
        return setup_own_dense(d, n, w.data, bias, cout, s.kh * s.kw * cin);
      }
      CHECK_XNN(
          xnn_create_convolution2d_nhwc_f32(
              static_cast<uint32_t>(I(2)), static_cast<uint32_t>(I(5)), static_cast<uint32_t>(I(4)),
              static_cast<uint32_t>(I(3)), static_cast<uint32_t>(w.dims[1]),
              static_cast<uint32_t>(w.dims[2]), static_cast<uint32_t>(I(0)),
              static_cast<uint32_t>(I(1)), static_cast<uint32_t>(I(6)), static_cast<uint32_t>(I(7)),
              static_cast<uint32_t>(groups), cin / groups, cout / groups, cin, cout, w.data, bias,
              operator_clamp(n, 0), operator_clamp(n, 1), 0, &n.xop),
          "convolution create");
      CHECK_XNN(xnn_setup_convolution2d_nhwc_f32(
                    n.xop, static_cast<size_t>(x.dims[0]), static_cast<size_t>(x.dims[1]),
                    static_cast<size_t>(x.dims[2]), x.data, y.data, pool),
                "convolution setup");
      return setup_residual_add_and_hardswish(d, n);
    }
    case FC: {
      CHECK_BLOB(n.in.size() >= 2 && n.out.size() == 1 && n.ints.size() >= 1 && n.ints.size() <= 3,
                 "fc: bad arity");
      TensorDesc &x = T(n.in[0]), &w = T(n.in[1]);
      CHECK_BLOB(w.dims.size() == 2 && !x.dims.empty() && x.dims.back() == w.dims[1],
                 "fc: bad shapes");
      size_t K = static_cast<size_t>(w.dims[1]), N = static_cast<size_t>(w.dims[0]);
      // The product writes (x.numel() / K) rows of N: the output must hold exactly those.
      const TensorDesc& y = T(n.out[0]);
      CHECK_BLOB(K > 0, "fc: no input features (K = 0)");
      CHECK_BLOB(!y.dims.empty() && static_cast<size_t>(y.dims.back()) == N &&
                     y.numel() == x.numel() / K * N,
                 "fc: output of %zu elements for %zu rows of %zu", y.numel(), x.numel() / K, N);
      CHECK_BLOB(n.in.size() >= (I(0) ? 3u : 2u), "fc: missing bias");
      const float* bias = I(0) ? T(n.in[2]).data : nullptr;
      Status rs = parse_residual(d, n, I(0) != 0, n.ints.size() >= 2 && I(1) != 0);
      if (!rs.ok()) return rs;
      // The activation after the clamp: 0 none, 1 hardswish, 2 exact GELU (cpu.py, FC).
      const int64_t act = n.ints.size() == 3 ? I(2) : 0;
      CHECK_BLOB(act >= 0 && act <= 2, "fc: unknown activation %lld", static_cast<long long>(act));
      n.hardswish = act == 1;
      n.gelu = act == 2;
      // XNNPACK has no GELU operator: a GELU-fused layer always runs on Ember's GEMM.
      if (prefer_own_gemm() || n.gelu) return setup_own_dense(d, n, w.data, bias, N, K);
      CHECK_XNN(xnn_create_fully_connected_nc_f32(K, N, K, N, w.data, bias, operator_clamp(n, 0),
                                                  operator_clamp(n, 1), 0, &n.xop),
                "fully-connected create");
      CHECK_XNN(
          xnn_setup_fully_connected_nc_f32(n.xop, x.numel() / K, x.data, T(n.out[0]).data, pool),
          "fully-connected setup");
      return setup_residual_add_and_hardswish(d, n);
    }
    case BINARY: {
      CHECK_BLOB(n.in.size() == 2 && n.out.size() == 1 && n.ints.size() >= 2, "binary: bad arity");
      size_t nd = static_cast<size_t>(I(1));
      CHECK_BLOB(nd <= XNN_MAX_TENSOR_DIMS && n.ints.size() == 2 + 2 * nd, "binary: bad shapes");
      size_t sa[XNN_MAX_TENSOR_DIMS], sb[XNN_MAX_TENSOR_DIMS];
      for (size_t i = 0; i < nd; ++i) {
        sa[i] = static_cast<size_t>(I(2 + i));
        sb[i] = static_cast<size_t>(I(2 + nd + i));
      }
      float lo = fmin_of(n, 0), hi = fmin_of(n, 1);
      const float *a = T(n.in[0]).data, *b = T(n.in[1]).data;
      float* y = T(n.out[0]).data;
      switch (I(0)) {
        case 0:
          CHECK_XNN(xnn_create_add_nd_f32(lo, hi, 0, &n.xop), "add create");
          CHECK_XNN(xnn_setup_add_nd_f32(n.xop, nd, sa, nd, sb, a, b, y, pool), "add setup");
          break;
        case 1:
          CHECK_XNN(xnn_create_subtract_nd_f32(lo, hi, 0, &n.xop), "subtract create");
          CHECK_XNN(xnn_setup_subtract_nd_f32(n.xop, nd, sa, nd, sb, a, b, y, pool),
                    "subtract setup");
          break;
        case 2:
          CHECK_XNN(xnn_create_multiply_nd_f32(lo, hi, 0, &n.xop), "multiply create");
          CHECK_XNN(xnn_setup_multiply_nd_f32(n.xop, nd, sa, nd, sb, a, b, y, pool),
                    "multiply setup");
          break;
        case 3:
          CHECK_XNN(xnn_create_divide_nd_f32(lo, hi, 0, &n.xop), "divide create");
          CHECK_XNN(xnn_setup_divide_nd_f32(n.xop, nd, sa, nd, sb, a, b, y, pool), "divide setup");
          break;
        default:
          return EMBER_ERROR(InvalidProgram, "binary: unknown kind %lld", (long long)I(0));
      }
      return Status();
    }
    case CLAMP:
    case HARDSWISH:
    case SIGMOID: {
      CHECK_BLOB(n.in.size() == 1 && n.out.size() == 1, "unary: bad arity");
      TensorDesc &x = T(n.in[0]), &y = T(n.out[0]);
      size_t c = x.dims.empty() ? 1 : static_cast<size_t>(x.dims.back());
      if (c == 0) return Status();
      size_t batch = x.numel() / c;
      if (n.op == CLAMP) {
        CHECK_XNN(xnn_create_clamp_nc_f32(c, c, c, fmin_of(n, 0), fmin_of(n, 1), 0, &n.xop),
                  "clamp create");
        CHECK_XNN(xnn_setup_clamp_nc_f32(n.xop, batch, x.data, y.data, pool), "clamp setup");
      } else if (n.op == HARDSWISH) {
        CHECK_XNN(xnn_create_hardswish_nc_f32(c, c, c, 0, &n.xop), "hardswish create");
        CHECK_XNN(xnn_setup_hardswish_nc_f32(n.xop, batch, x.data, y.data, pool),
                  "hardswish setup");
      } else {
        CHECK_XNN(xnn_create_sigmoid_nc_f32(c, c, c, 0, &n.xop), "sigmoid create");
        CHECK_XNN(xnn_setup_sigmoid_nc_f32(n.xop, batch, x.data, y.data, pool), "sigmoid setup");
      }
      return Status();
    }
    case MAXPOOL:
    case AVGPOOL: {
      CHECK_BLOB(n.in.size() == 1 && n.out.size() == 1 && n.ints.size() >= 8, "pool: bad arity");
      TensorDesc &x = T(n.in[0]), &y = T(n.out[0]);
      CHECK_BLOB(x.dims.size() == 4, "pool: bad rank");
      size_t c = static_cast<size_t>(x.dims[3]);
      auto u = [&](size_t i) { return static_cast<uint32_t>(I(i)); };
      float inf = std::numeric_limits<float>::infinity();
      if (n.op == MAXPOOL) {
        CHECK_BLOB(n.ints.size() == 10, "maxpool: bad arity");
        CHECK_XNN(xnn_create_max_pooling2d_nhwc_f32(u(4), u(7), u(6), u(5), u(0), u(1), u(2), u(3),
                                                    u(8), u(9), c, c, c, -inf, inf, 0, &n.xop),
                  "max-pooling create");
        CHECK_XNN(xnn_setup_max_pooling2d_nhwc_f32(
                      n.xop, static_cast<size_t>(x.dims[0]), static_cast<size_t>(x.dims[1]),
                      static_cast<size_t>(x.dims[2]), x.data, y.data, pool),
                  "max-pooling setup");
      } else {
        CHECK_XNN(xnn_create_average_pooling2d_nhwc_f32(u(4), u(7), u(6), u(5), u(0), u(1), u(2),
                                                        u(3), c, c, c, -inf, inf, 0, &n.xop),
                  "average-pooling create");
        CHECK_XNN(xnn_setup_average_pooling2d_nhwc_f32(
                      n.xop, static_cast<size_t>(x.dims[0]), static_cast<size_t>(x.dims[1]),
                      static_cast<size_t>(x.dims[2]), x.data, y.data, pool),
                  "average-pooling setup");
      }
      return Status();
    }
    case GAP: {
      CHECK_BLOB(n.in.size() == 1 && n.out.size() == 1, "gap: bad arity");
      TensorDesc &x = T(n.in[0]), &y = T(n.out[0]);
      CHECK_BLOB(x.dims.size() == 4, "gap: bad rank");
      size_t c = static_cast<size_t>(x.dims[3]);
      float inf = std::numeric_limits<float>::infinity();
      CHECK_XNN(xnn_create_global_average_pooling_nwc_f32(c, c, c, -inf, inf, 0, &n.xop),
                "global-avg create");
      CHECK_XNN(xnn_setup_global_average_pooling_nwc_f32(n.xop, static_cast<size_t>(x.dims[0]),
                                                         static_cast<size_t>(x.dims[1] * x.dims[2]),
                                                         x.data, y.data, pool),
                "global-avg setup");
      return Status();
    }
    case SOFTMAX:
      // Ember's kernel (kernels.h), in place on the output after a copy: the vectorized exp
      // beat XNNPACK 2022's on swin_t's [.., 49] rows (3.1 -> 2.4 ms over 12 nodes, 1 thread).
      CHECK_BLOB(n.in.size() == 1 && n.out.size() == 1 && T(n.in[0]).numel() == T(n.out[0]).numel(),
                 "softmax: bad arity");
      return Status();
    case COPY_IN:
    case COPY_OUT:
      CHECK_BLOB(n.ints.size() == 2 && n.ints[0] >= 0 && n.ints[0] < d.nargs,
                 "copy: bad argument index");
      CHECK_BLOB((n.op == COPY_IN ? n.out.size() : n.in.size()) == 1, "copy: bad arity");
      return Status();
    case TO_NHWC:
    case TO_NCHW:
      CHECK_BLOB(n.in.size() == 1 && n.out.size() == 1 && T(n.in[0]).dims.size() == 4,
                 "layout: bad arity");
      return Status();
    case AFFINE:
      CHECK_BLOB(n.in.size() == 1 && n.out.size() == 1 && n.floats.size() == 4,
                 "affine: bad arity");
      return Status();
    case GELU:
      CHECK_BLOB(n.in.size() == 1 && n.out.size() == 1 && n.ints.size() == 1, "gelu: bad arity");
      return Status();
    case LAYERNORM:
      CHECK_BLOB(n.in.size() >= 1 && n.out.size() == 1 && n.ints.size() == 2 &&
                     n.floats.size() == 1 &&
                     n.in.size() == 1 + static_cast<size_t>(n.ints[0] != 0) +
                                        static_cast<size_t>(n.ints[1] != 0),
                 "layernorm: bad arity");
      return Status();
    case BMM:
    case MM: {
      CHECK_BLOB(n.in.size() == 2 && n.out.size() == 1, "matmul: bad arity");
      TensorDesc &a = T(n.in[0]), &b = T(n.in[1]);
      size_t r = n.op == BMM ? 3 : 2;
      CHECK_BLOB(a.dims.size() == r && b.dims.size() == r && a.dims[r - 1] == b.dims[r - 2],
                 "matmul: bad shapes");
      CHECK_BLOB(r == 2 || a.dims[0] == b.dims[0], "matmul: batch sizes differ");
      return Status();
    }
    case PERMUTE:
      CHECK_BLOB(n.in.size() == 1 && n.out.size() == 1 && n.ints.size() == T(n.in[0]).dims.size() &&
                     n.ints.size() <= 8,
                 "permute: bad arity");
      return Status();
    case CAT: {
      CHECK_BLOB(n.out.size() == 1 && n.ints.size() == 2 + n.in.size(), "cat: bad arity");
      // outer rows of out_row floats, input i contributing rows of ints[2 + i] floats.
      const int64_t outer = n.ints[0], out_row = n.ints[1];
      CHECK_BLOB(outer >= 0 && out_row >= 0 && fits(outer, out_row, T(n.out[0]).numel()),
                 "cat: out of range");
      int64_t sum = 0;
      for (size_t i = 0; i < n.in.size(); ++i) {
        const int64_t row = n.ints[2 + i];
        CHECK_BLOB(row >= 0 && row <= out_row - sum && fits(outer, row, T(n.in[i]).numel()),
                   "cat: out of range");
        sum += row;
      }
      return Status();
    }
    case SLICE: {
      CHECK_BLOB(n.in.size() == 1 && n.out.size() == 1 && n.ints.size() == 4, "slice: bad arity");
      // outer rows: out row o = in[o * in_row + offset, + out_row).
      const int64_t outer = n.ints[0], in_row = n.ints[1], off = n.ints[2], row = n.ints[3];
      CHECK_BLOB(outer >= 0 && in_row >= 0 && off >= 0 && row >= 0 && off <= in_row &&
                     row <= in_row - off && fits(outer, in_row, T(n.in[0]).numel()) &&
                     fits(outer, row, T(n.out[0]).numel()),
                 "slice: out of range");
      return Status();
    }
    case BOX_COPY:
      return check_box_copy(d, n);
    case ATTENTION:
      return parse_attention(d, n);
    default:
      return EMBER_ERROR(InvalidProgram, "cpu backend: unknown node op %u", n.op);
  }
}

// dst[c * R + r] = src[r * cols + c] for columns [c0, c1): R source rows interleaved, R known
// at compile time so each column is R plain loads and stores.
template <size_t R>
void interleave_rows(const float* src, float* dst, size_t cols, size_t c0, size_t c1) {
  for (size_t c = c0; c < c1; ++c)
    for (size_t r = 0; r < R; ++r) dst[c * R + r] = src[r * cols + c];
}

// NCHW [N, C, HW] <-> NHWC [N, HW, C] (a batch of 2-D transposes), split over the pool.
void transpose_batched(const float* src, float* dst, size_t batch, size_t rows, size_t cols) {
  if (rows <= 4) {
    // Few rows, many columns (an RGB image into NHWC): the blocked transpose below ran a
    // mobilenet's 224x224x3 input on one thread (one work item per row) at 0.12-0.22 ms, 2-4%
    // of the model. Split columns instead, interleaving R rows at a time.
    using Fn = void (*)(const float*, float*, size_t, size_t, size_t);
    static constexpr Fn kFns[] = {nullptr, &interleave_rows<1>, &interleave_rows<2>,
                                  &interleave_rows<3>, &interleave_rows<4>};
    const Fn fn = kFns[rows];
    for (size_t n = 0; n < batch && rows > 0; ++n) {
      const float* s = src + n * rows * cols;
      float* d = dst + n * rows * cols;
      threadpool::parallel_for(cols, 4096, [&](size_t c0, size_t c1) { fn(s, d, cols, c0, c1); });
    }
    return;
  }
  const Kernels& k = kernels();
  size_t total = batch * rows;
  threadpool::parallel_for(total, 64, [&](size_t b, size_t e) {
    while (b < e) {
      size_t n = b / rows, r0 = b % rows, r1 = std::min(rows, r0 + (e - b));
      k.transpose(src + n * rows * cols, dst + n * rows * cols, rows, cols, r0, r1);
      b += r1 - r0;
    }
  });
}

void permute(const float* src, float* dst, const std::vector<int64_t>& in_dims,
             const std::vector<int64_t>& perm) {
  size_t nd = in_dims.size();
  int64_t in_strides[8], out_dims[8], src_stride[8];
  int64_t s = 1;
  for (size_t i = nd; i-- > 0;) {
    in_strides[i] = s;
    s *= in_dims[i];
  }
  for (size_t i = 0; i < nd; ++i) {
    out_dims[i] = in_dims[static_cast<size_t>(perm[i])];
    src_stride[i] = in_strides[static_cast<size_t>(perm[i])];
  }
  // Collapse: treat the last output dim specially (contiguous source if its stride is 1).
  size_t total = static_cast<size_t>(s);
  if (nd == 0 || total == 0) return;
  size_t inner = static_cast<size_t>(out_dims[nd - 1]);
  size_t outer = total / inner;
  int64_t inner_stride = src_stride[nd - 1];
  threadpool::parallel_for(outer, 16, [&](size_t b, size_t e) {
    for (size_t o = b; o < e; ++o) {
      size_t rem = o;
      int64_t off = 0;
      for (size_t i = nd - 1; i-- > 0;) {
        size_t idx = rem % static_cast<size_t>(out_dims[i]);
        rem /= static_cast<size_t>(out_dims[i]);
        off += static_cast<int64_t>(idx) * src_stride[i];
      }
      float* out = dst + o * inner;
      const float* in = src + off;
      if (inner_stride == 1) {
        memcpy(out, in, inner * sizeof(float));
      } else {
        for (size_t j = 0; j < inner; ++j) out[j] = in[static_cast<int64_t>(j) * inner_stride];
      }
    }
  });
}

// Batched matmul through the portable library's float32 GEMM (blocked, with AVX2/AVX-512
// micro-kernels chosen at run time), split over the pool by batch and by row blocks.
void matmul(const float* A, const float* B, float* C, size_t batch, size_t M, size_t K, size_t N) {
  const size_t threads = threadpool::num_threads();
  // Enough row blocks for a few per thread when the batch alone cannot balance the pool, each
  // a multiple of 8 rows (the largest micro-tile height) and at least 16.
  size_t blocks_per_batch = 1;
  if (batch < 2 * threads) blocks_per_batch = (4 * threads + batch - 1) / batch;
  size_t rows = (M + blocks_per_batch - 1) / blocks_per_batch;
  rows = std::max<size_t>(16, (rows + 7) / 8 * 8);
  const size_t mblocks = (M + rows - 1) / rows;
  const double flops = 2.0 * static_cast<double>(batch * M) * static_cast<double>(K * N);
  const size_t grain = flops < kMinParallelWork ? batch * mblocks : 1;
  threadpool::parallel_for(batch * mblocks, grain, [&](size_t b, size_t e) {
    for (size_t t = b; t < e; ++t) {
      const size_t i = t / mblocks, m0 = (t % mblocks) * rows, m1 = std::min(M, m0 + rows);
      kernels::gemm<float>(static_cast<int64_t>(m1 - m0), static_cast<int64_t>(N),
                           static_cast<int64_t>(K), A + i * M * K + m0 * K, static_cast<int64_t>(K),
                           1, B + i * K * N, static_cast<int64_t>(N), 1, C + i * M * N + m0 * N,
                           static_cast<int64_t>(N), 1, 1.0f, false);
    }
  });
}

Status run_node(Delegate& d, Node& n, EValue** args) {
  auto T = [&](int32_t id) -> TensorDesc& { return d.tensors[static_cast<size_t>(id)]; };
  if (n.fused_into >= 0) return Status();
  const Kernels& k = kernels();
  if (n.xop) {
    xnn_status s = xnn_run_operator(n.xop, n.parallel ? d.pool : nullptr);
    for (size_t i = 0; s == xnn_status_success && i < n.extra.size(); ++i)
      s = xnn_run_operator(n.extra[i], n.parallel ? d.pool : nullptr);
    if (s != xnn_status_success)
      return EMBER_ERROR(Internal, "XNNPACK operator failed (status %d)", (int)s);
    return Status();
  }
  if (n.own) {
    const TensorDesc &x = T(n.in[0]), &y = T(n.out[0]);
    const float* residual = n.residual >= 0 ? T(n.residual).data : nullptr;
    if (n.op == CONV && n.depthwise && n.fused_pointwise >= 0) {
      const Node& pw = d.nodes[static_cast<size_t>(n.fused_pointwise)];
      const PointwiseStage stage{pw.conv.cin,    pw.own_wt,      pw.own_bias,
                                 fmin_of(pw, 0), fmin_of(pw, 1), pw.hardswish};
      pointwise_depthwise_nhwc(stage, n.conv, T(pw.in[0]).data, n.own_wt, n.own_bias, y.data,
                               fmin_of(n, 0), fmin_of(n, 1), n.hardswish, d.conv_scratch.data(),
                               d.conv_scratch.size());
    } else if (n.op == CONV && n.depthwise) {
      depthwise_nhwc(n.conv, x.data, n.own_wt, n.own_bias, y.data, fmin_of(n, 0), fmin_of(n, 1),
                     n.hardswish);
    } else if (n.op == CONV && n.winograd) {
      conv_winograd(n.conv, x.data, n.own_wt, n.own_bias, y.data, d.conv_scratch.data(),
                    d.conv_scratch.size(), residual, fmin_of(n, 0), fmin_of(n, 1));
    } else if (n.op == CONV) {
      conv_nhwc(n.conv, x.data, n.own_wt, n.own_bias, y.data, d.conv_scratch.data(),
                d.conv_scratch.size(), residual, fmin_of(n, 0), fmin_of(n, 1), n.hardswish);
    } else {
      const TensorDesc& w = T(n.in[1]);
      size_t K = static_cast<size_t>(w.dims[1]), N = static_cast<size_t>(w.dims[0]);
      dense(x.data, K, n.own_wt, n.own_bias, y.data, x.numel() / K, K, N, residual, fmin_of(n, 0),
            fmin_of(n, 1), n.hardswish, n.gelu);
    }
    return Status();
  }
  switch (n.op) {
    case COPY_IN:
    case COPY_OUT: {
      EValue* v = args[n.ints[0]];
      if (!v->is_tensor())
        return EMBER_ERROR(InvalidArgument, "cpu backend: argument %lld is not a tensor",
                           (long long)n.ints[0]);
      TensorDesc& t = n.op == COPY_IN ? T(n.out[0]) : T(n.in[0]);
      Tensor& ext = v->tensor();
      if (ext.nbytes() != t.numel() * sizeof(float) || ext.dtype() != ScalarType::Float32)
        return EMBER_ERROR(InvalidArgument,
                           "cpu backend: argument %lld has %zu bytes, expected %zu",
                           (long long)n.ints[0], ext.nbytes(), t.numel() * sizeof(float));
      float* e = static_cast<float*>(ext.data());
      if (n.ints[1] == 0) {
        if (n.op == COPY_IN)
          memcpy(t.data, e, ext.nbytes());
        else
          memcpy(e, t.data, ext.nbytes());
      } else {
        // internal tensor is NHWC [N, H, W, C]
        size_t N = static_cast<size_t>(t.dims[0]), HW = static_cast<size_t>(t.dims[1] * t.dims[2]),
               C = static_cast<size_t>(t.dims[3]);
        if (n.op == COPY_IN)
          transpose_batched(e, t.data, N, C, HW);
        else
          transpose_batched(t.data, e, N, HW, C);
      }
      return Status();
    }
    case TO_NHWC: {
      TensorDesc &x = T(n.in[0]), &y = T(n.out[0]);
      transpose_batched(x.data, y.data, static_cast<size_t>(x.dims[0]),
                        static_cast<size_t>(x.dims[1]), static_cast<size_t>(x.dims[2] * x.dims[3]));
      return Status();
    }
    case TO_NCHW: {
      TensorDesc &x = T(n.in[0]), &y = T(n.out[0]);
      transpose_batched(x.data, y.data, static_cast<size_t>(x.dims[0]),
                        static_cast<size_t>(x.dims[1] * x.dims[2]), static_cast<size_t>(x.dims[3]));
      return Status();
    }
    case AFFINE: {
      TensorDesc &x = T(n.in[0]), &y = T(n.out[0]);
      float a = static_cast<float>(n.floats[0]), b = static_cast<float>(n.floats[1]);
      float lo = fmin_of(n, 2), hi = fmin_of(n, 3);
      threadpool::parallel_for(x.numel(), 16384, [&](size_t s, size_t e) {
        k.affine_clamp(x.data + s, y.data + s, e - s, a, b, lo, hi);
      });
      return Status();
    }
    case GELU: {
      TensorDesc &x = T(n.in[0]), &y = T(n.out[0]);
      bool th = n.ints[0] != 0;
      threadpool::parallel_for(
          x.numel(), 8192, [&](size_t s, size_t e) { k.gelu(x.data + s, y.data + s, e - s, th); });
      return Status();
    }
    case LAYERNORM: {
      TensorDesc &x = T(n.in[0]), &y = T(n.out[0]);
      size_t idx = 1;
      const float* w = n.ints[0] ? T(n.in[idx++]).data : nullptr;
      const float* b = n.ints[1] ? T(n.in[idx++]).data : nullptr;
      size_t dd = static_cast<size_t>(x.dims.back());
      float eps = static_cast<float>(n.floats[0]);
      threadpool::parallel_for(x.numel() / dd, 8, [&](size_t s, size_t e) {
        k.layernorm(x.data, y.data, dd, w, b, eps, s, e);
      });
      return Status();
    }
    case BMM:
    case MM: {
      TensorDesc &a = T(n.in[0]), &b = T(n.in[1]), &y = T(n.out[0]);
      size_t r = a.dims.size();
      size_t batch = r == 3 ? static_cast<size_t>(a.dims[0]) : 1;
      matmul(a.data, b.data, y.data, batch, static_cast<size_t>(a.dims[r - 2]),
             static_cast<size_t>(a.dims[r - 1]), static_cast<size_t>(b.dims[r - 1]));
      return Status();
    }
    case PERMUTE:
      permute(T(n.in[0]).data, T(n.out[0]).data, T(n.in[0]).dims, n.ints);
      return Status();
    case CAT: {
      size_t outer = static_cast<size_t>(n.ints[0]), out_row = static_cast<size_t>(n.ints[1]);
      float* y = T(n.out[0]).data;
      size_t off = 0;
      for (size_t i = 0; i < n.in.size(); ++i) {
        size_t row = static_cast<size_t>(n.ints[2 + i]);
        const float* x = T(n.in[i]).data;
        for (size_t o = 0; o < outer; ++o)
          memcpy(y + o * out_row + off, x + o * row, row * sizeof(float));
        off += row;
      }
      return Status();
    }
    case BOX_COPY:
      run_box_copy(n, T(n.in[0]).data, T(n.out[0]).data, T(n.out[0]).numel());
      return Status();
    case ATTENTION:
      attention(n.attention, T(n.in[0]).data, T(n.in[1]).data, T(n.in[2]).data, T(n.out[0]).data,
                d.conv_scratch.data(), d.conv_scratch.size());
      return Status();
    case SLICE: {
      size_t outer = static_cast<size_t>(n.ints[0]), in_row = static_cast<size_t>(n.ints[1]),
             off = static_cast<size_t>(n.ints[2]), row = static_cast<size_t>(n.ints[3]);
      const float* x = T(n.in[0]).data;
      float* y = T(n.out[0]).data;
      for (size_t o = 0; o < outer; ++o)
        memcpy(y + o * row, x + o * in_row + off, row * sizeof(float));
      return Status();
    }
    case SOFTMAX: {
      const TensorDesc &x = T(n.in[0]), &y = T(n.out[0]);
      const size_t d = x.dims.empty() ? 1 : static_cast<size_t>(x.dims.back());
      if (d == 0) return Status();
      const size_t rows = x.numel() / d;
      threadpool::parallel_for(rows, std::max<size_t>(1, 4096 / d), [&](size_t r0, size_t r1) {
        if (y.data != x.data)
          memcpy(y.data + r0 * d, x.data + r0 * d, (r1 - r0) * d * sizeof(float));
        k.softmax(y.data, d, r0, r1, 1.0f);
      });
      return Status();
    }
    case CLAMP:
    case HARDSWISH:
    case SIGMOID:
      return Status();  // empty tensors: no operator was created
    default:
      return EMBER_ERROR(Internal, "cpu backend: node op %u has no executor", n.op);
  }
}

Result<void*> init(const uint8_t* blob, size_t size, const BackendInitContext& context) {
  if (!xnn_ready()) return EMBER_ERROR(Internal, "XNNPACK failed to initialize");
  Reader r{blob, size};
  CHECK_BLOB(size >= 44 && memcmp(blob, "EMBC", 4) == 0, "cpu backend: bad blob magic");
  r.pos = 4;
  uint32_t version = r.get<uint32_t>();
  CHECK_BLOB(version == 1, "cpu backend: blob version %u unsupported", version);
  uint32_t ntensors = r.get<uint32_t>(), nnodes = r.get<uint32_t>(), nargs = r.get<uint32_t>();
  uint64_t arena_bytes = r.get<uint64_t>(), const_offset = r.get<uint64_t>(),
           const_bytes = r.get<uint64_t>();
  CHECK_BLOB(const_offset <= size && const_bytes <= size - const_offset,
             "cpu backend: constants out of range");
  CHECK_BLOB(ntensors < (1u << 24) && nnodes < (1u << 24), "cpu backend: implausible sizes");
  std::unique_ptr<Delegate> d(new (std::nothrow) Delegate());
  if (!d) return EMBER_ERROR(OutOfMemory, "cpu backend: out of memory");
  d->nargs = nargs;
  d->pool = threadpool::get();
  d->arena_bytes = static_cast<size_t>(arena_bytes);
  // Internal activations live in the method's planned scratch when it is big enough (the
  // exporter sizes it for the largest delegate; delegates run one at a time), else in memory
  // of our own.
  const uintptr_t scratch = reinterpret_cast<uintptr_t>(context.scratch);
  const uintptr_t scratch_aligned = (scratch + 63) & ~uintptr_t(63);
  if (arena_bytes && context.scratch != nullptr &&
      arena_bytes <= context.scratch_size -
                         std::min<size_t>(context.scratch_size, scratch_aligned - scratch)) {
    d->arena = reinterpret_cast<float*>(scratch_aligned);
  } else if (arena_bytes) {
    d->arena = static_cast<float*>(aligned_alloc(64, (arena_bytes + 63) / 64 * 64));
    if (!d->arena)
      return EMBER_ERROR(OutOfMemory, "cpu backend: cannot allocate %llu arena bytes",
                         (unsigned long long)arena_bytes);
    d->owns_arena = true;
  }
  d->tensors.resize(ntensors);
  for (TensorDesc& t : d->tensors) {
    t.kind = r.get<uint32_t>();
    uint32_t nd = r.get<uint32_t>();
    CHECK_BLOB(r.ok && nd <= 8, "cpu backend: bad tensor record");
    t.dims.resize(nd);
    for (auto& v : t.dims) {
      v = r.get<int64_t>();
      CHECK_BLOB(v >= 0 && v < (1ll << 40), "cpu backend: bad dimension");
    }
    t.offset = r.get<uint64_t>();
    CHECK_BLOB(r.ok, "cpu backend: truncated tensor table");
    uint64_t nbytes = t.numel() * sizeof(float);
    if (t.kind == 0) {
      CHECK_BLOB(t.offset <= arena_bytes && nbytes <= arena_bytes - t.offset,
                 "cpu backend: tensor outside arena");
      t.data = reinterpret_cast<float*>(reinterpret_cast<uint8_t*>(d->arena) + t.offset);
    } else {
      CHECK_BLOB(t.kind == 1 && t.offset <= const_bytes && nbytes <= const_bytes - t.offset,
                 "cpu backend: constant outside blob");
      t.data = const_cast<float*>(reinterpret_cast<const float*>(blob + const_offset + t.offset));
    }
  }
  d->nodes.resize(nnodes);
  for (Node& n : d->nodes) {
    n.op = r.get<uint32_t>();
    uint32_t nin = r.get<uint32_t>(), nout = r.get<uint32_t>(), ni = r.get<uint32_t>(),
             nf = r.get<uint32_t>();
    CHECK_BLOB(r.ok && nin < 4096 && nout < 4096 && ni < 4096 && nf < 4096,
               "cpu backend: bad node record");
    n.in.resize(nin);
    n.out.resize(nout);
    for (auto& v : n.in) v = r.get<int32_t>();
    for (auto& v : n.out) v = r.get<int32_t>();
    n.ints.resize(ni);
    for (auto& v : n.ints) v = r.get<int64_t>();
    n.floats.resize(nf);
    for (auto& v : n.floats) v = r.get<double>();
    CHECK_BLOB(r.ok, "cpu backend: truncated node table");
    for (int32_t id : n.in)
      CHECK_BLOB(id >= 0 && static_cast<uint32_t>(id) < ntensors, "cpu backend: bad tensor id");
    for (int32_t id : n.out)
      CHECK_BLOB(id >= 0 && static_cast<uint32_t>(id) < ntensors &&
                     d->tensors[static_cast<size_t>(id)].kind == 0,
                 "cpu backend: bad output tensor id");
  }
  // Constants read at run time (not packed by an XNNPACK operator) get their own copy.
  std::vector<bool> keep(ntensors, false);
  for (Node& n : d->nodes) {
    bool packs = n.op == CONV || n.op == FC;
    for (size_t i = 0; i < n.in.size(); ++i) {
      size_t id = static_cast<size_t>(n.in[i]);
      if (d->tensors[id].kind == 1 && !packs) keep[id] = true;
    }
  }
  for (size_t i = 0; i < ntensors; ++i) {
    if (!keep[i]) continue;
    TensorDesc& t = d->tensors[i];
    float* copy = own_floats(*d, t.numel() + 16);
    if (!copy) return EMBER_ERROR(OutOfMemory, "cpu backend: out of memory for constants");
    memcpy(copy, t.data, t.numel() * sizeof(float));
    t.data = copy;
  }
  for (Node& n : d->nodes) {
    Status st = create_node(*d, n);
    if (!st.ok()) return st;
    if (!n.out.empty()) {
      double work = 4.0 * static_cast<double>(d->tensors[static_cast<size_t>(n.out[0])].numel());
      if ((n.op == CONV || n.op == FC) && n.in.size() > 1) {
        const TensorDesc& w = d->tensors[static_cast<size_t>(n.in[1])];
        if (!w.dims.empty() && w.dims[0] > 0)
          work = 2.0 * static_cast<double>(d->tensors[static_cast<size_t>(n.out[0])].numel()) *
                 static_cast<double>(w.numel() / static_cast<size_t>(w.dims[0]));
      }
      n.parallel = work >= kMinParallelWork;
    }
    if (n.op == CONV || n.op == FC) {
      for (size_t i = 1; i < n.in.size(); ++i) {
        TensorDesc& t = d->tensors[static_cast<size_t>(n.in[i])];
        if (t.kind == 1 && !keep[static_cast<size_t>(n.in[i])])
          release_pages(t.data, t.numel() * sizeof(float));
      }
    }
  }
  fuse_pointwise_depthwise(*d);
  return static_cast<void*>(d.release());
}

Status execute(void* handle, EValue** args, size_t num_args) {
  Delegate& d = *static_cast<Delegate*>(handle);
  if (num_args != d.nargs)
    return EMBER_ERROR(InvalidArgument, "cpu backend: %zu arguments, expected %u", num_args,
                       d.nargs);
  // The shared pool may have been recreated (set_num_threads) since init.
  d.pool = threadpool::get();
  const bool profile = profiling_enabled();
  for (Node& n : d.nodes) {
    const uint64_t start = profile ? platform::now_ns() : 0;
    Status st = run_node(d, n, args);
    if (!st.ok()) return st;
    if (profile) {
      n.profile_ns += platform::now_ns() - start;
      n.profile_runs += 1;
    }
  }
  return Status();
}

// EMBER_CPU_PROFILE=1: per-op-kind totals of this delegate on stderr when it is destroyed.
void print_profile(const Delegate& d) {
  uint64_t by_op[32] = {0}, count[32] = {0}, total = 0, runs = 0;
  for (const Node& n : d.nodes) {
    by_op[n.op & 31] += n.profile_ns;
    count[n.op & 31] += 1;
    total += n.profile_ns;
    if (n.profile_runs > runs) runs = n.profile_runs;
  }
  if (runs == 0) return;
  fprintf(stderr,
          "cpu backend profile: %zu nodes, %.3f ms per run over %llu runs; arena %zu bytes (%s)\n",
          d.nodes.size(), total / 1e6 / runs, (unsigned long long)runs, d.arena_bytes,
          d.arena_bytes == 0 ? "none"
          : d.owns_arena     ? "own allocation"
                             : "method scratch");
  for (uint32_t op = 0; op < 32; ++op)
    if (count[op])
      fprintf(stderr, "  %10.3f ms %5.1f%% %4llu x %s\n", by_op[op] / 1e6 / runs,
              100.0 * by_op[op] / total, (unsigned long long)count[op], op_name(op));
  if (profiling_level() < 2) return;
  for (size_t i = 0; i < d.nodes.size(); ++i) {
    const Node& n = d.nodes[i];
    const double ms = n.profile_ns / 1e6 / runs;
    if (n.fused_into >= 0) {
      fprintf(stderr, "  #%-4zu %9s    %s (computed by node #%d)\n", i, "", op_name(n.op),
              n.fused_into);
    } else if (n.op == CONV && n.own) {
      const ConvShape& c = n.conv;
      double gflop =
          2.0 * c.batch * c.oh * c.ow * c.cout * c.kh * c.kw * (n.depthwise ? 1 : c.cin) / 1e9;
      if (n.fused_pointwise >= 0)
        gflop += 2.0 * c.batch * c.h * c.w * c.cin *
                 d.nodes[static_cast<size_t>(n.fused_pointwise)].conv.cin / 1e9;
      fprintf(stderr,
              "  #%-4zu %9.3f ms conv %zux%zux%zu -> %zux%zux%zu k%zux%zu s%zu%s  %.1f GFLOP/s\n",
              i, ms, c.h, c.w, c.cin, c.oh, c.ow, c.cout, c.kh, c.kw, c.sh,
              n.winograd ? " winograd"
              : n.depthwise
                  ? (n.fused_pointwise >= 0 ? " depthwise (+ pointwise before)" : " depthwise")
                  : "",
              ms > 0 ? gflop / (ms / 1e3) : 0.0);
    } else if (n.op == FC && n.in.size() > 1) {
      const TensorDesc& w = d.tensors[size_t(n.in[1])];
      const size_t N = size_t(w.dims[0]), K = size_t(w.dims[1]);
      const size_t M = d.tensors[size_t(n.in[0])].numel() / std::max<size_t>(K, 1);
      const double gflop = 2.0 * M * K * N / 1e9;
      fprintf(stderr, "  #%-4zu %9.3f ms fully_connected%s %zux%zu -> %zu  %.1f GFLOP/s\n", i, ms,
              n.own ? " (own)" : "", M, K, N, ms > 0 ? gflop / (ms / 1e3) : 0.0);
    } else {
      const std::vector<int64_t>& dims =
          n.out.empty() ? std::vector<int64_t>() : d.tensors[size_t(n.out[0])].dims;
      fprintf(stderr, "  #%-4zu %9.3f ms %s%s ->", i, ms, op_name(n.op), n.own ? " (own)" : "");
      for (int64_t v : dims) fprintf(stderr, " %lld", (long long)v);
      fprintf(stderr, "\n");
    }
  }
}

void destroy(void* handle) {
  Delegate* d = static_cast<Delegate*>(handle);
  if (profiling_enabled()) print_profile(*d);
  delete d;
}

}  // namespace

const Backend kCpuBackend = {"cpu", is_available, init, execute, destroy};
EMBER_REGISTER_BACKEND(kCpuBackend);

}  // namespace cpu
}  // namespace ember
