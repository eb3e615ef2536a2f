// Errors as values for the Ember tokenizer library.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ember::tokenizers {

enum class ErrorCode {
  kOk = 0,
  kIoError,          // file missing or unreadable
  kParseError,       // malformed, corrupt or truncated tokenizer file
  kUnsupported,      // a valid file using a feature this library does not implement
  kInvalidArgument,  // bad caller input (e.g. unknown token id)
};

const char* error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kOk;
  std::string message;

  std::string to_string() const { return std::string(error_code_name(code)) + ": " + message; }
};

// Holds either a value or an Error.  Never throws: callers check ok() first.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(runtime/explicit)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(runtime/explicit)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace ember::tokenizers
