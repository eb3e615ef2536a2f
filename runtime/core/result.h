// Result<T>: a value or a Status. T must be default-constructible and movable.
#pragma once

#include <utility>

#include "runtime/core/error.h"

namespace ember {

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}     // NOLINT: implicit by design
  Result(Status status) : status_(status) {}         // NOLINT
  Result(Error code) : status_(code) {}              // NOLINT
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  Error error() const { return status_.code(); }
  T& get() { return value_; }
  const T& get() const { return value_; }
  T* operator->() { return &value_; }
  T& operator*() { return value_; }

 private:
  T value_{};
  Status status_{};
};

}  // namespace ember

// Evaluates a Result expression; on error returns its status, else moves the value into lhs.
#define EMBER_ASSIGN_OR_RETURN(lhs, expr)       \
  auto _res_##__LINE__ = (expr);                \
  if (!_res_##__LINE__.ok()) return _res_##__LINE__.status(); \
  lhs = std::move(_res_##__LINE__.get())
