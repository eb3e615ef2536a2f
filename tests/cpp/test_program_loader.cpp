// Loader robustness: programs built here with the FlatBuffers builder, laid out exactly like
// python/ember/serialize.py (64-byte header | flatbuffer | 64-aligned segments), then
// truncated, bit-flipped, randomized and made hostile field by field. Every bad file must be
// rejected with a readable error; nothing may crash (the suite also runs under ASan/UBSan).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "runtime/executor/method.h"
#include "runtime/executor/program.h"
#include "schema/program_generated.h"

namespace ember {
namespace {

namespace fbs = ember_schema;

// ---- A small program description and its serializer ---------------------------------------

struct TensorSpec {
  fbs::ScalarType dtype = fbs::ScalarType::Float32;
  std::vector<int64_t> sizes;
  fbs::TensorStorage storage = fbs::TensorStorage::Arena;
  int32_t arena_id = 0;
  uint64_t offset = 0;
  int32_t constant_id = -1;
};

struct ValueSpec {
  enum class Kind { Tensor, Int, TensorList, None, MissingPayload };
  Kind kind = Kind::None;
  TensorSpec tensor;
  int64_t i = 0;
  std::vector<int32_t> items;
  static ValueSpec make_tensor(TensorSpec t) {
    ValueSpec v;
    v.kind = Kind::Tensor;
    v.tensor = t;
    return v;
  }
  static ValueSpec make_int(int64_t x) {
    ValueSpec v;
    v.kind = Kind::Int;
    v.i = x;
    return v;
  }
  static ValueSpec make_list(std::vector<int32_t> items) {
    ValueSpec v;
    v.kind = Kind::TensorList;
    v.items = items;
    return v;
  }
};

struct InstrSpec {
  bool delegate = false;
  bool missing_payload = false;
  int32_t index = 0;  // op or delegate index
  std::vector<int32_t> args;
};

struct OpSpec {
  std::string name, overload;
  bool missing_name = false;
};

struct MethodSpec {
  std::string name = "forward";
  std::vector<ValueSpec> values;
  std::vector<int32_t> inputs, outputs;
  std::vector<InstrSpec> instrs;
  std::vector<OpSpec> ops;
  std::vector<std::pair<std::string, int32_t>> delegates;  // backend, segment index
  std::vector<uint64_t> arena_sizes;
  uint64_t scratch_size = 0;
};

struct SegmentSpec {
  uint64_t offset, size;
};
struct ConstantSpec {
  int32_t segment_index;
  uint64_t offset, size;
};

struct ProgramSpec {
  uint32_t version = kProgramFormatVersion;
  std::vector<MethodSpec> methods;
  std::vector<SegmentSpec> segments;
  std::vector<ConstantSpec> constants;
  std::vector<uint8_t> segment_area;  // the bytes after the flatbuffer (64-aligned start)
  std::function<void(ProgramHeader&)> patch_header;
};

size_t pad64(size_t n) {
  return (n + 63) / 64 * 64;
}

flatbuffers::Offset<fbs::Value> build_value(flatbuffers::FlatBufferBuilder& b, const ValueSpec& v) {
  switch (v.kind) {
    case ValueSpec::Kind::Tensor: {
      const TensorSpec& t = v.tensor;
      auto sizes = b.CreateVector(t.sizes);
      auto off =
          fbs::CreateTensor(b, t.dtype, sizes, t.storage, t.arena_id, t.offset, t.constant_id);
      return fbs::CreateValue(b, fbs::ValueKind::Tensor, off.Union());
    }
    case ValueSpec::Kind::Int:
      return fbs::CreateValue(b, fbs::ValueKind::Int, fbs::CreateInt(b, v.i).Union());
    case ValueSpec::Kind::TensorList: {
      auto items = b.CreateVector(v.items);
      return fbs::CreateValue(b, fbs::ValueKind::TensorList,
                              fbs::CreateTensorList(b, items).Union());
    }
    case ValueSpec::Kind::None:
      return fbs::CreateValue(b, fbs::ValueKind::NoneValue, fbs::CreateNoneValue(b).Union());
    case ValueSpec::Kind::MissingPayload:
      // Type says Int, but the table is absent: the FlatBuffers verifier accepts this.
      return fbs::CreateValue(b, fbs::ValueKind::Int, 0);
  }
  return 0;
}

flatbuffers::Offset<fbs::Method> build_method(flatbuffers::FlatBufferBuilder& b,
                                              const MethodSpec& m) {
  std::vector<flatbuffers::Offset<fbs::Value>> values;
  for (const ValueSpec& v : m.values) values.push_back(build_value(b, v));
  std::vector<flatbuffers::Offset<fbs::Instruction>> instrs;
  for (const InstrSpec& ins : m.instrs) {
    auto args = b.CreateVector(ins.args);
    if (ins.missing_payload) {
      instrs.push_back(fbs::CreateInstruction(b, fbs::InstructionKind::KernelCall, 0));
    } else if (ins.delegate) {
      auto call = fbs::CreateDelegateCall(b, ins.index, args);
      instrs.push_back(fbs::CreateInstruction(b, fbs::InstructionKind::DelegateCall, call.Union()));
    } else {
      auto call = fbs::CreateKernelCall(b, ins.index, args);
      instrs.push_back(fbs::CreateInstruction(b, fbs::InstructionKind::KernelCall, call.Union()));
    }
  }
  std::vector<flatbuffers::Offset<fbs::Operator>> ops;
  for (const OpSpec& op : m.ops) {
    if (op.missing_name) {
      ops.push_back(fbs::CreateOperator(b, 0, b.CreateString(op.overload)));
    } else {
      ops.push_back(fbs::CreateOperatorDirect(b, op.name.c_str(), op.overload.c_str()));
    }
  }
  std::vector<flatbuffers::Offset<fbs::BackendDelegate>> dels;
  for (const auto& d : m.delegates)
    dels.push_back(fbs::CreateBackendDelegateDirect(b, d.first.c_str(), d.second));
  return fbs::CreateMethodDirect(b, m.name.c_str(), &values, &m.inputs, &m.outputs, &instrs, &ops,
                                 &dels, &m.arena_sizes, m.scratch_size);
}

// Serializes like python/ember/serialize.py: header | flatbuffer | pad | segment area.
std::vector<uint8_t> serialize(const ProgramSpec& p) {
  flatbuffers::FlatBufferBuilder b(4096);
  std::vector<flatbuffers::Offset<fbs::Method>> methods;
  for (const MethodSpec& m : p.methods) methods.push_back(build_method(b, m));
  std::vector<flatbuffers::Offset<fbs::Segment>> segs;
  for (const SegmentSpec& s : p.segments) segs.push_back(fbs::CreateSegment(b, s.offset, s.size));
  std::vector<flatbuffers::Offset<fbs::ConstantBuffer>> consts;
  for (const ConstantSpec& c : p.constants)
    consts.push_back(fbs::CreateConstantBuffer(b, c.segment_index, c.offset, c.size));
  std::vector<flatbuffers::Offset<fbs::KeyValue>> meta = {
      fbs::CreateKeyValueDirect(b, "ember_version", "test")};
  fbs::FinishProgramBuffer(b,
                           fbs::CreateProgramDirect(b, p.version, &methods, &segs, &consts, &meta));

  ProgramHeader h;
  memset(&h, 0, sizeof(h));
  memcpy(h.magic, kProgramMagic, 4);
  h.format_version = kProgramFormatVersion;
  h.header_size = kProgramHeaderSize;
  h.flatbuffer_offset = kProgramHeaderSize;
  h.flatbuffer_size = b.GetSize();
  h.segment_base = pad64(kProgramHeaderSize + b.GetSize());
  h.segment_size = p.segment_area.size();
  if (p.patch_header) p.patch_header(h);

  std::vector<uint8_t> out(pad64(kProgramHeaderSize + b.GetSize()) + p.segment_area.size(), 0);
  memcpy(out.data(), &h, sizeof(h));
  memcpy(out.data() + kProgramHeaderSize, b.GetBufferPointer(), b.GetSize());
  if (!p.segment_area.empty())
    memcpy(out.data() + pad64(kProgramHeaderSize + b.GetSize()), p.segment_area.data(),
           p.segment_area.size());
  return out;
}

// ---- The reference programs ----------------------------------------------------------------

TensorSpec f32(std::vector<int64_t> sizes, fbs::TensorStorage storage, uint64_t offset = 0,
               int32_t constant_id = -1) {
  TensorSpec t;
  t.sizes = sizes;
  t.storage = storage;
  t.offset = offset;
  t.constant_id = constant_id;
  return t;
}

const float kW[6] = {0.5f, -1.f, 2.f, 0.f, 10.f, -3.f};

// forward(x, y) = relu(x + y) + w, with w a [2,3] constant; every op 64-byte apart in arena 0.
ProgramSpec add_relu_program() {
  using S = fbs::TensorStorage;
  ProgramSpec p;
  MethodSpec m;
  m.values = {
      ValueSpec::make_tensor(f32({2, 3}, S::Input)),           // 0 x
      ValueSpec::make_tensor(f32({2, 3}, S::Input)),           // 1 y
      ValueSpec::make_int(1),                                  // 2 alpha
      ValueSpec::make_tensor(f32({2, 3}, S::Arena, 0)),        // 3 s = x + y
      ValueSpec::make_tensor(f32({2, 3}, S::Constant, 0, 0)),  // 4 w
      ValueSpec::make_tensor(f32({2, 3}, S::Arena, 64)),       // 5 r = relu(s)
      ValueSpec::make_tensor(f32({2, 3}, S::Arena, 128)),      // 6 out = r + w
  };
  m.inputs = {0, 1};
  m.outputs = {6};
  m.ops = {{"aten::add", "Tensor"}, {"aten::relu", "default"}};
  m.instrs = {
      {false, false, 0, {0, 1, 2, 3}}, {false, false, 1, {3, 5}}, {false, false, 0, {5, 4, 2, 6}}};
  m.arena_sizes = {192};
  p.methods.push_back(m);
  // Segment 0 (constants) holds w at offset 0, like the exporter's constant segment.
  p.segment_area.assign(64, 0);
  memcpy(p.segment_area.data(), kW, sizeof(kW));
  p.segment_area.resize(sizeof(kW));
  p.segments = {{0, sizeof(kW)}};
  p.constants = {{0, 0, sizeof(kW)}};
  return p;
}

// forward(x, y) = cat([x, y], 0): exercises tensor lists.
ProgramSpec cat_program() {
  using S = fbs::TensorStorage;
  ProgramSpec p;
  MethodSpec m;
  m.values = {
      ValueSpec::make_tensor(f32({2, 3}, S::Input)),     // 0 x
      ValueSpec::make_tensor(f32({2, 3}, S::Input)),     // 1 y
      ValueSpec::make_list({0, 1}),                      // 2 [x, y]
      ValueSpec::make_int(0),                            // 3 dim
      ValueSpec::make_tensor(f32({4, 3}, S::Arena, 0)),  // 4 out
  };
  m.inputs = {0, 1};
  m.outputs = {4};
  m.ops = {{"aten::cat", "default"}};
  m.instrs = {{false, false, 0, {2, 3, 4}}};
  m.arena_sizes = {64};
  p.methods.push_back(m);
  return p;
}

// ---- Loading helpers -----------------------------------------------------------------------

// 64-byte aligned copy of exactly n bytes (posix_memalign keeps ASan's bounds exact).
struct AlignedBytes {
  uint8_t* p = nullptr;
  size_t n = 0;
  explicit AlignedBytes(const uint8_t* src, size_t size) : n(size) {
    void* mem = nullptr;
    if (posix_memalign(&mem, 64, size ? size : 1) != 0) abort();
    p = static_cast<uint8_t*>(mem);
    if (size) memcpy(p, src, size);
  }
  ~AlignedBytes() { free(p); }
  AlignedBytes(const AlignedBytes&) = delete;
  AlignedBytes& operator=(const AlignedBytes&) = delete;
};

constexpr size_t kMaxArenaBytes = 1 << 20;

// Owns everything a loaded method needs; stage() says how far loading got.
struct Loaded {
  std::unique_ptr<AlignedBytes> bytes;
  Program program;
  std::vector<std::vector<uint8_t>> arenas;
  std::vector<uint8_t*> arena_ptrs;
  std::vector<size_t> arena_sizes;
  std::vector<uint8_t> method_mem, scratch_mem;
  MemoryAllocator alloc;
  ScratchAllocator scratch;
  Method method;
  Status status;  // first failure
  bool program_ok = false;
  bool method_ok = false;
};

void load_method_into(Loaded& l, const char* name = "forward") {
  Result<MethodMeta> meta = l.program.method_meta(name);
  if (!meta.ok()) {
    l.status = meta.status();
    return;
  }
  for (size_t i = 0; i < meta->num_arenas(); ++i) {
    size_t n = meta->arena_size(i);
    if (n > kMaxArenaBytes) {
      l.status = EMBER_ERROR(OutOfMemory, "test cap: arena %zu needs %zu bytes", i, n);
      return;
    }
    l.arenas.emplace_back(n + 1, 0);  // +1: never a zero-size vector
  }
  for (size_t i = 0; i < l.arenas.size(); ++i) {
    l.arena_ptrs.push_back(l.arenas[i].data());
    l.arena_sizes.push_back(meta->arena_size(i));
  }
  l.method_mem.assign(1 << 20, 0);
  l.alloc = MemoryAllocator(l.method_mem.data(), l.method_mem.size());
  size_t scratch = meta->scratch_size() < (1u << 20) ? meta->scratch_size() : (1u << 20);
  l.scratch_mem.assign(scratch + 64, 0);
  l.scratch = ScratchAllocator(l.scratch_mem.data(), scratch);
  MemoryManager mm;
  mm.method_allocator = &l.alloc;
  mm.arenas = l.arena_ptrs.data();
  mm.arena_sizes = l.arena_sizes.data();
  mm.num_arenas = l.arena_ptrs.size();
  mm.scratch = &l.scratch;
  Result<Method> m = Method::load(l.program, name, mm);
  if (!m.ok()) {
    l.status = m.status();
    return;
  }
  l.method = std::move(m.get());
  l.method_ok = true;
}

std::unique_ptr<Loaded> load_bytes(const uint8_t* data, size_t n, bool with_method = true) {
  std::unique_ptr<Loaded> l(new Loaded());
  l->bytes.reset(new AlignedBytes(data, n));
  Result<Program> p = Program::load(ProgramData::borrow(l->bytes->p, n));
  if (!p.ok()) {
    l->status = p.status();
    return l;
  }
  l->program = std::move(p.get());
  l->program_ok = true;
  if (with_method) load_method_into(*l);
  return l;
}

std::unique_ptr<Loaded> load_bytes(const std::vector<uint8_t>& v, bool with_method = true) {
  return load_bytes(v.data(), v.size(), with_method);
}

// Binds zero-filled inputs of the declared dtype/shape and executes; returns the status.
Status run_with_zero_inputs(Loaded& l, std::vector<std::vector<uint8_t>>* storage) {
  const MethodMeta& meta = l.method.meta();
  for (size_t i = 0; i < meta.num_inputs(); ++i) {
    Result<TensorInfo> info = meta.input_info(i);
    if (!info.ok()) return info.status();
    if (info->nbytes > kMaxArenaBytes) return EMBER_ERROR(OutOfMemory, "test cap: input too big");
    storage->emplace_back(info->nbytes + 8, 0);
    EMBER_CHECK_OK(
        l.method.set_input(i, Tensor(info->dtype, info->dim, info->sizes, storage->back().data())));
  }
  return l.method.execute();
}

// Loads, and where that works runs; true when the whole chain succeeded.
bool load_and_maybe_run(const uint8_t* data, size_t n, Status* first_error) {
  std::unique_ptr<Loaded> l = load_bytes(data, n);
  if (!l->method_ok) {
    *first_error = l->status;
    return false;
  }
  std::vector<std::vector<uint8_t>> inputs;
  Status st = run_with_zero_inputs(*l, &inputs);
  *first_error = st;
  return st.ok();
}

::testing::AssertionResult rejected_with(const std::vector<uint8_t>& bytes,
                                         std::initializer_list<const char*> words) {
  std::unique_ptr<Loaded> l = load_bytes(bytes);
  if (l->method_ok) return ::testing::AssertionFailure() << "program was accepted";
  if (l->status.ok()) return ::testing::AssertionFailure() << "failed with an Ok status";
  const char* msg = l->status.message();
  for (const char* w : words)
    if (strstr(msg, w) == nullptr)
      return ::testing::AssertionFailure() << "message '" << msg << "' lacks '" << w << "'";
  return ::testing::AssertionSuccess() << msg;
}

#define EXPECT_REJECTED(spec, ...) EXPECT_TRUE(rejected_with(serialize(spec), {__VA_ARGS__}))

// ---- Valid programs ------------------------------------------------------------------------

TEST(ProgramLoader, ValidProgramComputesReluAddPlusConstant) {
  std::vector<uint8_t> bytes = serialize(add_relu_program());
  std::unique_ptr<Loaded> l = load_bytes(bytes);
  ASSERT_TRUE(l->method_ok) << l->status.message();
  EXPECT_STREQ(l->program.metadata("ember_version"), "test");
  float x[6] = {1, -2, 3, -4, 5, -6}, y[6] = {0.5f, 1, -4, 4, 0, 1}, expect[6];
  for (int i = 0; i < 6; ++i) expect[i] = std::max(x[i] + y[i], 0.f) + kW[i];
  int64_t sizes[2] = {2, 3};
  ASSERT_TRUE(l->method.set_input(0, Tensor(ScalarType::Float32, 2, sizes, x)).ok());
  ASSERT_TRUE(l->method.set_input(1, Tensor(ScalarType::Float32, 2, sizes, y)).ok());
  Status st = l->method.execute();
  ASSERT_TRUE(st.ok()) << st.message();
  const Tensor& out = l->method.output(0);
  ASSERT_EQ(out.dim(), 2);
  EXPECT_EQ(out.size(0), 2);
  EXPECT_EQ(out.size(1), 3);
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(out.data_as<float>()[i], expect[i]) << i;
  // The constant is used in place, straight from the program bytes.
  size_t nbytes = 0;
  Result<const uint8_t*> w = l->program.constant(0, &nbytes);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(nbytes, sizeof(kW));
  EXPECT_EQ(memcmp(*w, kW, sizeof(kW)), 0);
  EXPECT_GE(*w, l->bytes->p);
  EXPECT_LT(*w, l->bytes->p + l->bytes->n);
}

TEST(ProgramLoader, ValidTensorListProgramComputesCat) {
  std::unique_ptr<Loaded> l = load_bytes(serialize(cat_program()));
  ASSERT_TRUE(l->method_ok) << l->status.message();
  float x[6] = {1, 2, 3, 4, 5, 6}, y[6] = {7, 8, 9, 10, 11, 12};
  int64_t sizes[2] = {2, 3};
  ASSERT_TRUE(l->method.set_input(0, Tensor(ScalarType::Float32, 2, sizes, x)).ok());
  ASSERT_TRUE(l->method.set_input(1, Tensor(ScalarType::Float32, 2, sizes, y)).ok());
  Status st = l->method.execute();
  ASSERT_TRUE(st.ok()) << st.message();
  for (int i = 0; i < 12; ++i) EXPECT_EQ(l->method.output(0).data_as<float>()[i], float(i + 1));
}

TEST(ProgramLoader, LoadFileMapsAndReadsTheSameProgram) {
  std::vector<uint8_t> bytes = serialize(add_relu_program());
  char path[] = "/tmp/ember_loader_testXXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  close(fd);
  for (bool mmap : {true, false}) {
    Result<Program> p = Program::load_file(path, mmap);
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_EQ(p->data().is_mapped(), mmap);
    EXPECT_EQ(p->num_methods(), 1u);
  }
  // Truncated on disk: rejected through both paths.
  ASSERT_EQ(truncate(path, static_cast<off_t>(bytes.size() - 1)), 0);
  for (bool mmap : {true, false}) {
    Result<Program> p = Program::load_file(path, mmap);
    EXPECT_EQ(p.error(), Error::InvalidProgram) << p.status().message();
  }
  ASSERT_EQ(truncate(path, 0), 0);
  for (bool mmap : {true, false}) EXPECT_FALSE(Program::load_file(path, mmap).ok());
  unlink(path);
  Result<Program> missing = Program::load_file("/nonexistent/dir/model.ember");
  EXPECT_EQ(missing.error(), Error::AccessFailed);
  EXPECT_NE(strstr(missing.status().message(), "/nonexistent/dir/model.ember"), nullptr);
  EXPECT_FALSE(Program::load_file("/tmp", true).ok());  // a directory
}

// ---- Damaged files -------------------------------------------------------------------------

TEST(ProgramLoader, EveryTruncationIsRejected) {
  std::vector<uint8_t> bytes = serialize(add_relu_program());
  ASSERT_GT(bytes.size(), 256u);
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::unique_ptr<Loaded> l = load_bytes(bytes.data(), n, false);
    EXPECT_FALSE(l->program_ok) << "length " << n;
    EXPECT_EQ(l->status.code(), Error::InvalidProgram) << "length " << n;
  }
}

// The header is fixed up to match a truncated flatbuffer, so the FlatBuffers verifier (and the
// checks after it) must catch the damage.
TEST(ProgramLoader, TruncatedFlatbufferWithConsistentHeaderIsRejected) {
  std::vector<uint8_t> bytes = serialize(add_relu_program());
  ProgramHeader h;
  memcpy(&h, bytes.data(), sizeof(h));
  for (uint64_t fb = 0; fb < h.flatbuffer_size; ++fb) {
    std::vector<uint8_t> t(bytes.begin(), bytes.begin() + static_cast<long>(64 + fb));
    ProgramHeader th = h;
    th.flatbuffer_size = fb;
    th.segment_base = 0;
    th.segment_size = 0;
    memcpy(t.data(), &th, sizeof(th));
    std::unique_ptr<Loaded> l = load_bytes(t);
    EXPECT_FALSE(l->method_ok) << "flatbuffer truncated to " << fb;
    EXPECT_FALSE(l->status.ok());
  }
}

TEST(ProgramLoader, BitFlipsNeverCrash) {
  for (ProgramSpec spec : {add_relu_program(), cat_program()}) {
    std::vector<uint8_t> bytes = serialize(spec);
    size_t rejected = 0, ran = 0, total = 0;
    for (size_t pos = 0; pos < bytes.size(); ++pos) {
      for (uint8_t mask : {0x01, 0x08, 0x40, 0x80}) {
        std::vector<uint8_t> f = bytes;
        f[pos] ^= mask;
        Status st;
        bool ok = load_and_maybe_run(f.data(), f.size(), &st);
        if (ok) {
          ++ran;
        } else {
          ++rejected;
          EXPECT_NE(st.code(), Error::Ok) << "byte " << pos;
        }
        ++total;
        // Magic, format version and header size are always checked.
        if (pos < 16) {
          EXPECT_FALSE(ok) << "byte " << pos;
        }
      }
    }
    EXPECT_EQ(rejected + ran, total);
    EXPECT_GT(rejected, total / 4);  // most of a tiny file is structure
    EXPECT_GT(ran, 0u);              // flips in padding/weights still load and run
  }
}

TEST(ProgramLoader, RandomFilesAreRejected) {
  std::mt19937 rng(1234);
  std::vector<uint8_t> good = serialize(add_relu_program());
  for (int iter = 0; iter < 400; ++iter) {
    size_t n = rng() % 2048;
    std::vector<uint8_t> f(n);
    for (uint8_t& c : f) c = static_cast<uint8_t>(rng());
    if (iter % 2 == 1 && n >= 128) {
      // A valid header and file identifier in front of random bytes reaches the verifier.
      ProgramHeader h;
      memcpy(&h, good.data(), sizeof(h));
      h.flatbuffer_size = n - 64;
      h.segment_base = 0;
      h.segment_size = 0;
      memcpy(f.data(), &h, sizeof(h));
      memcpy(f.data() + 68, "EMBR", 4);
    }
    std::unique_ptr<Loaded> l = load_bytes(f);
    EXPECT_FALSE(l->method_ok) << "random file " << iter;
    EXPECT_FALSE(l->status.ok());
  }
}

TEST(ProgramLoader, RandomByteRunsInsideAValidProgramNeverCrash) {
  std::mt19937 rng(99);
  std::vector<uint8_t> good = serialize(add_relu_program());
  size_t rejected = 0;
  for (int iter = 0; iter < 1500; ++iter) {
    std::vector<uint8_t> f = good;
    size_t start = 64 + rng() % (f.size() - 64);
    size_t len = 1 + rng() % 8;
    for (size_t i = start; i < start + len && i < f.size(); ++i) f[i] = static_cast<uint8_t>(rng());
    Status st;
    if (!load_and_maybe_run(f.data(), f.size(), &st)) ++rejected;
  }
  EXPECT_GT(rejected, 0u);
}

// ---- Header ---------------------------------------------------------------------------------

TEST(ProgramLoader, HeaderFieldsAreChecked) {
  ProgramSpec p = add_relu_program();
  p.patch_header = [](ProgramHeader& h) { h.magic[0] = 'X'; };
  EXPECT_REJECTED(p, "magic");
  p.patch_header = [](ProgramHeader& h) { h.format_version = 7; };
  EXPECT_REJECTED(p, "version", "7");
  p.patch_header = [](ProgramHeader& h) { h.header_size = 32; };
  EXPECT_REJECTED(p, "header size");
  p.patch_header = [](ProgramHeader& h) { h.flatbuffer_size += 4096; };
  EXPECT_REJECTED(p, "flatbuffer", "outside the file");
  p.patch_header = [](ProgramHeader& h) { h.flatbuffer_offset = UINT64_MAX - 8; };
  EXPECT_REJECTED(p, "flatbuffer", "outside the file");
  p.patch_header = [](ProgramHeader& h) { h.flatbuffer_offset = 68; };
  EXPECT_REJECTED(p, "flatbuffer");
  p.patch_header = [](ProgramHeader& h) { h.flatbuffer_offset = 0; };
  EXPECT_REJECTED(p, "flatbuffer");
  p.patch_header = [](ProgramHeader& h) { h.segment_size = UINT64_MAX; };
  EXPECT_REJECTED(p, "segment area", "outside the file");
  p.patch_header = [](ProgramHeader& h) { h.segment_base += 8; };
  EXPECT_REJECTED(p, "segment area");
  p.patch_header = [](ProgramHeader& h) { h.segment_base = 64; };
  EXPECT_REJECTED(p, "overlaps");
  p.patch_header = [](ProgramHeader& h) { h.segment_base = 0; };
  EXPECT_REJECTED(p, "overlaps");
}

TEST(ProgramLoader, FlatbufferVersionAndIdentifierAreChecked) {
  ProgramSpec p = add_relu_program();
  p.version = 2;
  EXPECT_REJECTED(p, "version", "2");
  std::vector<uint8_t> bytes = serialize(add_relu_program());
  memcpy(bytes.data() + 64 + 4, "NOPE", 4);  // FlatBuffers file identifier
  EXPECT_TRUE(rejected_with(bytes, {"verification"}));
}

TEST(ProgramLoader, UnalignedBufferIsRejected) {
  std::vector<uint8_t> bytes = serialize(add_relu_program());
  std::vector<uint8_t> storage(bytes.size() + 64);
  uint8_t* base = storage.data() + (64 - reinterpret_cast<uintptr_t>(storage.data()) % 64) % 64;
  memcpy(base + 4, bytes.data(), bytes.size());
  Result<Program> p = Program::load(ProgramData::borrow(base + 4, bytes.size()));
  EXPECT_EQ(p.error(), Error::InvalidArgument);
  EXPECT_NE(strstr(p.status().message(), "aligned"), nullptr);
  EXPECT_FALSE(Program::load(ProgramData::borrow(nullptr, 0)).ok());
}

// ---- Segments and constants ----------------------------------------------------------------

TEST(ProgramLoader, SegmentsAndConstantsMustLieInsideTheFile) {
  ProgramSpec p = add_relu_program();
  p.segments = {{0, 1 << 20}};
  EXPECT_REJECTED(p, "segment 0", "outside");
  p = add_relu_program();
  p.segments = {{UINT64_MAX - 10, 24}};
  EXPECT_REJECTED(p, "segment 0");
  p = add_relu_program();
  p.segment_area.resize(128 + 24, 0);
  p.segments = {{8, 24}};
  EXPECT_REJECTED(p, "segment 0", "misaligned");
  p = add_relu_program();
  p.constants = {{0, 0, 4096}};
  EXPECT_REJECTED(p, "constant 0", "outside");
  p = add_relu_program();
  p.constants = {{0, UINT64_MAX, 24}};
  EXPECT_REJECTED(p, "constant 0");
  p = add_relu_program();
  p.constants = {{0, 8, 8}};
  EXPECT_REJECTED(p, "constant 0", "misaligned");
  p = add_relu_program();
  p.constants = {{3, 0, 24}};
  EXPECT_REJECTED(p, "constant 0", "segment 3");
  p = add_relu_program();
  p.constants = {{-1, 0, 24}};
  EXPECT_REJECTED(p, "segment -1");
}

TEST(ProgramLoader, ConstantTensorsAreChecked) {
  using S = fbs::TensorStorage;
  ProgramSpec p = add_relu_program();
  p.methods[0].values[4] = ValueSpec::make_tensor(f32({2, 3}, S::Constant, 0, 5));
  EXPECT_REJECTED(p, "constant 5 out of range");
  p.methods[0].values[4] = ValueSpec::make_tensor(f32({2, 3}, S::Constant, 0, -1));
  EXPECT_REJECTED(p, "constant id -1");
  p.methods[0].values[4] = ValueSpec::make_tensor(f32({2, 2}, S::Constant, 0, 0));
  EXPECT_REJECTED(p, "constant 0 holds 24 bytes", "needs 16");
  // Bool constants must hold 0 or 1 only (kernels load them as C++ bool).
  ProgramSpec b = add_relu_program();
  TensorSpec t = f32({6}, S::Constant, 0, 0);
  t.dtype = fbs::ScalarType::Bool;
  b.methods[0].values.push_back(ValueSpec::make_tensor(t));
  b.segment_area = {0, 1, 1, 0, 1, 0};
  b.segments = {{0, 6}};
  b.constants = {{0, 0, 6}};
  b.methods[0].values[4] = ValueSpec::make_tensor(f32({2, 3}, S::Arena, 0));
  std::unique_ptr<Loaded> ok = load_bytes(serialize(b));
  EXPECT_TRUE(ok->method_ok) << ok->status.message();
  b.segment_area[3] = 2;
  EXPECT_REJECTED(b, "bool constant", "byte 2");
}

// Moves the vector that field `field` of `table` points to (inside the flatbuffer of `bytes`) to
// the end of the flatbuffer, with its 8-byte elements misaligned (or, for the control, aligned),
// and repoints the field. Needs a program without a segment area (the flatbuffer grows).
template <typename T>
void relocate_vector(std::vector<uint8_t>& bytes, const T* table, flatbuffers::voffset_t field,
                     bool misalign) {
  ProgramHeader h;
  memcpy(&h, bytes.data(), sizeof(h));
  uint8_t* fb = bytes.data() + h.flatbuffer_offset;
  const uint8_t* slot = reinterpret_cast<const flatbuffers::Table*>(table)->GetAddressOf(field);
  ASSERT_NE(slot, nullptr);
  const size_t at = static_cast<size_t>(slot - fb);
  uint32_t rel;
  memcpy(&rel, slot, 4);
  const size_t old_pos = at + rel;
  uint32_t len;
  memcpy(&len, fb + old_pos, 4);
  std::vector<uint8_t> body(fb + old_pos, fb + old_pos + 4 + 8 * len);
  size_t fb_size = h.flatbuffer_size;
  size_t pos = (fb_size + 7) / 8 * 8 + (misalign ? 0 : 4);  // elements start at pos + 4
  std::vector<uint8_t> out(bytes.begin(), bytes.begin() + static_cast<long>(64 + fb_size));
  out.resize(64 + pos, 0);
  out.insert(out.end(), body.begin(), body.end());
  uint32_t nv = static_cast<uint32_t>(pos - at);
  memcpy(out.data() + 64 + at, &nv, 4);
  h.flatbuffer_size = out.size() - 64;
  h.segment_base = 0;
  h.segment_size = 0;
  memcpy(out.data(), &h, sizeof(h));
  bytes = out;
}

TEST(ProgramLoader, MisalignedEightByteVectorsAreRejected) {
  // The FlatBuffers verifier only aligns a vector's length prefix; int64 elements at 4 mod 8
  // would be misaligned loads (UB; a fault on some targets).
  for (int which = 0; which < 2; ++which) {
    for (bool misalign : {true, false}) {
      std::vector<uint8_t> bytes = serialize(cat_program());
      const fbs::Method* m = fbs::GetProgram(bytes.data() + 64)->methods()->Get(0);
      if (which == 0) {
        relocate_vector(bytes, m, fbs::Method::VT_ARENA_SIZES, misalign);
      } else {
        relocate_vector(bytes, m->values()->Get(4)->kind_as_Tensor(), fbs::Tensor::VT_SIZES,
                        misalign);
      }
      if (misalign) {
        EXPECT_TRUE(rejected_with(bytes, {"misaligned"})) << which;
      } else {
        std::unique_ptr<Loaded> l = load_bytes(bytes);
        EXPECT_TRUE(l->method_ok) << which << ": " << l->status.message();
      }
    }
  }
}

// ---- Tensors ---------------------------------------------------------------------------------

TEST(ProgramLoader, TensorDescriptionsAreChecked) {
  using S = fbs::TensorStorage;
  auto with_out = [](TensorSpec t) {
    ProgramSpec p = add_relu_program();
    p.methods[0].values[6] = ValueSpec::make_tensor(t);
    return p;
  };
  EXPECT_REJECTED(with_out(f32({2, -3}, S::Arena, 128)), "value 6", "negative tensor size -3");
  EXPECT_REJECTED(with_out(f32({1, 1, 1, 1, 1, 1, 1, 1, 1}, S::Arena, 0)), "9 dims", "max 8");
  EXPECT_REJECTED(with_out(f32({int64_t(1) << 40, int64_t(1) << 40}, S::Arena, 0)), "too large");
  EXPECT_REJECTED(with_out(f32({INT64_MAX}, S::Arena, 0)), "too large");
  // A zero size does not excuse overflowing strides in the other dimensions.
  EXPECT_REJECTED(with_out(f32({0, INT64_MAX, INT64_MAX}, S::Arena, 0)), "too large");
  TensorSpec bad_dtype = f32({2, 3}, S::Arena, 128);
  bad_dtype.dtype = static_cast<fbs::ScalarType>(42);
  EXPECT_REJECTED(with_out(bad_dtype), "invalid dtype 42");
  bad_dtype.dtype = static_cast<fbs::ScalarType>(-1);
  EXPECT_REJECTED(with_out(bad_dtype), "invalid dtype -1");
  TensorSpec bad_storage = f32({2, 3}, static_cast<S>(9), 128);
  EXPECT_REJECTED(with_out(bad_storage), "storage");
  // A zero-size tensor is fine anywhere in the arena (including at its end).
  std::unique_ptr<Loaded> l = load_bytes(serialize(with_out(f32({0, 3}, S::Arena, 192))));
  EXPECT_TRUE(l->method_ok) << l->status.message();
}

TEST(ProgramLoader, ArenaPlacementIsChecked) {
  using S = fbs::TensorStorage;
  ProgramSpec p = add_relu_program();
  p.methods[0].values[6] = ValueSpec::make_tensor(f32({2, 3}, S::Arena, 180));
  EXPECT_REJECTED(p, "value 6", "outside arena 0");
  p.methods[0].values[6] = ValueSpec::make_tensor(f32({2, 3}, S::Arena, UINT64_MAX - 4));
  EXPECT_REJECTED(p, "outside arena 0");
  p.methods[0].values[6] = ValueSpec::make_tensor(f32({2, 3}, S::Arena, 130));
  EXPECT_REJECTED(p, "misaligned");
  TensorSpec t = f32({2, 3}, S::Arena, 128);
  t.arena_id = 3;
  p.methods[0].values[6] = ValueSpec::make_tensor(t);
  EXPECT_REJECTED(p, "arena 3 out of range");
  t.arena_id = -1;
  p.methods[0].values[6] = ValueSpec::make_tensor(t);
  EXPECT_REJECTED(p, "arena -1 out of range");
  ProgramSpec big = add_relu_program();
  big.methods[0].arena_sizes = {UINT64_MAX - 8};
  EXPECT_REJECTED(big, "arena 0 size", "too large");
  big.methods[0].arena_sizes = {192};
  big.methods[0].scratch_size = UINT64_MAX;
  EXPECT_REJECTED(big, "scratch size", "too large");
}

// ---- Value table, inputs, outputs --------------------------------------------------------------

TEST(ProgramLoader, ValueIndicesAreChecked) {
  ProgramSpec p = add_relu_program();
  p.methods[0].inputs = {0, 50};
  EXPECT_REJECTED(p, "inputs", "50");
  p = add_relu_program();
  p.methods[0].inputs = {0, -1};
  EXPECT_REJECTED(p, "inputs", "-1");
  p = add_relu_program();
  p.methods[0].outputs = {7};
  EXPECT_REJECTED(p, "outputs", "7");
  p = add_relu_program();
  p.methods[0].outputs = {2};  // the Int alpha
  EXPECT_REJECTED(p, "output 0", "not a tensor");
  p = add_relu_program();
  p.methods[0].inputs = {0, 3};  // an arena tensor is no input
  EXPECT_REJECTED(p, "input 1", "not an input tensor");
  p = add_relu_program();
  p.methods[0].inputs = {0};  // y keeps input storage but is never bound
  EXPECT_REJECTED(p, "value 1", "input storage");
  p = add_relu_program();
  p.methods[0].values[2].kind = ValueSpec::Kind::MissingPayload;
  EXPECT_REJECTED(p, "value 2", "no payload");
  // Tensor lists.
  ProgramSpec c = cat_program();
  c.methods[0].values[2] = ValueSpec::make_list({0, 77});
  EXPECT_REJECTED(c, "tensor list 2", "77");
  c.methods[0].values[2] = ValueSpec::make_list({0, -5});
  EXPECT_REJECTED(c, "tensor list 2", "-5");
  c.methods[0].values[2] = ValueSpec::make_list({0, 3});  // the Int dim
  EXPECT_REJECTED(c, "tensor list 2", "not a tensor");
  c.methods[0].values[2] = ValueSpec::make_list({0, 2});  // itself
  EXPECT_REJECTED(c, "tensor list 2", "not a tensor");
  c.methods[0].values[2] = ValueSpec::make_list({0, -1});  // None entries are allowed
  std::unique_ptr<Loaded> l = load_bytes(serialize(c));
  EXPECT_TRUE(l->method_ok) << l->status.message();
}

TEST(ProgramLoader, InstructionsAreChecked) {
  ProgramSpec p = add_relu_program();
  p.methods[0].instrs[1].args = {3, 99};
  EXPECT_REJECTED(p, "instruction arguments", "99");
  p.methods[0].instrs[1].args = {3, -2};
  EXPECT_REJECTED(p, "instruction arguments", "-2");
  p = add_relu_program();
  p.methods[0].instrs[2].index = 5;
  EXPECT_REJECTED(p, "instruction 2", "operator 5 out of range");
  p.methods[0].instrs[2].index = -1;
  EXPECT_REJECTED(p, "operator -1 out of range");
  p = add_relu_program();
  p.methods[0].ops[1] = {"aten::nonexistent_op", "default"};
  EXPECT_REJECTED(p, "no kernel", "aten::nonexistent_op.default");
  p.methods[0].ops[1] = {std::string(400, 'a'), "default"};
  EXPECT_REJECTED(p, "too long");
  p.methods[0].ops[1] = {"", "default", true};
  EXPECT_REJECTED(p, "no name");
  p = add_relu_program();
  p.methods[0].instrs[0].missing_payload = true;
  EXPECT_REJECTED(p, "instruction 0", "no payload");
}

TEST(ProgramLoader, DelegatesAreChecked) {
  ProgramSpec p = add_relu_program();
  p.methods[0].delegates = {{"npu_that_does_not_exist", 0}};
  p.methods[0].instrs = {{true, false, 0, {0, 1, 6}}};
  EXPECT_REJECTED(p, "npu_that_does_not_exist", "backend");
  p.methods[0].instrs = {{true, false, 4, {0, 1, 6}}};
  EXPECT_REJECTED(p, "delegate 4 out of range");
}

TEST(ProgramLoader, MethodLookupAndCallerMemoryAreChecked) {
  std::vector<uint8_t> bytes = serialize(add_relu_program());
  std::unique_ptr<Loaded> l = load_bytes(bytes, false);
  ASSERT_TRUE(l->program_ok);
  EXPECT_FALSE(l->program.method_name(3).ok());
  EXPECT_EQ(l->program.method_meta("backward").error(), Error::NotFound);
  EXPECT_FALSE(l->program.constant(7, nullptr).ok());
  size_t n = 0;
  EXPECT_FALSE(l->program.segment(SIZE_MAX, &n).ok());
  MethodMeta meta = *l->program.method_meta("forward");
  EXPECT_FALSE(meta.input_info(2).ok());
  EXPECT_FALSE(meta.output_info(1).ok());
  TensorInfo info = *meta.input_info(0);
  EXPECT_EQ(info.nbytes, 24u);

  std::vector<uint8_t> mem(1 << 16), arena(256);
  uint8_t* arenas[1] = {arena.data()};
  size_t small[1] = {100}, ok_size[1] = {256};
  MemoryAllocator alloc(mem.data(), mem.size());
  MemoryManager mm;
  EXPECT_EQ(Method::load(l->program, "forward", mm).error(),
            Error::InvalidArgument);  // no allocator
  mm.method_allocator = &alloc;
  EXPECT_EQ(Method::load(l->program, "forward", mm).error(), Error::InvalidArgument);  // no arenas
  mm.arenas = arenas;
  mm.arena_sizes = small;
  mm.num_arenas = 1;
  Result<Method> m = Method::load(l->program, "forward", mm);
  EXPECT_EQ(m.error(), Error::InvalidArgument);
  EXPECT_NE(strstr(m.status().message(), "arena 0"), nullptr) << m.status().message();
  mm.arena_sizes = ok_size;
  MemoryAllocator tiny(mem.data(), 64);
  mm.method_allocator = &tiny;
  EXPECT_EQ(Method::load(l->program, "forward", mm).error(), Error::OutOfMemory);
  mm.method_allocator = &alloc;
  EXPECT_EQ(Method::load(l->program, "backward", mm).error(), Error::NotFound);
  EXPECT_TRUE(Method::load(l->program, "forward", mm).ok());
  // A program with an empty method table.
  ProgramSpec none = add_relu_program();
  none.methods.clear();
  EXPECT_REJECTED(none, "no methods");
}

TEST(ProgramLoader, MethodNamesMustBeUtf8Text) {
  for (const char* bad :
       {"", "\xff\xfe", "for\xc3", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80"}) {
    ProgramSpec p = add_relu_program();
    p.methods[0].name = bad;
    EXPECT_REJECTED(p, "method 0 name");
  }
  ProgramSpec p = add_relu_program();
  p.methods[0].name = "forw\xc3\xa4rd_\xe2\x82\xac_\xf0\x9f\x98\x80";  // valid UTF-8
  std::unique_ptr<Loaded> l = load_bytes(serialize(p), false);
  EXPECT_TRUE(l->program_ok) << l->status.message();
}

// ---- Binding inputs and running -------------------------------------------------------------

TEST(ProgramLoader, InputsAreCheckedAtSetInputAndExecute) {
  std::unique_ptr<Loaded> l = load_bytes(serialize(add_relu_program()));
  ASSERT_TRUE(l->method_ok) << l->status.message();
  Status st = l->method.execute();
  EXPECT_EQ(st.code(), Error::InvalidArgument);
  EXPECT_NE(strstr(st.message(), "input 0 was not set"), nullptr) << st.message();
  float x[6] = {0};
  int64_t good[2] = {2, 3}, bad[2] = {3, 2}, bad3[3] = {2, 3, 1};
  st = l->method.set_input(0, Tensor(ScalarType::Int64, 2, good, x));
  EXPECT_EQ(st.code(), Error::InvalidArgument);
  EXPECT_NE(strstr(st.message(), "expected dtype float32, got int64"), nullptr) << st.message();
  st = l->method.set_input(0, Tensor(ScalarType::Float32, 2, bad, x));
  EXPECT_NE(strstr(st.message(), "expected shape [2,3], got [3,2]"), nullptr) << st.message();
  st = l->method.set_input(1, Tensor(ScalarType::Float32, 3, bad3, x));
  EXPECT_NE(strstr(st.message(), "expected shape [2,3], got [2,3,1]"), nullptr) << st.message();
  st = l->method.set_input(5, Tensor(ScalarType::Float32, 2, good, x));
  EXPECT_NE(strstr(st.message(), "out of range"), nullptr) << st.message();
  st = l->method.set_input(0, Tensor(ScalarType::Float32, 2, good, nullptr));
  EXPECT_NE(strstr(st.message(), "null data"), nullptr) << st.message();
  ASSERT_TRUE(l->method.set_input(0, Tensor(ScalarType::Float32, 2, good, x)).ok());
  st = l->method.execute();
  EXPECT_NE(strstr(st.message(), "input 1 was not set"), nullptr) << st.message();
  ASSERT_TRUE(l->method.set_input(1, Tensor(ScalarType::Float32, 2, good, x)).ok());
  EXPECT_TRUE(l->method.execute().ok());
}

// Programs that pass the loader but give kernels bad arguments fail in the kernel, by name.
TEST(ProgramLoader, KernelsRejectWellFormedButWrongCalls) {
  using S = fbs::TensorStorage;
  std::vector<std::vector<uint8_t>> inputs;
  ProgramSpec p = add_relu_program();
  p.methods[0].instrs[0].args = {0, 1, 3};  // add without alpha
  std::unique_ptr<Loaded> l = load_bytes(serialize(p));
  ASSERT_TRUE(l->method_ok) << l->status.message();
  Status st = run_with_zero_inputs(*l, &inputs);
  EXPECT_EQ(st.code(), Error::KernelFailed);
  EXPECT_NE(strstr(st.message(), "aten::add.Tensor"), nullptr) << st.message();
  p = add_relu_program();
  p.methods[0].values[6] = ValueSpec::make_tensor(f32({3, 3}, S::Arena, 128));  // wrong out shape
  p.methods[0].arena_sizes = {192 + 64};
  l = load_bytes(serialize(p));
  ASSERT_TRUE(l->method_ok) << l->status.message();
  st = run_with_zero_inputs(*l, &inputs);
  EXPECT_EQ(st.code(), Error::KernelFailed) << st.message();
  p = add_relu_program();
  p.methods[0].instrs[1].args = {2, 5};  // relu of an Int
  l = load_bytes(serialize(p));
  ASSERT_TRUE(l->method_ok) << l->status.message();
  st = run_with_zero_inputs(*l, &inputs);
  EXPECT_EQ(st.code(), Error::KernelFailed) << st.message();
}

// A hostile program may name a constant as a kernel output: loading the file memory-mapped
// must not turn that into a write fault, and the file must stay unchanged.
TEST(ProgramLoader, KernelWritingIntoAConstantDoesNotFaultOrTouchTheFile) {
  ProgramSpec p = add_relu_program();
  p.methods[0].instrs[1].args = {3, 4};  // relu(s) -> w (the constant)
  std::vector<uint8_t> bytes = serialize(p);
  char path[] = "/tmp/ember_loader_cowXXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  close(fd);
  {
    Result<Program> prog = Program::load_file(path, true);
    ASSERT_TRUE(prog.ok()) << prog.status().message();
    Loaded l;
    l.program = std::move(prog.get());
    load_method_into(l);
    ASSERT_TRUE(l.method_ok) << l.status.message();
    std::vector<std::vector<uint8_t>> inputs;
    Status st = run_with_zero_inputs(l, &inputs);
    EXPECT_TRUE(st.ok()) << st.message();
  }
  std::vector<uint8_t> after(bytes.size());
  FILE* f = fopen(path, "rb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(fread(after.data(), 1, after.size(), f), after.size());
  fclose(f);
  unlink(path);
  EXPECT_EQ(after, bytes);
}

}  // namespace
}  // namespace ember
