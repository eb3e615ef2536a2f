// Platform layer: the few things the runtime needs from the OS. Replace platform.cpp to port.
#pragma once

#include <cstdint>

namespace ember {
namespace platform {

enum class LogLevel { Debug, Info, Error };
// printf-style log line; the default implementation writes to stderr.
void log(LogLevel level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
// Monotonic clock in nanoseconds.
uint64_t now_ns();
[[noreturn]] void abort_with(const char* message);

}  // namespace platform
}  // namespace ember
