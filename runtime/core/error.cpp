#include "runtime/core/error.h"

#include <cstdarg>
#include <cstdio>

namespace ember {

const char* error_name(Error e) {
  switch (e) {
    case Error::Ok: return "Ok";
    case Error::Internal: return "Internal";
    case Error::InvalidArgument: return "InvalidArgument";
    case Error::InvalidProgram: return "InvalidProgram";
    case Error::NotFound: return "NotFound";
    case Error::NotSupported: return "NotSupported";
    case Error::OutOfMemory: return "OutOfMemory";
    case Error::AccessFailed: return "AccessFailed";
    case Error::KernelFailed: return "KernelFailed";
  }
  return "Unknown";
}

Status Status::make(Error code, const char* fmt, ...) {
  Status s(code);
  va_list args;
  va_start(args, fmt);
  vsnprintf(s.message_, kMessageCapacity, fmt, args);
  va_end(args);
  return s;
}

}  // namespace ember
