// The kernel interface and registry.
//
// Kernels are keyed by the ATen out-variant schema name, e.g. "aten::add.out",
// "aten::convolution.out" (or the functional name when ATen has no out overload).
// A kernel receives the functional arguments in schema order followed by the
// preallocated output tensors, whose shapes and dtypes were fixed at export.
#pragma once

#include <cstddef>

#include "runtime/core/error.h"
#include "runtime/core/evalue.h"

namespace ember {

// Scratch memory for one kernel call, handed in by the caller (bump allocator, reset per call).
class ScratchAllocator {
 public:
  ScratchAllocator() = default;
  ScratchAllocator(void* base, size_t size) : base_(static_cast<uint8_t*>(base)), size_(size) {}
  void* allocate(size_t nbytes, size_t alignment = 64);
  void reset() { used_ = 0; }
  size_t high_water() const { return high_water_; }
  // The whole buffer, for users that own it for an entire instruction (backend delegates).
  uint8_t* base() const { return base_; }
  size_t size() const { return size_; }

 private:
  uint8_t* base_ = nullptr;
  size_t size_ = 0;
  size_t used_ = 0;
  size_t high_water_ = 0;
};

class KernelContext {
 public:
  explicit KernelContext(ScratchAllocator* scratch = nullptr) : scratch_(scratch) {}
  // Records a failure; the executor stops and returns it. The message should name the op.
  void fail(Error code, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  // Returns nullptr (and records OutOfMemory) when the caller gave too little scratch.
  void* allocate_scratch(size_t nbytes, size_t alignment = 64);

 private:
  Status status_;
  ScratchAllocator* scratch_;
};

using OpFunction = void (*)(KernelContext& ctx, EValue** args, size_t num_args);

struct Kernel {
  const char* name;
  OpFunction fn;
};

// The only global state of the runtime. Registration happens at static-init time.
Status register_kernel(const Kernel& kernel);
const Kernel* find_kernel(const char* name, size_t name_len);
size_t num_registered_kernels();
const Kernel* registered_kernel(size_t index);

}  // namespace ember

#define EMBER_KERNEL_CONCAT_(a, b) a##b
#define EMBER_KERNEL_CONCAT(a, b) EMBER_KERNEL_CONCAT_(a, b)
// Registers `fn` under `name` ("aten::add.out") when the object file is linked.
#define EMBER_REGISTER_KERNEL(name, fn)                                                     \
  static const bool EMBER_KERNEL_CONCAT(ember_kernel_registered_, __LINE__) __attribute__((used)) = \
      ::ember::register_kernel(::ember::Kernel{name, fn}).ok()
