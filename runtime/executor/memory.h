// Memory the caller hands to a method: nothing in the executor allocates on its own.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/kernel.h"

namespace ember {

// Bump allocator over a caller-owned buffer; used only while a method loads.
class MemoryAllocator {
 public:
  MemoryAllocator() = default;
  MemoryAllocator(void* base, size_t size) : base_(static_cast<uint8_t*>(base)), size_(size) {}
  void* allocate(size_t nbytes, size_t alignment = alignof(max_align_t)) {
    uintptr_t start = reinterpret_cast<uintptr_t>(base_) + used_;
    uintptr_t aligned = (start + alignment - 1) & ~(uintptr_t)(alignment - 1);
    size_t pad = aligned - start;
    if (base_ == nullptr || pad > size_ - used_ || nbytes > size_ - used_ - pad) return nullptr;
    used_ += pad + nbytes;
    return reinterpret_cast<void*>(aligned);
  }
  template <typename T>
  T* allocate_array(size_t n) {
    if (n > SIZE_MAX / sizeof(T)) return nullptr;
    return static_cast<T*>(allocate(n * sizeof(T) + (n == 0 ? 1 : 0), alignof(T)));
  }
  size_t used() const { return used_; }
  size_t size() const { return size_; }

 private:
  uint8_t* base_ = nullptr;
  size_t size_ = 0;
  size_t used_ = 0;
};

struct MemoryManager {
  MemoryAllocator* method_allocator = nullptr;  // value table, argument lists
  uint8_t* const* arenas = nullptr;             // one buffer per planned arena
  const size_t* arena_sizes = nullptr;          // their sizes, checked against the plan
  size_t num_arenas = 0;
  ScratchAllocator* scratch = nullptr;          // per-kernel temporary memory
};

}  // namespace ember
