// Backend interface: a backend compiles (at export) a subgraph into an opaque blob, and at
// load time turns that blob into a handle it executes. Registered by name, like kernels.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/evalue.h"
#include "runtime/core/kernel.h"
#include "runtime/core/result.h"

namespace ember {

// What the method hands a backend at init. `scratch` is the method's planned scratch buffer
// (MemoryManager::scratch; null when the method has none): caller-owned, alive as long as the
// method, and shared by every delegate and kernel of the method, so its contents do not
// survive from one instruction to the next. A backend may run its internal activations in it
// (at most scratch_size bytes) instead of allocating; the exporter sizes it for that.
struct BackendInitContext {
  uint8_t* scratch = nullptr;
  size_t scratch_size = 0;
};

struct Backend {
  const char* name;
  bool (*is_available)();
  // Prepares the blob (packs weights, plans); returns an opaque handle.
  Result<void*> (*init)(const uint8_t* blob, size_t size, const BackendInitContext& context);
  // args: the delegate call's inputs followed by its outputs.
  Status (*execute)(void* handle, EValue** args, size_t num_args);
  void (*destroy)(void* handle);
};

Status register_backend(const Backend& backend);
const Backend* find_backend(const char* name);

}  // namespace ember

#define EMBER_REGISTER_BACKEND(backend)                                                \
  static const bool EMBER_KERNEL_CONCAT(ember_backend_registered_, __LINE__) __attribute__((used)) = \
      ::ember::register_backend(backend).ok()
