#include "extension/module/module.h"

#include <cstdlib>

namespace ember {

namespace {
struct FreeDeleter {
  void operator()(void* p) const { free(p); }
};
using Buffer = std::unique_ptr<uint8_t, FreeDeleter>;
Buffer aligned_buffer(size_t n) {
  size_t rounded = (n + 63) & ~size_t(63);
  return Buffer(static_cast<uint8_t*>(aligned_alloc(64, rounded ? rounded : 64)));
}
}  // namespace

struct Module::LoadedMethod {
  std::string name;
  Buffer method_memory;
  std::vector<Buffer> arenas;
  std::vector<uint8_t*> arena_ptrs;
  std::vector<size_t> arena_sizes;
  Buffer scratch_memory;
  MemoryAllocator allocator;
  ScratchAllocator scratch;
  Method method;
  size_t planned_bytes = 0;
};

Module::Module(std::string path, LoadMode mode) : path_(std::move(path)), mode_(mode) {}
Module::~Module() = default;

Status Module::load() {
  if (program_) return Status();
  Result<Program> p = Program::load_file(path_.c_str(), mode_ == LoadMode::Mmap);
  if (!p.ok()) return p.status();
  program_.reset(new Program(std::move(p.get())));
  return Status();
}

Result<std::vector<std::string>> Module::method_names() {
  EMBER_CHECK_OK(load());
  std::vector<std::string> names;
  for (size_t i = 0; i < program_->num_methods(); ++i) names.push_back(*program_->method_name(i));
  return names;
}

Result<MethodMeta> Module::method_meta(const std::string& method) {
  EMBER_CHECK_OK(load());
  return program_->method_meta(method.c_str());
}

Status Module::load_method(const std::string& name) {
  EMBER_CHECK_OK(load());
  for (auto& m : methods_)
    if (m->name == name) return Status();
  Result<MethodMeta> meta = program_->method_meta(name.c_str());
  if (!meta.ok()) return meta.status();
  std::unique_ptr<LoadedMethod> lm(new LoadedMethod());
  lm->name = name;
  size_t method_bytes = meta->method_allocator_bytes();
  lm->method_memory = aligned_buffer(method_bytes);
  lm->allocator = MemoryAllocator(lm->method_memory.get(), method_bytes);
  size_t total = method_bytes;
  for (size_t i = 0; i < meta->num_arenas(); ++i) {
    size_t n = meta->arena_size(i);
    lm->arenas.push_back(aligned_buffer(n));
    if (!lm->arenas.back()) return EMBER_ERROR(OutOfMemory, "cannot allocate arena %zu (%zu bytes)", i, n);
    lm->arena_ptrs.push_back(lm->arenas.back().get());
    lm->arena_sizes.push_back(n);
    total += n;
  }
  size_t scratch = meta->scratch_size();
  if (scratch) {
    lm->scratch_memory = aligned_buffer(scratch);
    lm->scratch = ScratchAllocator(lm->scratch_memory.get(), scratch);
    total += scratch;
  }
  MemoryManager mm;
  mm.method_allocator = &lm->allocator;
  mm.arenas = lm->arena_ptrs.data();
  mm.arena_sizes = lm->arena_sizes.data();
  mm.num_arenas = lm->arena_ptrs.size();
  mm.scratch = scratch ? &lm->scratch : nullptr;
  Result<Method> method = Method::load(*program_, name.c_str(), mm);
  if (!method.ok()) return method.status();
  lm->method = std::move(method.get());
  lm->planned_bytes = total;
  methods_.push_back(std::move(lm));
  return Status();
}

Result<Method*> Module::method(const std::string& name) {
  EMBER_CHECK_OK(load_method(name));
  for (auto& m : methods_)
    if (m->name == name) return &m->method;
  return EMBER_ERROR(Internal, "method '%s' vanished", name.c_str());
}

size_t Module::planned_bytes(const std::string& name) {
  for (auto& m : methods_)
    if (m->name == name) return m->planned_bytes;
  return 0;
}

Result<std::vector<Tensor>> Module::execute(const std::string& name, const std::vector<Tensor>& inputs) {
  Result<Method*> m = method(name);
  if (!m.ok()) return m.status();
  Method& method = **m;
  if (inputs.size() != method.num_inputs())
    return EMBER_ERROR(InvalidArgument, "method '%s' takes %zu inputs, got %zu", name.c_str(), method.num_inputs(),
                       inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) EMBER_CHECK_OK(method.set_input(i, inputs[i]));
  EMBER_CHECK_OK(method.execute());
  std::vector<Tensor> outs;
  for (size_t i = 0; i < method.num_outputs(); ++i) outs.push_back(method.output(i));
  return outs;
}

}  // namespace ember
