#include "runtime/backend/backend.h"

#include <cstring>

namespace ember {

namespace {
constexpr size_t kMaxBackends = 16;
Backend g_backends[kMaxBackends];
size_t g_num_backends = 0;
}  // namespace

Status register_backend(const Backend& backend) {
  if (backend.name == nullptr || backend.init == nullptr || backend.execute == nullptr)
    return EMBER_ERROR(InvalidArgument, "incomplete backend registration");
  if (find_backend(backend.name) != nullptr)
    return EMBER_ERROR(InvalidArgument, "backend '%s' registered twice", backend.name);
  if (g_num_backends >= kMaxBackends) return EMBER_ERROR(OutOfMemory, "backend registry full");
  g_backends[g_num_backends++] = backend;
  return Status();
}

const Backend* find_backend(const char* name) {
  for (size_t i = 0; i < g_num_backends; ++i)
    if (strcmp(g_backends[i].name, name) == 0) return &g_backends[i];
  return nullptr;
}

}  // namespace ember
