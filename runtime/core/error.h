// Error codes and a Status carrying a fixed-size message: errors are values, never exceptions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ember {

enum class Error : uint32_t {
  Ok = 0,
  Internal = 1,
  InvalidArgument = 2,
  InvalidProgram = 3,  // the program file failed verification
  NotFound = 4,        // a method, kernel or backend is missing
  NotSupported = 5,
  OutOfMemory = 6,  // a caller-provided allocator ran out
  AccessFailed = 7,  // file I/O
  KernelFailed = 8,
};

const char* error_name(Error e);

// A code plus a readable message, stored inline so reporting an error never allocates.
class Status {
 public:
  static constexpr size_t kMessageCapacity = 256;
  Status() = default;
  Status(Error code) : code_(code) { message_[0] = '\0'; }  // NOLINT: implicit by design
  static Status make(Error code, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  bool ok() const { return code_ == Error::Ok; }
  Error code() const { return code_; }
  const char* message() const { return message_[0] ? message_ : error_name(code_); }

 private:
  Error code_ = Error::Ok;
  char message_[kMessageCapacity] = {0};
};

}  // namespace ember

#define EMBER_ERROR(code, ...) ::ember::Status::make(::ember::Error::code, __VA_ARGS__)

// Propagates a failed Status (or Result's status) out of the current function.
#define EMBER_CHECK_OK(expr)         \
  do {                               \
    ::ember::Status _st = (expr);    \
    if (!_st.ok()) return _st;       \
  } while (0)
