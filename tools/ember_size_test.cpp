// ember-size-test: the smallest useful runtime: load a program file, load its method with
// caller-provided static memory, run it. No kernels are linked; its stripped size is the
// runtime core's footprint (goal: under 50 KB).
#include <cstdio>

#include "runtime/executor/method.h"
#include "runtime/executor/program.h"

namespace {
alignas(64) uint8_t g_method_memory[64 * 1024];
alignas(64) uint8_t g_arena[256 * 1024];
alignas(64) float g_input[4096];
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fputs("usage: ember-size-test PROGRAM\n", stderr);
    return 2;
  }
  ember::Result<ember::Program> program = ember::Program::load_file(argv[1]);
  if (!program.ok()) {
    fprintf(stderr, "load failed: %s\n", program.status().message());
    return 1;
  }
  ember::MemoryAllocator allocator(g_method_memory, sizeof(g_method_memory));
  uint8_t* arenas[1] = {g_arena};
  size_t arena_sizes[1] = {sizeof(g_arena)};
  ember::MemoryManager mm;
  mm.method_allocator = &allocator;
  mm.arenas = arenas;
  mm.arena_sizes = arena_sizes;
  mm.num_arenas = 1;
  ember::Result<ember::Method> method = ember::Method::load(*program, "forward", mm);
  if (!method.ok()) {
    fprintf(stderr, "method load failed: %s\n", method.status().message());
    return 1;
  }
  for (size_t i = 0; i < method->num_inputs(); ++i) {
    ember::Tensor t = method->input(i);
    if (t.nbytes() > sizeof(g_input)) return 1;
    t.set_data(g_input);
    ember::Status s = method->set_input(i, t);
    if (!s.ok()) return 1;
  }
  ember::Status s = method->execute();
  printf("%s: %zu instructions, %s\n", argv[1], method->num_instructions(), s.ok() ? "ok" : s.message());
  return s.ok() ? 0 : 1;
}
