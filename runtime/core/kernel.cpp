#include "runtime/core/kernel.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace ember {

namespace {
constexpr size_t kMaxKernels = 1024;
Kernel g_kernels[kMaxKernels];
size_t g_num_kernels = 0;
}  // namespace

Status register_kernel(const Kernel& kernel) {
  if (kernel.name == nullptr || kernel.fn == nullptr)
    return EMBER_ERROR(InvalidArgument, "kernel registration without a name or function");
  if (find_kernel(kernel.name, strlen(kernel.name)) != nullptr)
    return EMBER_ERROR(InvalidArgument, "kernel '%s' registered twice", kernel.name);
  if (g_num_kernels >= kMaxKernels)
    return EMBER_ERROR(OutOfMemory, "kernel registry full (%zu)", kMaxKernels);
  g_kernels[g_num_kernels++] = kernel;
  return Status();
}

const Kernel* find_kernel(const char* name, size_t name_len) {
  for (size_t i = 0; i < g_num_kernels; ++i) {
    const char* k = g_kernels[i].name;
    if (strncmp(k, name, name_len) == 0 && k[name_len] == '\0') return &g_kernels[i];
  }
  return nullptr;
}

size_t num_registered_kernels() { return g_num_kernels; }
const Kernel* registered_kernel(size_t index) {
  return index < g_num_kernels ? &g_kernels[index] : nullptr;
}

void* ScratchAllocator::allocate(size_t nbytes, size_t alignment) {
  uintptr_t start = reinterpret_cast<uintptr_t>(base_) + used_;
  uintptr_t aligned = (start + alignment - 1) & ~(uintptr_t)(alignment - 1);
  size_t pad = aligned - start;
  if (base_ == nullptr || used_ + pad + nbytes > size_) return nullptr;
  used_ += pad + nbytes;
  if (used_ > high_water_) high_water_ = used_;
  return reinterpret_cast<void*>(aligned);
}

void KernelContext::fail(Error code, const char* fmt, ...) {
  if (!status_.ok()) return;  // keep the first failure
  char buf[Status::kMessageCapacity];
  va_list args;
  va_start(args, fmt);
  vsnprintf(buf, sizeof(buf), fmt, args);
  va_end(args);
  status_ = Status::make(code, "%s", buf);
}

void* KernelContext::allocate_scratch(size_t nbytes, size_t alignment) {
  void* p = scratch_ ? scratch_->allocate(nbytes, alignment) : nullptr;
  if (p == nullptr)
    fail(Error::OutOfMemory, "kernel needs %zu bytes of scratch memory that the caller did not provide",
         nbytes);
  return p;
}

}  // namespace ember
