// Program: a verified, loaded program file. Every offset, size and index in the file is
// checked here or in Method::load before use.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/result.h"
#include "runtime/core/scalar_type.h"
#include "runtime/executor/data_loader.h"

namespace ember_schema {
struct Program;
struct Method;
}  // namespace ember_schema

namespace ember {

constexpr char kProgramMagic[4] = {'E', 'M', 'B', 'R'};
constexpr uint32_t kProgramFormatVersion = 1;
constexpr size_t kProgramHeaderSize = 64;
constexpr size_t kSegmentAlignment = 64;

// The fixed, little-endian header at the start of every program file.
struct ProgramHeader {
  char magic[4];
  uint32_t format_version;
  uint64_t header_size;
  uint64_t flatbuffer_offset;
  uint64_t flatbuffer_size;
  uint64_t segment_base;  // file offset of the segment area (64-byte aligned)
  uint64_t segment_size;
  uint8_t reserved[16];
};
static_assert(sizeof(ProgramHeader) == kProgramHeaderSize, "header layout");

struct TensorInfo {
  ScalarType dtype;
  int dim;
  const int64_t* sizes;  // points into the program
  size_t nbytes;
};

// Describes a method without loading it: what memory it needs and its inputs/outputs.
class MethodMeta {
 public:
  MethodMeta() = default;
  explicit MethodMeta(const ember_schema::Method* m) : m_(m) {}
  const char* name() const;
  size_t num_inputs() const;
  size_t num_outputs() const;
  Result<TensorInfo> input_info(size_t i) const;
  Result<TensorInfo> output_info(size_t i) const;
  size_t num_arenas() const;
  size_t arena_size(size_t i) const;
  size_t scratch_size() const;
  size_t num_instructions() const;
  // Bytes the method's own bookkeeping (value table, argument lists) takes from the allocator.
  size_t method_allocator_bytes() const;

 private:
  const ember_schema::Method* m_ = nullptr;
};

class Program {
 public:
  Program() = default;
  Program(Program&&) = default;
  Program& operator=(Program&&) = default;

  // Verifies the header and FlatBuffer and every segment/constant range.
  static Result<Program> load(ProgramData data);
  static Result<Program> load_file(const char* path, bool mmap = true);

  size_t num_methods() const;
  Result<const char*> method_name(size_t i) const;
  Result<MethodMeta> method_meta(const char* name) const;
  // Bytes of constant buffer `id`, or an error if out of range.
  Result<const uint8_t*> constant(size_t id, size_t* nbytes) const;
  Result<const uint8_t*> segment(size_t index, size_t* nbytes) const;
  size_t num_constants() const;
  const ember_schema::Program* flatbuffer() const { return fb_; }
  const ProgramData& data() const { return data_; }
  // Metadata value for `key` (e.g. "ember_version"), nullptr when absent.
  const char* metadata(const char* key) const;

 private:
  ProgramData data_;
  const ember_schema::Program* fb_ = nullptr;
  const uint8_t* segments_ = nullptr;
  size_t segments_size_ = 0;
};

}  // namespace ember
