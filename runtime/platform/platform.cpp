#include "runtime/platform/platform.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace ember {
namespace platform {

void log(LogLevel level, const char* fmt, ...) {
  const char* tag = level == LogLevel::Error ? "E" : level == LogLevel::Info ? "I" : "D";
  fprintf(stderr, "[ember %s] ", tag);
  va_list args;
  va_start(args, fmt);
  vfprintf(stderr, fmt, args);
  va_end(args);
  fputc('\n', stderr);
}

uint64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

void abort_with(const char* message) {
  fprintf(stderr, "[ember] fatal: %s\n", message);
  abort();
}

}  // namespace platform
}  // namespace ember
