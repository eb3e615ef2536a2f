// Program bytes: borrowed from the caller, read from a file, or memory-mapped.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/result.h"

namespace ember {

class ProgramData {
 public:
  ProgramData() = default;
  ProgramData(ProgramData&& o) noexcept { *this = static_cast<ProgramData&&>(o); }
  ProgramData& operator=(ProgramData&& o) noexcept;
  ProgramData(const ProgramData&) = delete;
  ProgramData& operator=(const ProgramData&) = delete;
  ~ProgramData() { release(); }

  // The caller keeps `data` alive for the program's lifetime.
  static ProgramData borrow(const void* data, size_t size);
  // Reads the whole file into memory owned by the returned object.
  static Result<ProgramData> read_file(const char* path);
  // Maps the file read-only; weights are used in place, never copied.
  static Result<ProgramData> map_file(const char* path);

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool is_mapped() const { return kind_ == Kind::Mapped; }

 private:
  enum class Kind { Empty, Borrowed, Owned, Mapped };
  void release();
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  Kind kind_ = Kind::Empty;
};

}  // namespace ember
