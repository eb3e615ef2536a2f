// libFuzzer target over the program loader: arbitrary bytes go through Program::load, every
// accessor of the loaded program, Method::load("forward") with fixed caller buffers, and, when
// the inputs are small, set_input with zero-filled tensors and execute. Any crash, sanitizer
// report, leak or hang is a bug; an error status is the expected outcome for a bad file.
//
//   fuzz_program_load CORPUS_DIR -max_total_time=30 -timeout=10 -rss_limit_mb=2048
// Seed corpus: tests/fuzz/make_corpus.py (exports a few tiny models).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "runtime/executor/method.h"
#include "runtime/executor/program.h"

namespace {

constexpr size_t kMaxInputBytes = 16 << 20;       // larger fuzz inputs are skipped
constexpr size_t kMethodAllocatorBytes = 1 << 20;  // fixed caller buffer for the method
constexpr size_t kMaxArenaBytes = 4 << 20;         // all arenas together
constexpr size_t kMaxScratchBytes = 4 << 20;
constexpr size_t kMaxBoundInputBytes = 1 << 20;  // inputs bound and executed only below this

// A heap block of exactly `n` bytes (so ASan sees overruns), 64-byte aligned, zero-filled.
struct Block {
  uint8_t* p = nullptr;
  explicit Block(size_t n) {
    void* mem = nullptr;
    if (posix_memalign(&mem, 64, n ? n : 1) != 0) abort();
    p = static_cast<uint8_t*>(mem);
    memset(p, 0, n ? n : 1);
  }
  ~Block() { free(p); }
  Block(Block&& o) noexcept : p(o.p) { o.p = nullptr; }
  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;
};

// Touches every accessor of a loaded program; everything returned must be safe to read.
void inspect(const ember::Program& program) {
  (void)program.metadata("ember_version");
  for (size_t i = 0; i < program.num_constants(); ++i) {
    size_t n = 0;
    ember::Result<const uint8_t*> c = program.constant(i, &n);
    if (c.ok() && n > 0) {
      volatile uint8_t sink = (*c)[0] ^ (*c)[n - 1];
      (void)sink;
    }
  }
  for (size_t i = 0; i < program.num_methods(); ++i) {
    ember::Result<const char*> name = program.method_name(i);
    if (!name.ok()) continue;
    ember::Result<ember::MethodMeta> meta = program.method_meta(*name);
    if (!meta.ok()) continue;
    for (size_t j = 0; j < meta->num_inputs(); ++j) (void)meta->input_info(j);
    for (size_t j = 0; j < meta->num_outputs(); ++j) (void)meta->output_info(j);
    (void)meta->method_allocator_bytes();
    (void)meta->num_instructions();
  }
}

void load_and_run(const ember::Program& program) {
  ember::Result<ember::MethodMeta> meta = program.method_meta("forward");
  if (!meta.ok()) return;
  size_t total = 0;
  std::vector<Block> arenas;
  std::vector<uint8_t*> arena_ptrs;
  std::vector<size_t> arena_sizes;
  for (size_t i = 0; i < meta->num_arenas(); ++i) {
    size_t n = meta->arena_size(i);
    if (n > kMaxArenaBytes - total) return;  // too much memory for a fuzz run: reject
    total += n;
    arenas.emplace_back(n);
    arena_sizes.push_back(n);
  }
  for (Block& b : arenas) arena_ptrs.push_back(b.p);
  size_t scratch_bytes = meta->scratch_size();
  if (scratch_bytes > kMaxScratchBytes) return;
  Block scratch_mem(scratch_bytes);
  Block method_mem(kMethodAllocatorBytes);
  ember::MemoryAllocator alloc(method_mem.p, kMethodAllocatorBytes);
  ember::ScratchAllocator scratch(scratch_mem.p, scratch_bytes);
  ember::MemoryManager mm;
  mm.method_allocator = &alloc;
  mm.arenas = arena_ptrs.data();
  mm.arena_sizes = arena_sizes.data();
  mm.num_arenas = arena_ptrs.size();
  mm.scratch = &scratch;

  ember::Result<ember::Method> loaded = ember::Method::load(program, "forward", mm);
  if (!loaded.ok()) return;
  ember::Method& method = loaded.get();
  char name[160];
  for (size_t i = 0; i < method.num_instructions(); ++i) method.instruction_name(i, name, sizeof(name));

  // Executing without inputs must fail cleanly when there are any.
  ember::Status st = method.execute();
  if (method.num_inputs() > 0 && st.ok()) abort();

  std::vector<Block> inputs;
  size_t input_bytes = 0;
  for (size_t i = 0; i < method.num_inputs(); ++i) {
    ember::Result<ember::TensorInfo> info = method.meta().input_info(i);
    if (!info.ok()) return;
    if (info->nbytes > kMaxBoundInputBytes - input_bytes) return;
    input_bytes += info->nbytes;
    inputs.emplace_back(info->nbytes);
    if (!method.set_input(i, ember::Tensor(info->dtype, info->dim, info->sizes, inputs.back().p)).ok())
      return;
  }
  for (int run = 0; run < 2; ++run) {  // twice: planned memory is reused between runs
    st = method.execute();
    if (!st.ok()) {
      if (st.message()[0] == '\0') abort();  // errors always carry a message
      return;
    }
  }
  for (size_t i = 0; i < method.num_outputs(); ++i) {
    const ember::Tensor& out = method.output(i);
    size_t n = out.nbytes();
    if (n > 0) {
      volatile uint8_t sink = static_cast<const uint8_t*>(out.data())[n - 1];
      (void)sink;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInputBytes) return -1;  // not added to the corpus
  // An exactly sized, 64-byte aligned copy: the loader requires alignment, and reads past the
  // end of the file become ASan reports.
  Block buf(size);
  if (size) memcpy(buf.p, data, size);
  ember::Result<ember::Program> program = ember::Program::load(ember::ProgramData::borrow(buf.p, size));
  if (!program.ok()) {
    if (program.status().message()[0] == '\0') abort();
    return 0;
  }
  inspect(*program);
  load_and_run(*program);
  return 0;
}
