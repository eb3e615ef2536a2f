#pragma once

#include <cstddef>
#include <cstdint>

namespace ember {

// Values match the schema's ScalarType enum (schema/program.fbs).
enum class ScalarType : int8_t {
  Float32 = 0,
  Int64 = 1,
  Bool = 2,
  Int32 = 3,
  Float64 = 4,
  Int8 = 5,
  UInt8 = 6,
  Float16 = 7,
  BFloat16 = 8,
  Int16 = 9,
};
constexpr int kNumScalarTypes = 10;

inline bool is_valid_scalar_type(int v) { return v >= 0 && v < kNumScalarTypes; }

inline size_t element_size(ScalarType t) {
  switch (t) {
    case ScalarType::Float32: return 4;
    case ScalarType::Int64: return 8;
    case ScalarType::Bool: return 1;
    case ScalarType::Int32: return 4;
    case ScalarType::Float64: return 8;
    case ScalarType::Int8: return 1;
    case ScalarType::UInt8: return 1;
    case ScalarType::Float16: return 2;
    case ScalarType::BFloat16: return 2;
    case ScalarType::Int16: return 2;
  }
  return 0;
}

const char* scalar_type_name(ScalarType t);

}  // namespace ember
